/**
 * One spelling per Genspark account, so lookalike names never fork the tally: the
 * helper's rule (native_host/accounts.py), character for character. A leaf module;
 * tests/fixtures/account-names.json is the table both sides are tested against.
 */

/** Zero-width characters, direction marks, embeddings, overrides and isolates, the word
 * joiner and invisible operators, the BOM, the soft hyphen, the Mongolian vowel separator. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** Unicode White_Space, spelled out (String.prototype.trim also strips the BOM). */
const SPACE = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const EDGE_SPACE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, "g");
/** One @, something on both sides, a dot in the domain, no spaces anywhere. */
const EMAIL = new RegExp(`^[^@${SPACE}]+@[^@${SPACE}.]+(\\.[^@${SPACE}.]+)+$`);

/** The account's one spelling: invisible characters dropped, spaces trimmed, lower case, NFC. */
export function normalizeAccount(name) {
  return name.replace(INVISIBLE, "").replace(EDGE_SPACE, "").toLowerCase().normalize("NFC");
}

/** True for a normalized account shaped like an e-mail address (what Genspark uses). */
export function isEmailAccount(account) {
  return EMAIL.test(account);
}
