/**
 * Manual entry: usage done where the extension cannot see it (a phone, the app), sent
 * as a `usage` runtime message with source "manual" and a fresh event id, so it counts
 * once and syncs like any other event. The last entries made here are kept (in the
 * popup's localStorage) with an Undo each, sent as an `undo` runtime message that the
 * helper records as a compensating event, which syncs too.
 */

import { isEmailAccount, normalizeAccount } from "../shared/account.js";
import { h, fill } from "../shared/dom.js";
import { isoMillis } from "../shared/protocol.js";

/** The helper's operations (PROTOCOL.md), in the order people look for them. */
export const OPERATIONS = ["chat", "search", "image", "video", "audio", "analysis", "slides",
  "sheets", "agent", "other"];
const MAX_CREDITS = 1_000_000;
/** How many of the entries made here keep an Undo. */
export const RECENT_ENTRIES = 5;

/**
 * The fields of the `usage` message, or the fields the user got wrong.
 * @param {{account: string, operation: string, credits: string}} values as typed
 * @param {{eventId: string, nowMs: number}} fresh a new UUID and the current time
 * @returns {{fields: object} | {errors: Record<string, string>}} errors: field → message key
 */
export function manualUsage(values, { eventId, nowMs }) {
  const account = normalizeAccount(values.account);
  const errors = {};
  if (!account) errors.account = "popup_error_account";
  else if (!isEmailAccount(account)) errors.account = "popup_error_account_email";
  if (!OPERATIONS.includes(values.operation)) errors.operation = "popup_error_operation";
  const creditsText = values.credits.trim();
  const credits = creditsText === "" ? undefined : Number(creditsText);
  if (credits !== undefined && !(Number.isFinite(credits) && credits >= 0 && credits <= MAX_CREDITS)) {
    errors.credits = "popup_error_credits";
  }
  if (Object.keys(errors).length) return { errors };
  const fields = {
    event_id: eventId,
    account,
    operation: values.operation,
    at: isoMillis(nowMs),
    source: "manual",
  };
  if (credits !== undefined) fields.credits = credits;
  return { fields };
}

/**
 * Fills the operation choices (again only when the language changed, so an open list
 * is not rebuilt under the user) and the known accounts of #manual-form.
 */
export function fillManualForm(form, { accounts, account, t, lang }) {
  const select = form.elements.namedItem("operation");
  if (select.dataset.lang !== lang) {
    const chosen = select.value || "image";
    fill(select, OPERATIONS.map((op) => h("option", { value: op }, t(`popup_op_${op}`))));
    select.value = chosen;
    select.dataset.lang = lang;
  }
  fill(form.querySelector("#manual-accounts"), accounts.map((name) => h("option", { value: name })));
  const accountInput = form.elements.namedItem("account");
  if (!accountInput.value && account) accountInput.value = account;
}

/**
 * The entries made here after one more was sent: newest first, at most RECENT_ENTRIES.
 * @param {Array<object>} entries as kept so far (anything unreadable counts as none)
 * @param {object} fields the `usage` fields just sent
 */
export function withEntry(entries, fields) {
  const kept = Array.isArray(entries) ? entries.filter((entry) => entry?.event_id !== fields.event_id) : [];
  return [fields, ...kept].slice(0, RECENT_ENTRIES);
}

/** The entries made here without the one undone. */
export function withoutEntry(entries, eventId) {
  return entries.filter((entry) => entry.event_id !== eventId);
}

/** The `undo` runtime message's fields for an entry: the helper needs the event id only. */
export function undoFields(entry) {
  return { event_id: entry.event_id };
}

/**
 * One line per entry made here, with an Undo button that calls `onUndo(entry)`.
 * @param {HTMLElement} list  #manual-recent
 */
export function renderEntries(list, entries, { t, formatCredits, lang, onUndo }) {
  list.hidden = entries.length === 0;
  fill(list.querySelector("ul"), entries.map((entry) => h("li", {},
    h("span", {}, entryText(entry, { t, formatCredits, lang })),
    h("button", { type: "button", onclick: () => onUndo(entry) }, t("popup_manual_undo")))));
}

/** "Video generation · 25 credits · me@example.com · 21:00" in the popup's language. */
export function entryText(entry, { t, formatCredits, lang }) {
  const time = new Date(entry.at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  const credits = entry.credits === undefined ? null : t("dialog_credits", [formatCredits(entry.credits, lang)]);
  return [t(`popup_op_${entry.operation}`), credits, entry.account, time].filter(Boolean).join(" · ");
}
