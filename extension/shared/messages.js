/**
 * Runtime messages between content, popup and background (docs/EXTENSION.md,
 * "Runtime messages"). A leaf module: constants only, so every part spells the
 * kinds and codes the same way.
 */

/** `message.kind` of every runtime message, both directions. */
export const KIND = Object.freeze({
  PREFLIGHT: "preflight",
  USAGE: "usage",
  BALANCE: "balance",
  DIAGNOSE: "diagnose",
  STATUS: "status",
  CONFIG_GET: "config.get",
  CONFIG_SET: "config.set",
  HELPER_STATE: "helper.state",
  TAB_ACTION: "tab.action",
  /** Content → background: one page load's self-check (`load`); popup → background: the kept loads. */
  SELF_CHECK: "self_check.record",
  SELF_CHECK_GET: "self_check.get",
  /** Popup → background: take back a manual entry (the helper's `undo`). */
  UNDO: "undo",
  /** Background → content and popup only. */
  TALLY_CHANGED: "tally.changed",
});

/** `action` of a `tab.action` message. */
export const TAB_ACTION = Object.freeze({
  RELOAD: "reload",
  CLEAR_SITE_DATA: "clear_site_data",
  OPEN_LOGIN: "open_login",
  OPEN_STATUS: "open_status",
});

/**
 * The helper's `diagnose` steps (PROTOCOL.md) the extension can take itself, by the
 * tab.action that takes them: both the popup and the page's trouble panel offer them
 * as buttons.
 */
export const STEP_ACTIONS = Object.freeze({
  reload: TAB_ACTION.RELOAD,
  clear_cache: TAB_ACTION.CLEAR_SITE_DATA,
  relogin: TAB_ACTION.OPEN_LOGIN,
  check_status: TAB_ACTION.OPEN_STATUS,
});

/**
 * The extension's own `error.code`s; helper errors pass through with the helper's
 * codes (shared/protocol.js HELPER_ERROR).
 */
export const EXTENSION_ERROR = Object.freeze({
  HELPER_UNAVAILABLE: "helper_unavailable",
  TIMEOUT: "timeout",
  NO_ACCOUNT: "no_account",
  PERMISSION_DENIED: "permission_denied",
});

/** `state` of the helper connection, as `helper.state` reports it. */
export const HELPER_STATE = Object.freeze({
  CONNECTED: "connected",
  CONNECTING: "connecting",
  MISSING: "missing",
  ERROR: "error",
});

/** The page never waits longer than this for a preflight answer. */
export const PREFLIGHT_BUDGET_MS = 300;

/** A successful answer: `{ok: true, ...fields}`. */
export function okReply(fields = {}) {
  return { ...fields, ok: true };
}

/** A failed answer: `{ok: false, error: {code, message}}`. */
export function errorReply(code, message = code) {
  return { ok: false, error: { code, message } };
}
