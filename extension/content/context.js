/**
 * What every feature gets besides its AbortSignal: the site rules, the page's traffic as
 * named events, a few facts the features share (the account, the last balance, the last
 * model), runtime messaging that never throws, and the words to show.
 */
import { loadWords } from "./i18n.js";
import { createTraffic } from "./traffic.js";

/** A tiny event bus whose listeners go away with their AbortSignal. */
export function createBus() {
  const listeners = new Map();
  return {
    on(type, listener, signal) {
      if (signal?.aborted) return;
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(listener);
      signal?.addEventListener("abort", () => listeners.get(type).delete(listener), { once: true });
    },
    emit(type, detail) {
      for (const listener of [...(listeners.get(type) ?? [])]) {
        try {
          listener(detail);
        } catch (error) {
          console.error(`[credit-guard] a ${type} listener failed`, error);
        }
      }
    },
  };
}

/**
 * chrome.runtime.sendMessage that always resolves to an answer: a missing or crashed
 * background reads as `helper_unavailable`, a slow one (past `timeoutMs`) as `timeout`.
 */
export function sendRuntime(message, { timeoutMs } = {}) {
  const asked = (async () => {
    try {
      return (await chrome.runtime.sendMessage(message))
        ?? { ok: false, error: { code: "helper_unavailable", message: "no answer" } };
    } catch (error) {
      return { ok: false, error: { code: "helper_unavailable", message: String(error?.message ?? error) } };
    }
  })();
  if (!timeoutMs) return asked;
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: { code: "timeout", message: "no answer in time" } }), timeoutMs);
  });
  return Promise.race([asked, late]).finally(() => clearTimeout(timer));
}

/** The context of this page; the hook's messages come through its private port. */
export function createContext(rules) {
  const bus = createBus();
  const handle = createTraffic(rules, bus.emit);
  const shared = { account: undefined, balance: null, models: {} };
  let words = null;

  return {
    rules,

    /**
     * Starts hearing the page hook on the port the loader took (content/loader.js), first
     * what it queued: call it once the features of the page have subscribed, so the early
     * /api/user and balance answers reach them. Nothing posted on window is heard.
     */
    listen() {
      const port = globalThis[Symbol.for("credit-guard.loader")]?.hookPort();
      if (port) port.onmessage = (event) => handle(event.data);
    },
    on: bus.on,
    emit: bus.emit,
    send: sendRuntime,

    /** undefined: not known yet; null: signed out; else the account's e-mail. */
    get account() {
      return shared.account;
    },
    setAccount(account) {
      if (account === shared.account) return;
      shared.account = account;
      bus.emit("account", account);
    },

    /** The last balance the site reported: {balance, at} (at: epoch ms), or null. */
    get lastBalance() {
      return shared.balance;
    },
    setLastBalance(balance, at) {
      shared.balance = { balance, at };
    },

    /** The model the page last used for an operation (its name in requests), or null. */
    lastModel(operation) {
      return shared.models[operation] ?? null;
    },
    setLastModel(operation, model) {
      if (model) shared.models[operation] = model;
    },

    /** {lang, t}, loaded once. */
    words() {
      words ??= loadWords(sendRuntime);
      return words;
    },

    /** Reads the user's own data from the site, with the user's session: {status, json}. */
    async readSite(path) {
      const response = await fetch(new URL(path, location.origin), {
        credentials: "include",
        cache: "no-store",
        headers: { accept: "application/json" },
      });
      let json = null;
      try {
        json = await response.json();
      } catch {
        json = null;
      }
      return { status: response.status, json, date: response.headers.get("date") };
    },
  };
}
