// One load's self-check: which site rules matched, from the traffic the page made.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createLoadCheck, settledWell } from "../../extension/content/features/self-check.js";
import { createTraffic } from "../../extension/content/traffic.js";
import { OUTCOME } from "../../extension/shared/self-check.js";
import { siteRules } from "./fakes/site-rules.js";

const { MATCHED, MISSED, IDLE } = OUTCOME;
const ME = "me@example.com";
const T0 = Date.UTC(2026, 10, 24, 21, 0, 0);

/** A load check fed through the real traffic tagging, as the content script feeds it. */
function loadCheck() {
  const rules = siteRules();
  const check = createLoadCheck(rules);
  const methods = { request: "request", response: "response", json: "json", "stream-event": "streamEvent", "stream-end": "streamEnd" };
  const handle = createTraffic(rules, (type, detail) => methods[type] && check[methods[type]](detail));
  let nextId = 1;
  const page = {
    check,
    get(path, json, status = 200) {
      const id = nextId++;
      handle({ type: "request", id, method: "GET", path, at: T0 });
      handle({ type: "response", id, method: "GET", path, status, headers: {} });
      handle({ type: "response-body", id, json });
    },
    stream(path, body, events, { status = 200, complete = true, text } = {}) {
      const id = nextId++;
      handle({ type: "request", id, method: "POST", path, body, at: T0 + 1_000 });
      handle({ type: "response", id, method: "POST", path, status, headers: {} });
      for (const event of events) handle({ type: "stream-event", id, event });
      handle({ type: "stream-end", id, complete, events: events.length, text });
    },
  };
  return page;
}

const ASK_EVENTS = [
  { type: "project_start", id: "p1" },
  { type: "message_result", id: "p1", content: "Here is a short answer." },
];

test("the normal site: account, balance and ask match, and nothing is left unmatched", () => {
  const page = loadCheck();
  page.get("/api/user", { status: 0, data: { cogen: { email: ME } } });
  page.get("/api/payment/get_credit_balance", { status: 0, data: { balance: 90 } });
  page.check.gesture(T0 + 500);
  page.stream("/api/agent/ask_proxy", { type: "ai_chat", ai_chat_model: "gpt-5.1" }, ASK_EVENTS);
  page.check.selectorCounts({ prompt_box: 1, send_button: 1 });
  const outcomes = page.check.outcomes(ME);
  assert.deepEqual(outcomes, { account: MATCHED, balance: MATCHED, ask: MATCHED, limit_texts: IDLE, prompt_box: MATCHED, send_button: MATCHED });
  assert.equal(settledWell(outcomes, true), true);
  assert.deepEqual(page.check.unmatched(), []);
});

test("signed out: the account matched (null), the balance is not expected", () => {
  const page = loadCheck();
  page.get("/api/user", { status: -5, message: "not login", data: {} });
  const outcomes = page.check.outcomes(null);
  assert.equal(outcomes.account, MATCHED);
  assert.equal(outcomes.balance, IDLE);
  assert.equal(settledWell(outcomes, false), true);
});

test("renamed endpoints and fields: account, balance and ask miss, with the answers' shapes", () => {
  const page = loadCheck();
  page.get("/api/v2/me", { status: 0, data: { profile: { email: ME, name: "Alice" } } });
  page.get("/api/payment/get_credit_balance", { status: 0, data: { credits: 90 } }); // a renamed field
  page.check.gesture(T0 + 500);
  page.stream("/api/agent/ask_stream", { kind: "video", prompt: "a misty pine forest" }, [{ event: "start" }, { event: "done" }]);
  page.check.selectorCounts({ prompt_box: 0, send_button: 0 });
  const outcomes = page.check.outcomes(undefined);
  assert.deepEqual(outcomes, { account: MISSED, balance: MISSED, ask: MISSED, limit_texts: IDLE, prompt_box: MISSED, send_button: MISSED });
  assert.equal(settledWell(outcomes, true), false);
  const unmatched = page.check.unmatched();
  assert.deepEqual(unmatched.map(({ method, path, check }) => [method, path, check]), [
    ["GET", "/api/v2/me", null],
    ["GET", "/api/payment/get_credit_balance", "balance"],
    ["POST", "/api/agent/ask_stream", "ask"],
  ]);
  assert.deepEqual(unmatched[0].shape, { status: "number", data: { profile: { email: "string", name: "string" } } });
  assert.deepEqual(unmatched[2].shape, { request: { kind: "string", prompt: "string" }, stream_event: { event: "string" } });
  const text = JSON.stringify(unmatched);
  for (const value of [ME, "Alice", "misty", "90", "video"]) assert.equal(text.includes(value), false, value);
});

test("an unknown streamed POST without the user's gesture is not an ask (no false warning)", () => {
  const page = loadCheck();
  page.check.gesture(T0 - 60_000);
  page.stream("/api/notifications/stream", {}, [{ kind: "ping" }]);
  assert.equal(page.check.outcomes(ME).ask, IDLE);
});

test("a known ask endpoint with an unknown request type misses the ask rule", () => {
  const page = loadCheck();
  page.stream("/api/agent/ask_proxy", { type: "hologram_agent" }, ASK_EVENTS);
  assert.equal(page.check.outcomes(ME).ask, MISSED);
});

test("a refused ask: its limit text matches; a refusal no rule can read misses", () => {
  const page = loadCheck();
  page.stream("/api/agent/ask_proxy", { type: "ai_chat" }, [], { status: 429, text: "Rate limit exceeded cf1" });
  assert.equal(page.check.outcomes(ME).limit_texts, MATCHED);

  const changed = loadCheck();
  changed.stream("/api/agent/ask_proxy", { type: "ai_chat" }, [], { status: 402, text: "Your wallet is empty" });
  assert.equal(changed.check.outcomes(ME).limit_texts, MISSED);

  const cut = loadCheck(); // the stream closed without its result event
  cut.stream("/api/agent/ask_proxy", { type: "ai_chat" }, [{ type: "project_start", id: "p" }, { type: "oops", note: "credits gone" }]);
  assert.equal(cut.check.outcomes(ME).limit_texts, MISSED);

  const signedOut = loadCheck(); // "not login" says nothing about limits
  signedOut.stream("/api/agent/ask_proxy", { type: "ai_chat" }, [], { status: 401, text: "not login" });
  assert.equal(signedOut.check.outcomes(ME).limit_texts, MISSED);

  const flagged = loadCheck(); // the flag alone is enough
  flagged.stream("/api/agent/ask_proxy", { type: "ai_chat" }, [
    { type: "project_start", id: "p" },
    { type: "message_result", id: "p", session_state: { consume_usage_quota_exceeded: true } },
  ]);
  assert.equal(flagged.check.outcomes(ME).limit_texts, MATCHED);
});

test("a balance read by the extension itself counts", () => {
  const page = loadCheck();
  page.check.balanceRead();
  assert.equal(page.check.outcomes(ME).balance, MATCHED);
  assert.equal(settledWell(page.check.outcomes(ME), false), true);
  assert.equal(settledWell(page.check.outcomes(ME), true), false, "a heavy page waits for its selectors");
});

test("a load the site never answered, or a signed-out one, blames no rule", () => {
  const offline = loadCheck();
  offline.get("/api/user", null, 0);
  assert.equal(offline.check.siteAnswered(), false, "offline: the load is not recorded");
  const refused = loadCheck();
  refused.get("/api/user", { detail: "bad gateway" }, 502);
  assert.equal(refused.check.siteAnswered(), false);

  const signedOut = loadCheck();
  signedOut.get("/api/user", { status: -5, message: "not login", data: {} });
  signedOut.check.selectorCounts({ prompt_box: 0, send_button: 0 }); // a sign-in wall
  assert.equal(signedOut.check.siteAnswered(), true);
  const outcomes = signedOut.check.outcomes(null);
  assert.equal(outcomes.prompt_box, IDLE);
  assert.equal(outcomes.send_button, IDLE);
  assert.equal(settledWell(outcomes, true), false, "a heavy page still waits for its selectors or the deadline");
});
