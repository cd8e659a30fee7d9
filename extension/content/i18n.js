/**
 * Words for what the content scripts show. chrome.i18n answers in the browser's
 * language; when the user picked another one in Credit Guard's settings, the catalog of
 * that language is read from _locales (positional `$1`…`$9`, as the background renders
 * them). Anything missing falls back to chrome.i18n, then to the key.
 */
import { pickLanguage } from "../shared/format.js";
import { KIND } from "../shared/messages.js";

/** Fills `$1`…`$9` (and `$$`) in a catalog message. */
export function fillMessage(message, substitutions = []) {
  return message.replace(/\$(\$|[1-9])/g, (_, which) =>
    which === "$" ? "$" : String(substitutions[Number(which) - 1] ?? ""),
  );
}

/**
 * {lang, t(key, ...substitutions)}: `lang` is the language the user wants (the helper's
 * setting, asked once through the background, else the browser's): the helper's texts and
 * the numbers follow it. `t` speaks it too when its catalog can be read (_locales must be
 * web-accessible), else the browser's language.
 * @param {(message: object) => Promise<object>} send  the context's runtime sender
 */
export async function loadWords(send) {
  const uiLanguage = chrome.i18n.getUILanguage();
  const browserLang = pickLanguage("auto", uiLanguage);
  const config = await send({ kind: KIND.CONFIG_GET });
  const wanted = pickLanguage(config.ok ? config.global?.language : "auto", uiLanguage);
  let catalog = null;
  if (wanted !== browserLang) {
    try {
      const response = await fetch(chrome.runtime.getURL(`_locales/${wanted}/messages.json`));
      catalog = await response.json();
    } catch {
      catalog = null; // _locales not readable from the page: the browser's language it is
    }
  }
  const t = (key, ...substitutions) => {
    const entry = catalog?.[key];
    if (entry?.message) return fillMessage(entry.message, substitutions);
    return chrome.i18n.getMessage(key, substitutions.map(String)) || key;
  };
  return { lang: wanted, t };
}
