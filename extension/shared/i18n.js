/**
 * Messages from _locales in the language the user chose. chrome.i18n.getMessage always
 * answers in the browser's language, but Credit Guard's settings may pick another, so
 * the chosen language's messages.json is read from the extension itself and rendered the
 * way chrome.i18n renders (positional `$1`…`$9`, `$$` for a dollar sign). One module for
 * the background, the popup and the content scripts (_locales/* is web-accessible to the
 * Genspark page, so the fetch works there too).
 */
import { pickLanguage } from "./format.js";

/** @typedef {(key: string, substitutions?: Array<string|number|null|undefined>) => string} Translator */

/** Fills `$1`…`$9` (missing ones empty) and `$$` in a catalog message, like chrome.i18n. */
export function substitute(text, substitutions = []) {
  return text.replace(/\$(\$|[1-9])/g, (_, which) =>
    which === "$" ? "$" : String(substitutions[Number(which) - 1] ?? ""));
}

/** The language chrome.i18n answers in (only en and ja have catalogs; others get en). */
export function browserLanguage() {
  return pickLanguage("auto", chrome.i18n.getUILanguage());
}

/** The language to show for the helper's `language` setting ("auto", "en", "ja"). */
export function chosenLanguage(setting) {
  return pickLanguage(setting, chrome.i18n.getUILanguage());
}

/** A language's parsed messages.json, read from the extension; null when it cannot be read. */
export async function loadCatalog(lang) {
  try {
    const response = await fetch(chrome.runtime.getURL(`_locales/${lang}/messages.json`));
    return response.ok ? await response.json() : null;
  } catch {
    return null; // e.g. a page that cannot read the extension's files: other sources answer
  }
}

/**
 * A translator that asks, in order: the chosen language's catalog, `browserMessage`
 * (chrome.i18n, the browser's language), the English catalog, and else gives the key
 * itself, so a forgotten string is visible instead of blank. Catalogs may be null.
 * @returns {Translator}
 */
export function translatorFrom({ chosen, browserMessage, english }) {
  return (key, substitutions = []) => {
    const entry = chosen?.[key];
    if (entry?.message) return substitute(entry.message, substitutions);
    const fromBrowser = browserMessage(key, substitutions.map((value) => String(value ?? "")));
    if (fromBrowser) return fromBrowser;
    const fallback = english?.[key];
    return fallback?.message ? substitute(fallback.message, substitutions) : key;
  };
}

/**
 * The translator for `lang`. Its catalog is read only when chrome.i18n speaks another
 * language; the English one only when `lang` is not English (keys neither has).
 * @returns {Promise<Translator>}
 */
export async function loadTranslator(lang) {
  const [chosen, english] = await Promise.all([
    lang === browserLanguage() ? null : loadCatalog(lang),
    lang === "en" ? null : loadCatalog("en"),
  ]);
  return translatorFrom({
    chosen,
    browserMessage: (key, substitutions) => chrome.i18n.getMessage(key, substitutions),
    english,
  });
}
