/**
 * The one way the popup builds elements: text always goes in as text nodes, never as
 * HTML, so nothing from the helper or the page can inject markup.
 */

/**
 * @param {string} tag
 * @param {Record<string, string|boolean|number|Function|undefined|null>} [attrs]
 *   `on<event>` values become listeners; `class`, `id` and the rest become attributes;
 *   false, null and undefined are left out.
 * @param {...(Node|string|number|null|undefined|false)} children
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : String(c))));
  return el;
}

/** Replaces every child of `el` with `children`. */
export function fill(el, ...children) {
  el.replaceChildren();
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/**
 * Shows errors beside their fields (elements marked data-error-for="field"): `errors`
 * maps field (or "form") → text, already in the user's language; others are cleared.
 */
export function showFieldErrors(form, errors) {
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    const text = errors[slot.dataset.errorFor];
    slot.textContent = text ?? "";
    slot.hidden = !text;
    const input = form.elements.namedItem(slot.dataset.errorFor);
    if (input?.setAttribute) input.setAttribute("aria-invalid", text ? "true" : "false");
  }
}
