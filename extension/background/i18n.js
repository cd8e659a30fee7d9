/**
 * Messages from _locales in a chosen language. chrome.i18n.getMessage always
 * answers in the browser's language, but the user may pick another in the
 * settings, so the background renders the catalogs itself, the same way
 * (positional `$1`…`$9`, `$$` for a dollar sign).
 */

/** A catalog entry's message with `$1`…`$9` filled; undefined for no entry. */
export function renderMessage(entry, substitutions = []) {
  return entry?.message.replace(/\$(\$|[1-9])/g, (_, which) =>
    which === "$" ? "$" : String(substitutions[Number(which) - 1] ?? ""),
  );
}

/**
 * `t(key, ...substitutions)` for `lang`, falling back to English, then to the key.
 * @param {(path: string) => Promise<object>} readJson  reads a file of the extension
 */
export async function loadLocalizer(lang, readJson) {
  const english = await readJson("_locales/en/messages.json");
  const wanted = lang === "en" ? english : await readJson(`_locales/${lang}/messages.json`);
  return (key, ...substitutions) =>
    renderMessage(wanted[key] ?? english[key], substitutions) ?? key;
}
