/**
 * The background: Chromium's service worker and Firefox's background script.
 * One `handlers` map answers the runtime messages of docs/EXTENSION.md; listeners
 * are registered at the top level, and what it knows lives in storage.local, so a
 * worker killed when idle wakes up whole. Every tally updates the badge and the
 * notifications; pushes and acknowledged events are also told to popups and tabs.
 */
import { chosenLanguage, loadTranslator } from "../shared/i18n.js";
import {
  EXTENSION_ERROR, HELPER_STATE, KIND, PREFLIGHT_BUDGET_MS, errorReply, okReply,
} from "../shared/messages.js";
import { HELPER_ERROR, buildRequest, requestFields } from "../shared/protocol.js";
import { badgeView, showBadge } from "./badge.js";
import { browserName } from "./browser.js";
import { createLastSignals } from "./last-signals.js";
import { nextNudgeCheck, notifyTally } from "./notify.js";
import { createHelperPort } from "./port.js";
import { createOutbox } from "./queue.js";
import { createSelfCheckStore } from "./self-check.js";
import { createBackgroundState } from "./state.js";
import { runTabAction, tellGensparkTabs } from "./tabs.js";

/** The helper may wait up to 10 s on a locked ledger before it answers an event. */
const OUTBOX_TIMEOUT_MS = 30_000;
const RESET_ALARM = "credit-guard-reset";
/** Fires when a daily reset is near, so the reset nudge is decided without a page open. */
const NUDGE_ALARM = "credit-guard-nudge";
/** Preflight answers the page did not get in time: the popup shows their count. */
const MISSED = new Set([EXTENSION_ERROR.TIMEOUT, EXTENSION_ERROR.HELPER_UNAVAILABLE]);
/**
 * Sync requests that may wait on the network (a hub up to 15 s, a folder on a slow drive)
 * or on the OS keyring (which may ask the user to unlock it): longer than the default.
 */
const SLOW_SYNC_TIMEOUT_MS = 60_000;

const storage = chrome.storage.local;
const state = createBackgroundState(storage);
const lastSignals = createLastSignals(chrome.storage);
const port = createHelperPort({
  connectNative: (hostName) => chrome.runtime.connectNative(hostName),
  hello: () => ({ extension_version: chrome.runtime.getManifest().version, browser: browserName() }),
  lastError: () => chrome.runtime.lastError,
});
const selfChecks = createSelfCheckStore(storage);
const outbox = createOutbox({
  storage,
  send: (request) => port.request(request, { timeoutMs: OUTBOX_TIMEOUT_MS }),
  onAck: (reply) => reply.tally && tallyChanged(reply.tally, { announce: true }),
});

const handlers = {
  [KIND.PREFLIGHT]: needsAccount(async (message) => {
    const timeoutMs = message.timeout_ms > 0 ? message.timeout_ms : PREFLIGHT_BUDGET_MS;
    const fields = { ...message, language: message.language ?? (await language()) };
    const reply = await port.request(buildRequest("preflight", fields), { timeoutMs });
    if (MISSED.has(reply.error?.code)) logged(state.countMissedPreflight());
    return reply;
  }),
  [KIND.USAGE]: needsAccount((message) => queue("usage", message)),
  [KIND.BALANCE]: needsAccount((message) => queue("balance", message)),
  // After the usage it undoes in the same outbox, so it never reaches the helper first.
  [KIND.UNDO]: (message) => queue("undo", message),
  [KIND.DIAGNOSE]: needsAccount(async (message) => {
    const signals = await lastSignals.use(message.account, message.signals);
    return ask("diagnose", { ...message, signals, language: message.language ?? (await language()) });
  }),
  async [KIND.STATUS](message) {
    const reply = await ask("status", message);
    if (reply.ok) for (const tally of reply.accounts) tallyChanged(tally, { announce: false });
    const missed = await state.missedPreflights();
    return { ...reply, helper: { ...port.state(), missed_preflights: missed } };
  },
  [KIND.CONFIG_GET]: (message) => askConfig("config.get", message),
  [KIND.CONFIG_SET]: (message) => askConfig("config.set", message),
  [KIND.HELPER_STATE]: async () => okReply(port.state()),
  [KIND.TAB_ACTION]: (message, sender) => runTabAction(message.action, sender),
  [KIND.SELF_CHECK]: async (message) => okReply({ stored: await selfChecks.record(message.load) }),
  [KIND.SELF_CHECK_GET]: async () => okReply({ loads: await selfChecks.read() }),
  [KIND.SYNC_STATUS]: popupOnly((message) => askSync("sync.status", message)),
  [KIND.SYNC_NAME]: popupOnly((message) => askSync("sync.name", message)),
  [KIND.SYNC_PAIR]: popupOnly((message) => askSync("sync.pair", message, SLOW_SYNC_TIMEOUT_MS)),
  [KIND.SYNC_JOIN]: popupOnly((message) => askSync("sync.join", message, SLOW_SYNC_TIMEOUT_MS)),
  [KIND.SYNC_NOW]: popupOnly((message) => askSync("sync.now", message, SLOW_SYNC_TIMEOUT_MS)),
  [KIND.SYNC_LEAVE]: popupOnly((message) => askSync("sync.leave", message, SLOW_SYNC_TIMEOUT_MS)),
};

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = handlers[message?.kind];
  if (!handler) return false; // not for the background (e.g. another page's broadcast)
  if (sender.tab && message.account) logged(useAccount(message.account));
  handler(message, sender).then(sendResponse, (error) => {
    console.error(`Credit Guard: ${message.kind} failed`, error);
    sendResponse(errorReply(HELPER_ERROR.INTERNAL, String(error?.message ?? error)));
  });
  return true; // answered asynchronously
});

port.onPush((push) => tallyChanged(push.tally, { announce: true }));
port.onState((helper) => {
  broadcast({ kind: KIND.HELPER_STATE, ...helper });
  logged(paintBadge());
  if (helper.state === HELPER_STATE.CONNECTED) {
    outbox.flush();
    logged(askConfig("config.get", {}));
  }
});
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RESET_ALARM || alarm.name === NUDGE_ALARM) logged(refreshTallies());
});
// Wakes the worker when the browser starts, to paint the badge, replay the outbox and
// catch up on what happened while it was closed (a reset, a nudge window: alarms may not
// survive a restart).
chrome.runtime.onStartup.addListener(() => {
  logged(paintBadge());
  logged(refreshTallies());
});

port.start();
logged(paintBadge());

/* ---------- what the handlers share ---------- */

function needsAccount(handler) {
  return (message, sender) =>
    message.account
      ? handler(message, sender)
      : Promise.resolve(errorReply(EXTENSION_ERROR.NO_ACCOUNT, "no Genspark account"));
}

/**
 * Only the extension's own popup page may send `handler`'s message: sync joins, leaves
 * and shows the pairing code, which no content script (on a page we do not control)
 * has any reason to ask for.
 */
function popupOnly(handler) {
  const popupUrl = chrome.runtime.getURL("popup/");
  return (message, sender) =>
    String(sender?.url ?? "").startsWith(popupUrl)
      ? handler(message, sender)
      : Promise.resolve(errorReply(EXTENSION_ERROR.NOT_ALLOWED, `${message.kind} is for the popup only`));
}

function ask(type, message) {
  return port.request(buildRequest(type, message));
}

/** A sync.* request in the popup's language (texts the helper writes for people). */
async function askSync(type, message, timeoutMs = undefined) {
  const fields = { ...message, language: message.language ?? (await language()) };
  return port.request(buildRequest(type, fields), { timeoutMs });
}

/** Every account's tally (with its pace) from the helper, as if a popup had asked. */
async function refreshTallies() {
  const reply = await ask("status", {});
  if (reply.ok) for (const tally of reply.accounts) tallyChanged(tally, { announce: true });
}

async function askConfig(type, message) {
  const reply = await ask(type, message);
  if (reply.ok) {
    await state.rememberConfig(reply.global);
    logged(paintBadge());
  }
  return reply;
}

async function queue(type, message) {
  await outbox.enqueue(type, requestFields(type, message));
  return okReply({ queued: true });
}

/** The language the user chose in the helper's settings, else the browser's. */
async function language() {
  return chosenLanguage((await state.config()).language);
}

/** Translators by language, loaded once per worker life. */
const translators = new Map();

/** {lang, t, nowMs} for what the background shows (badge title, notifications). */
async function presentation() {
  const lang = await language();
  if (!translators.has(lang)) translators.set(lang, loadTranslator(lang));
  return { lang, t: await translators.get(lang), nowMs: Date.now() };
}

async function useAccount(account) {
  if ((await state.currentAccount()) === account) return;
  await state.useAccount(account);
  await paintBadge();
}

async function paintBadge(view) {
  const shown = view ?? (await presentation());
  await showBadge(badgeView({ tally: await state.currentTally(), helper: port.state(), ...shown }));
}

let tallyWork = Promise.resolve();

/**
 * A new tally for one account: remembered, told to popups and tabs when `announce`,
 * then badge, notifications and the reset and nudge alarms, one tally at a time (the
 * notification record is read, then written).
 */
function tallyChanged(tally, { announce }) {
  tallyWork = tallyWork.then(async () => {
    await state.rememberTally(tally);
    if (announce) broadcast({ kind: KIND.TALLY_CHANGED, account: tally.account, tally });
    const view = await presentation();
    await notifyTally(tally, await state.config(), {
      storage,
      notifications: chrome.notifications,
      iconUrl: chrome.runtime.getURL("icons/icon128.png"),
      ...view,
    });
    await paintBadge(view);
    await scheduleResetRefresh();
    await scheduleNudgeCheck();
  }).catch(reportError);
  return tallyWork;
}

/** Asks for fresh tallies just after the next reset, so badge and "credits are back" follow. */
async function scheduleResetRefresh() {
  const resets = Object.values(await state.tallies())
    .map((tally) => Date.parse(tally.reset_at))
    .filter((when) => when > Date.now());
  if (resets.length > 0) await chrome.alarms.create(RESET_ALARM, { when: Math.min(...resets) + 5_000 });
}

/**
 * Asks for status when the next reset nudge window opens. Only tallies from `status`
 * carry a pace that knows it; while none does, an alarm set earlier stays as it is.
 */
async function scheduleNudgeCheck() {
  const when = nextNudgeCheck(await state.tallies(), Date.now());
  if (when !== null) await chrome.alarms.create(NUDGE_ALARM, { when: when + 5_000 });
}

/** To open popups and to Genspark tabs; nobody listening is fine. */
function broadcast(message) {
  chrome.runtime.sendMessage(message).catch(() => {});
  logged(tellGensparkTabs(message));
}

function reportError(error) {
  console.error("Credit Guard:", error);
}

/** Runs `promise` without waiting for it, reporting its failure. */
function logged(promise) {
  promise.catch(reportError);
}
