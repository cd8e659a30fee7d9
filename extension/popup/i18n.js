/**
 * The popup's static strings: popup.html names its message keys in data-i18n attributes,
 * so switching language re-fills them from one translator (shared/i18n.js).
 */

/**
 * Fills every element marked data-i18n="key" (text) and data-i18n-label="key"
 * (aria-label), data-i18n-placeholder="key" (placeholder).
 * @param {ParentNode} root
 * @param {(key: string) => string} t
 */
export function localizeStatic(root, t) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  }
}
