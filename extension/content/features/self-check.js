/**
 * self-check: notices when Genspark changes. On every page load it records which site
 * rules matched (the account, the balance, the ask endpoints, the limit texts, and on
 * heavy pages the prompt box and send button the guard needs), and the shapes (keys
 * and types, never values) of the answers no rule matched. The background keeps the
 * last loads; the popup warns once a rule has missed a few loads in a row
 * (shared/self-check.js). It only listens: nothing here holds or changes the page.
 */
import { KIND } from "../../shared/messages.js";
import { KEEP_SHAPES, OUTCOME, pathPattern, shapeOf } from "../../shared/self-check.js";
import { register } from "../registry.js";
import { readingsFrom } from "./balance-reader.js";
import { isChallengePage } from "./trouble-watch.js";

const ASK_ENDPOINTS = new Set(["ask_proxy", "copilot_ask"]);
const READ_ENDPOINTS = { user: "account", balance: "balance", credit_history: "balance" };
/** A load is recorded once everything expected matched, or after this long at most. */
const SETTLE_MS = 15_000;
const POLL_MS = 500;
/** Later changes (an ask, a limit text) update the load's record after this quiet time. */
const UPDATE_MS = 1_000;
/** An unknown POST answered with a stream this soon after the user's send gesture is an ask. */
const GESTURE_MS = 3_000;
const MAX_TRACKED = 100;

/**
 * The bookkeeping of one load, without the browser. Feed it traffic events and facts;
 * `outcomes()` says, per check, matched / missed / idle, and `unmatched()` lists the
 * shapes of answers no rule matched.
 */
export function createLoadCheck(rules) {
  const asks = new Map(); // request id → {failed, ended}
  const unknownPosts = new Map(); // request id → {method, path, body, afterGesture, streamed}
  const unmatched = new Map(); // "METHOD path" → {method, path, check, shape}
  let askMatched = false;
  let askMissed = false;
  let limitTextSeen = false;
  let balanceSeen = false;
  let siteAnswered = false;
  let lastGestureAt = -Infinity;
  const selectors = { prompt_box: OUTCOME.IDLE, send_button: OUTCOME.IDLE };

  const remember = (map, key, value) => {
    map.set(key, value);
    if (map.size > MAX_TRACKED) map.delete(map.keys().next().value);
  };
  const noteUnmatched = (method, path, check, json) => {
    const pattern = pathPattern(path);
    const key = `${method} ${pattern}`;
    if (unmatched.has(key) || unmatched.size >= KEEP_SHAPES) return;
    unmatched.set(key, { method, path: pattern, check, shape: shapeOf(json) });
  };
  // Any limit or error text counts; "not login" alone says nothing about limits.
  const noteTexts = (texts) => {
    if (texts.some((text) => (rules.classifyText(text)?.kind ?? "signed_out") !== "signed_out")) limitTextSeen = true;
  };

  return {
    /** The user pressed send, or Enter in a text box (epoch ms). */
    gesture(at) {
      lastGestureAt = at;
    },

    request({ id, endpoint, method, path, body, at }) {
      if (ASK_ENDPOINTS.has(endpoint)) {
        if (rules.operationFromRequest(endpoint, body)) {
          askMatched = true;
          remember(asks, id, { failed: false, ended: false });
        } else {
          askMissed = true; // the endpoint is known, the kind of request is not
          noteUnmatched(method, path, "ask", { request: body ?? {} });
        }
      } else if (endpoint === null && method === "POST" && typeof path === "string") {
        const sent = at ?? Date.now();
        remember(unknownPosts, id, { method, path, body, afterGesture: sent - lastGestureAt <= GESTURE_MS, streamed: false });
      }
    },

    response({ id, status }) {
      if (status >= 200 && status < 300) siteAnswered = true;
      const ask = asks.get(id);
      if (ask && status >= 400) ask.failed = true;
    },

    /** A JSON answer: a read the rules should understand, or one no rule knows. */
    json({ endpoint, method, path, json }) {
      if (!json || typeof json !== "object") return;
      noteTexts(rules.responseTexts(json));
      const check = READ_ENDPOINTS[endpoint] ?? null;
      const readings = check === "balance" ? readingsFrom(rules, endpoint, json, Date.now()) : [];
      if (readings.length) balanceSeen = true;
      const understood = check === "account"
        ? rules.isSignedOut(json) || typeof rules.field("user", "email", json) === "string"
        : check === "balance" ? readings.length > 0 || rules.isSignedOut(json) : endpoint !== null;
      if (!understood && typeof path === "string") noteUnmatched(method ?? "GET", path, check, json);
    },

    streamEvent({ id, event }) {
      noteTexts(rules.streamTexts(event));
      if (rules.streamSaysExhausted(event)) limitTextSeen = true;
      const ask = asks.get(id);
      if (ask && rules.streamPhase(event) === "end") ask.ended = true;
      const post = unknownPosts.get(id);
      if (post && !post.streamed) {
        post.streamed = true;
        if (post.afterGesture) noteUnmatched(post.method, post.path, "ask", { request: post.body ?? {}, stream_event: event });
      }
    },

    streamEnd({ id, complete, text }) {
      if (text) noteTexts([text]);
      const ask = asks.get(id);
      // A stream the site closed without its result event failed: it should have said why.
      if (ask && complete && !ask.ended) ask.failed = true;
      const post = unknownPosts.get(id);
      if (post?.afterGesture && post.streamed) askMissed = true;
    },

    /** A balance the other features took from a reading of our own (context.lastBalance). */
    balanceRead() {
      balanceSeen = true;
    },

    /** How many elements the guard's selectors find (asked on heavy pages only, where the guard needs them). */
    selectorCounts(counts) {
      for (const name of Object.keys(selectors)) {
        selectors[name] = counts[name] > 0 ? OUTCOME.MATCHED : OUTCOME.MISSED;
      }
    },

    /**
     * Whether the site answered the page at all (a 2xx on some /api/ call): a load that
     * was offline or refused says nothing about the site rules.
     */
    siteAnswered() {
      return siteAnswered;
    },

    /** Per check: matched, missed or idle. `account`: undefined (unknown), null (signed out) or the e-mail. */
    outcomes(account) {
      const askFailed = [...asks.values()].some(({ failed }) => failed);
      return {
        account: account === undefined ? OUTCOME.MISSED : OUTCOME.MATCHED,
        balance: account === null ? OUTCOME.IDLE : balanceSeen ? OUTCOME.MATCHED : OUTCOME.MISSED,
        ask: askMatched ? OUTCOME.MATCHED : askMissed ? OUTCOME.MISSED : OUTCOME.IDLE,
        limit_texts: limitTextSeen ? OUTCOME.MATCHED : askFailed ? OUTCOME.MISSED : OUTCOME.IDLE,
        // Signed out, the site may show a sign-in wall instead of the composer.
        ...(account === null ? { prompt_box: OUTCOME.IDLE, send_button: OUTCOME.IDLE } : selectors),
      };
    },

    /** The shapes of the answers no rule matched, at most KEEP_SHAPES. */
    unmatched() {
      return [...unmatched.values()];
    },
  };
}

/** Whether every check a load can settle at once has matched (its record can go early). */
export function settledWell(outcomes, heavyPage) {
  const guardFinds = outcomes.prompt_box === OUTCOME.MATCHED && outcomes.send_button === OUTCOME.MATCHED;
  return outcomes.account === OUTCOME.MATCHED && outcomes.balance !== OUTCOME.MISSED && (!heavyPage || guardFinds);
}

register({
  id: "self-check",
  include: () => true,
  init(signal, context) {
    const { rules } = context;
    const check = createLoadCheck(rules);
    const startedAt = Date.now();
    const loadId = crypto.randomUUID();
    let recorded = false; // the load counts once it settled with the site answering
    let update = null;

    const heavyPage = () => rules.isHeavy(rules.pageOperation(location.href));
    const countSelectors = () => {
      if (!heavyPage()) return;
      check.selectorCounts({
        prompt_box: document.querySelectorAll(rules.selector("prompt_box")).length,
        send_button: document.querySelectorAll(rules.selector("send_button")).length,
      });
    };
    const send = () => {
      if (signal.aborted) return;
      const checks = check.outcomes(context.account);
      // Shapes help only to mend a rule that missed: a good load keeps none.
      const unmatched = Object.values(checks).includes(OUTCOME.MISSED) ? check.unmatched() : [];
      const load = { id: loadId, at: startedAt, page: rules.pageOperation(location.href), checks, unmatched };
      context.send({ kind: KIND.SELF_CHECK, load });
    };
    const changed = () => {
      if (!recorded) return;
      clearTimeout(update);
      update = setTimeout(send, UPDATE_MS);
    };
    const poll = setInterval(() => {
      if (context.lastBalance) check.balanceRead();
      countSelectors();
      const done = settledWell(check.outcomes(context.account), heavyPage());
      if (done || Date.now() - startedAt >= SETTLE_MS) {
        clearInterval(poll);
        // A Cloudflare check or an unreachable site is not a changed site.
        recorded = check.siteAnswered() && !isChallengePage(rules);
        if (recorded) send();
      }
    }, POLL_MS);

    const feed = (type, method) => context.on(type, (detail) => {
      check[method](detail);
      changed();
    }, signal);
    feed("request", "request");
    feed("response", "response");
    feed("json", "json");
    feed("stream-event", "streamEvent");
    feed("stream-end", "streamEnd");

    // The user's send gestures, seen passively (never held, never changed).
    const gesture = () => check.gesture(Date.now());
    addEventListener("click", (event) => event.isTrusted && gesture(), { capture: true, passive: true, signal });
    addEventListener("keydown", (event) => {
      if (event.isTrusted && event.key === "Enter" && !event.shiftKey) gesture();
    }, { capture: true, passive: true, signal });

    signal.addEventListener("abort", () => {
      clearInterval(poll);
      clearTimeout(update);
    });
  },
});

/* Test URLs: https://www.genspark.ai/agents?type=image_generation_agent https://www.genspark.ai/agents?type=ai_chat */
