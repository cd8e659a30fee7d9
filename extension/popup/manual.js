/**
 * Manual entry: usage done where the extension cannot see it (a phone, the app), sent
 * as a `usage` runtime message with source "manual" and a fresh event id, so it counts
 * once and syncs like any other event.
 */

import { h, fill } from "../shared/dom.js";
import { isoMillis } from "../shared/protocol.js";

/** The helper's operations (PROTOCOL.md), in the order people look for them. */
export const OPERATIONS = ["chat", "search", "image", "video", "audio", "analysis", "slides",
  "sheets", "agent", "other"];
const MAX_CREDITS = 1_000_000;

/**
 * The fields of the `usage` message, or the fields the user got wrong.
 * @param {{account: string, operation: string, credits: string}} values as typed
 * @param {{eventId: string, nowMs: number}} fresh a new UUID and the current time
 * @returns {{fields: object} | {errors: Record<string, string>}} errors: field → message key
 */
export function manualUsage(values, { eventId, nowMs }) {
  const account = values.account.trim();
  const errors = {};
  if (!account) errors.account = "popup_error_account";
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
