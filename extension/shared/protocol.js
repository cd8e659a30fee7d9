/**
 * The helper's native-messaging protocol, version 1 (docs/PROTOCOL.md), as data:
 * request kinds with the fields each may carry, the error codes, and builders.
 * A leaf module. Requests with unknown fields are `invalid` at the helper, so the
 * builders copy only the documented fields of a runtime message.
 */

export const PROTOCOL_VERSION = 1;
export const HOST_NAME = "com.creditguard.helper";

/** The helper's `error.code`s, in PROTOCOL.md's order (append only). */
export const HELPER_ERROR = Object.freeze({
  BAD_FRAME: "bad_frame",
  TOO_LARGE: "too_large",
  BAD_JSON: "bad_json",
  INVALID: "invalid",
  UNKNOWN_TYPE: "unknown_type",
  UNSUPPORTED_VERSION: "unsupported_version",
  INTERNAL: "internal",
  REPLY_TOO_LARGE: "reply_too_large",
  STORAGE: "storage",
  UNKNOWN_EVENT: "unknown_event",
  PAIRING_CODE: "pairing_code",
  KEYRING: "keyring",
  NOT_PAIRED: "not_paired",
  ALREADY_PAIRED: "already_paired",
  SYNC_FAILED: "sync_failed",
});

/** Each request kind → the fields it may carry besides `v`, `id` and `type`. */
export const REQUEST_FIELDS = Object.freeze({
  hello: ["extension_version", "browser"],
  usage: ["event_id", "account", "operation", "at", "ended_at", "credits", "model", "source"],
  balance: ["account", "balance", "at", "window", "reset_at"],
  preflight: ["account", "operation", "model", "prompt_chars", "language"],
  status: ["account"],
  diagnose: ["account", "signals", "language"],
  "config.get": ["account"],
  "config.set": [
    "account", "plan", "allowance", "period", "reset_time", "billing_day", "reserve",
    "language", "confirm_before_heavy", "notifications", "notify_thresholds", "alternatives",
    "reset_nudge",
  ],
  undo: ["event_id"],
  forget: ["account"],
  "sync.status": ["language"],
  "sync.pair": ["hub_url", "folder", "language"],
  "sync.join": ["code", "folder", "language"],
  "sync.leave": ["language"],
  "sync.now": ["language"],
  "sync.name": ["name", "language"],
});

/** The unsolicited message the helper pushes (no `id`, no `ok`). */
export const PUSH_TALLY_CHANGED = "tally.changed";

/** An instant as the helper's timestamps want it: "2026-11-24T21:00:01.250Z" (RFC 3339,
 * UTC, milliseconds: the tally matches balance drops to operations by their times), for a
 * Date or epoch milliseconds. */
export function isoMillis(value) {
  return new Date(value).toISOString();
}

/** A fresh request id (also a valid `usage.event_id`: a UUID). */
export function newId() {
  return crypto.randomUUID();
}

/**
 * The fields of `source` that a `type` request may carry, skipping undefined ones;
 * throws on an unknown type (a programming error, not a runtime condition).
 */
export function requestFields(type, source = {}) {
  const names = REQUEST_FIELDS[type];
  if (!names) throw new TypeError(`unknown request type ${type}`);
  const fields = {};
  for (const name of names) {
    if (source[name] !== undefined) fields[name] = source[name];
  }
  return fields;
}

/** `{v: 1, id, type, ...}` with only the fields `type` documents (see requestFields). */
export function buildRequest(type, source = {}, id = newId()) {
  return { v: PROTOCOL_VERSION, id, type, ...requestFields(type, source) };
}

/** True for a push, which carries no `ok` (PROTOCOL.md, "Push"). */
export function isPush(message) {
  return message !== null && typeof message === "object" && !("ok" in message);
}
