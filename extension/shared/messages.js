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
  /** Popup → background → helper: the Devices section (the helper's sync.* kinds). */
  SYNC_STATUS: "sync.status",
  SYNC_PAIR: "sync.pair",
  SYNC_JOIN: "sync.join",
  SYNC_LEAVE: "sync.leave",
  SYNC_NOW: "sync.now",
  SYNC_NAME: "sync.name",
  /** Background → content and popup only. */
  TALLY_CHANGED: "tally.changed",
});

/** `action` of a `tab.action` message. */
export const TAB_ACTION = Object.freeze({
  RELOAD: "reload",
  /** Chromium: genspark.ai's cached files only; the user stays signed in. */
  CLEAR_CACHE: "clear_cache",
  /** Where the cache cannot be cleared for one site (Firefox): reload past the cache. */
  RELOAD_WITHOUT_CACHE: "reload_without_cache",
  /** Cookies and stored data too: signs the user out of Genspark. */
  CLEAR_SITE_DATA: "clear_site_data",
  OPEN_LOGIN: "open_login",
  OPEN_STATUS: "open_status",
});

/** Tab actions the page and the popup ask about first (they sign the user out). */
export const CONFIRM_FIRST = Object.freeze([TAB_ACTION.CLEAR_SITE_DATA]);

/** Tab actions that need the optional `browsingData` permission. */
export const NEEDS_BROWSING_DATA = Object.freeze([TAB_ACTION.CLEAR_CACHE, TAB_ACTION.CLEAR_SITE_DATA]);

/**
 * The helper's `diagnose` steps (PROTOCOL.md) the extension can take itself, by the
 * tab.actions that take them, lightest first: both the popup and the page's trouble
 * panel offer them as buttons.
 */
export const STEP_ACTIONS = Object.freeze({
  reload: [TAB_ACTION.RELOAD],
  clear_cache: [TAB_ACTION.CLEAR_CACHE, TAB_ACTION.CLEAR_SITE_DATA],
  relogin: [TAB_ACTION.OPEN_LOGIN],
  check_status: [TAB_ACTION.OPEN_STATUS],
});

/**
 * The buttons for step `stepId` in this browser, told by the extension's base URL
 * (chrome.runtime.getURL("")): Firefox cannot clear one site's cache, so there the light
 * step reloads past the cache instead.
 */
export function stepActions(stepId, extensionUrl = "") {
  const firefox = String(extensionUrl).startsWith("moz-extension:");
  return (STEP_ACTIONS[stepId] ?? []).map((action) =>
    (firefox && action === TAB_ACTION.CLEAR_CACHE ? TAB_ACTION.RELOAD_WITHOUT_CACHE : action));
}

/**
 * The extension's own `error.code`s; helper errors pass through with the helper's
 * codes (shared/protocol.js HELPER_ERROR).
 */
export const EXTENSION_ERROR = Object.freeze({
  HELPER_UNAVAILABLE: "helper_unavailable",
  TIMEOUT: "timeout",
  NO_ACCOUNT: "no_account",
  PERMISSION_DENIED: "permission_denied",
  /** A message only the popup may send (sync.*) came from elsewhere (a content script). */
  NOT_ALLOWED: "not_allowed",
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
