/**
 * The popup's strings. The browser's own language goes through chrome.i18n; when the
 * user chose the other language in settings, that language's messages.json is fetched
 * from the extension itself (chrome.i18n cannot switch language at run time).
 */

/**
 * Fills Chrome-style positional placeholders ($1…$9, "$$" for a dollar sign), the way
 * chrome.i18n.getMessage does, so fetched catalogs read exactly like the built-in one.
 * @param {string} text
 * @param {Array<string|number>} [subs]
 */
export function substitute(text, subs = []) {
  return text.replace(/\$(\$|[1-9])/g, (_, which) =>
    which === "$" ? "$" : String(subs[Number(which) - 1] ?? ""));
}

/**
 * A translator over a parsed messages.json. Missing keys come back as the key itself,
 * so a forgotten string is visible instead of blank.
 * @param {Record<string, {message: string}>} catalog
 * @returns {(key: string, subs?: Array<string|number>) => string}
 */
export function translatorFromCatalog(catalog) {
  return (key, subs) => {
    const entry = catalog[key];
    return entry ? substitute(entry.message, subs) : key;
  };
}

function catalogUrl(lang) {
  const path = `_locales/${lang}/messages.json`;
  return globalThis.chrome?.runtime?.getURL
    ? chrome.runtime.getURL(path)
    : new URL(`../${path}`, import.meta.url).href;
}

/** The browser's UI language, "en" when it cannot be asked (a page opened outside the extension). */
export function browserLanguage() {
  return globalThis.chrome?.i18n?.getUILanguage?.() ?? globalThis.navigator?.language ?? "en";
}

/**
 * A translator for `lang`: chrome.i18n when that is the language the browser picked,
 * else the fetched catalog; English when nothing can be loaded.
 * @param {"en"|"ja"} lang
 * @param {"en"|"ja"} browserLang the language chrome.i18n answers in
 */
export async function loadTranslator(lang, browserLang) {
  if (lang === browserLang && globalThis.chrome?.i18n?.getMessage) {
    return (key, subs) => chrome.i18n.getMessage(key, subs?.map(String)) || key;
  }
  for (const candidate of [lang, "en"]) {
    try {
      const response = await fetch(catalogUrl(candidate));
      if (response.ok) return translatorFromCatalog(await response.json());
    } catch {
      // try the next candidate
    }
  }
  return (key) => key;
}

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
