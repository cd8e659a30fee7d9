/**
 * The one way the popup and the content scripts' own UI (guard dialog, trouble panel)
 * build elements: text always goes in as text, never as HTML, so nothing from the
 * helper, the site or the user's settings can inject markup. Not for the background
 * (no DOM there).
 */

/** Children as given, flattened, without null, undefined and false (conditional parts). */
function present(children) {
  return children.flat().filter((child) => child !== null && child !== undefined && child !== false);
}

/**
 * An element with attributes and children.
 * @param {string} tag
 * @param {Record<string, string|boolean|number|Function|undefined|null>} [attributes]
 *   `on<event>` functions become listeners; the rest become attributes (true → "");
 *   false, null and undefined are left out.
 * @param {...(Node|string|number|null|undefined|false)} children  strings become text
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...present(children));
  return element;
}

/** Replaces every child of `element` with `children` (as h takes them). */
export function fill(element, ...children) {
  element.replaceChildren(...present(children));
  return element;
}
