/**
 * Where the user guide lives: docs/guide/ on the project's page, one page per topic, each
 * in English and Japanese (`page.md`, `page.ja.md`). The popup links to it in the
 * language it speaks; a plain link (target=_blank), so no permission is needed.
 */

/** The project's public page; pyproject.toml's [project.urls] names the same one. */
export const PROJECT_URL = "https://github.com/credit-guard/credit-guard";

/** The guide's folder on the project's page (its main branch). */
export const GUIDE_URL = `${PROJECT_URL}/blob/main/docs/guide/`;

/**
 * The address of one page of the guide in `language` ("en", "ja"; any other reads
 * the English). `page` is the file's name without `.md`: "README" is the index.
 */
export function guideUrl(language, page = "README") {
  return `${GUIDE_URL}${page}${language === "ja" ? ".ja" : ""}.md`;
}
