/**
 * balance-reader: what the site says is left, the ground truth the helper anchors its
 * tally to. Reads the balance on load, after each completed operation and at most once a
 * minute while the tab is visible; also takes every balance, credit history and
 * free-pool answer the page fetched itself. Each reading becomes one `balance` message.
 */
import { KIND } from "../../shared/messages.js";
import { isoMillis } from "../../shared/protocol.js";
import { register } from "../registry.js";
import { siteInstant } from "../time.js";

const PERIODIC_MS = 60_000;
const AFTER_OPERATION_MS = 3_000; // the site books the cost a moment after the answer
const MAX_BALANCE = 1_000_000_000;

const isBalance = (value) => typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= MAX_BALANCE;

/** The `balance` messages (without account) a JSON answer of `endpoint` yields. */
export function readingsFrom(rules, endpoint, json, atMs) {
  if (!json || typeof json !== "object" || rules.isSignedOut(json)) return [];
  const at = isoMillis(atMs);
  if (endpoint === "balance" || endpoint === "credit_history") {
    const balance = rules.field(endpoint, "balance", json);
    return isBalance(balance) ? [{ balance, at }] : [];
  }
  if (endpoint === "free_pool") {
    return rules.freePoolWindows(json).filter(({ balance }) => isBalance(balance)).map(({ window, balance, reset_at }) => {
      const resetAt = siteInstant(reset_at);
      return resetAt ? { balance, at, window, reset_at: resetAt } : { balance, at, window };
    });
  }
  return [];
}

register({
  id: "balance-reader",
  include: () => true,
  init(signal, context) {
    const { rules } = context;
    let waiting = []; // readings seen before the account was known
    let lastOwnRead = 0;
    let afterOperation = null;

    const report = (readings) => {
      if (context.account === undefined) {
        waiting.push(...readings);
        return;
      }
      if (!context.account) return;
      for (const reading of readings) {
        if (!reading.window) context.setLastBalance(reading.balance, Date.parse(reading.at));
        context.send({ kind: KIND.BALANCE, account: context.account, ...reading });
      }
    };

    const readOwn = async () => {
      if (signal.aborted || !context.account) return;
      lastOwnRead = Date.now();
      try {
        const { json } = await context.readSite(rules.endpointPath("balance"));
        if (!signal.aborted) report(readingsFrom(rules, "balance", json, Date.now()));
      } catch (error) {
        console.error("[credit-guard] could not read the balance", error);
      }
    };

    context.on("json", ({ endpoint, json }) => report(readingsFrom(rules, endpoint, json, Date.now())), signal);
    context.on("account", (account) => {
      const pending = waiting;
      waiting = [];
      if (account) {
        report(pending);
        readOwn();
      }
    }, signal);
    context.on("operation-complete", () => {
      clearTimeout(afterOperation);
      afterOperation = setTimeout(readOwn, AFTER_OPERATION_MS);
    }, signal);

    const periodic = setInterval(() => {
      if (document.visibilityState === "visible" && Date.now() - lastOwnRead >= PERIODIC_MS) readOwn();
    }, PERIODIC_MS / 4);
    signal.addEventListener("abort", () => {
      clearInterval(periodic);
      clearTimeout(afterOperation);
    });
    if (context.account) readOwn();
  },
});

/* Test URLs: https://www.genspark.ai/ https://www.genspark.ai/credit-usage */
