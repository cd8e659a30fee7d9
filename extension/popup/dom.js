/** Form errors in the popup, beside the fields they are about. */

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
