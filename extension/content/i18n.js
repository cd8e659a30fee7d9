/**
 * Words for what the content scripts show, in the language the user chose in Credit
 * Guard's settings: a content script cannot read the helper's config itself, so it asks
 * the background once.
 */
import { chosenLanguage, loadTranslator } from "../shared/i18n.js";
import { KIND } from "../shared/messages.js";

/**
 * {lang, t(key, substitutions?)}: `lang` is the user's choice (the helper's setting, else
 * the browser's language): the helper's texts and the numbers follow it, and so does `t`
 * (shared/i18n.js falls back to the browser's language when the catalog cannot be read).
 * @param {(message: object) => Promise<object>} send  the context's runtime sender
 */
export async function loadWords(send) {
  const config = await send({ kind: KIND.CONFIG_GET });
  const lang = chosenLanguage(config.ok ? config.global?.language : "auto");
  return { lang, t: await loadTranslator(lang) };
}
