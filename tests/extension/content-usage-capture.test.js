// Usage capture's bookkeeping: one completion per operation, none for failures, none for
// old work shown again, the same key whenever the same operation is seen again.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { createUsageTracker } from "../../extension/content/features/usage-capture.js";
import { siteRules } from "./fakes/site-rules.js";

const rules = siteRules();
const NOW = 9_000_000; // the tracker's clock: when a completion is seen

function chat(tracker, { id = 1, events, complete = true, status = 200, text } = {}) {
  tracker.request({ id, endpoint: "ask_proxy", body: { type: "ai_chat", ai_chat_model: "claude-sonnet-4-5" }, bodyHash: "h1", at: 1000, endedAt: NOW });
  tracker.response({ id, status });
  for (const event of events ?? [
    { type: "project_start", id: "p1" },
    { type: "message_field_delta", field_name: "session_state.answer", delta: "Hi" },
    { type: "message_result", content: "Hi", id: "m1" },
  ]) {
    tracker.streamEvent({ id, endpoint: "ask_proxy", event });
  }
  return tracker.streamEnd({ id, complete, text });
}

describe("chat-like operations", () => {
  test("complete once when the stream ends with its result", () => {
    const done = chat(createUsageTracker(rules, { now: () => NOW }));
    assert.deepEqual(done, { key: "chat|ask_proxy|p1|m1|h1", operation: "chat", model: "claude-sonnet-4-5", at: 1000, endedAt: NOW });
  });

  test("the same operation seen again gives the same key (and is reported once per page)", () => {
    const first = chat(createUsageTracker(rules, { now: () => NOW }));
    const again = chat(createUsageTracker(rules, { now: () => NOW })); // e.g. another tab, another device
    assert.equal(again.key, first.key);
    const tracker = createUsageTracker(rules, { now: () => NOW });
    chat(tracker);
    assert.equal(chat(tracker), null);
  });

  test("nothing for an exhausted, rate-limited, failed, aborted or unfinished answer", () => {
    const exhausted = [{ type: "project_start", id: "p1" }, { type: "message_result", content: "You've reached your free usage limit today" }];
    assert.equal(chat(createUsageTracker(rules, { now: () => NOW }), { events: exhausted }), null);
    const flagged = [{ type: "message_field", session_state: { consume_usage_quota_exceeded: true } }, { type: "message_result", content: "" }];
    assert.equal(chat(createUsageTracker(rules, { now: () => NOW }), { events: flagged }), null);
    assert.equal(chat(createUsageTracker(rules, { now: () => NOW }), { text: "Rate limit exceeded cf1\n" }), null);
    assert.equal(chat(createUsageTracker(rules, { now: () => NOW }), { status: 500 }), null);
    assert.equal(chat(createUsageTracker(rules, { now: () => NOW }), { complete: false }), null);
    assert.equal(chat(createUsageTracker(rules, { now: () => NOW }), { events: [{ type: "project_start", id: "p1" }] }), null);
  });

  test("unknown request types start nothing", () => {
    const tracker = createUsageTracker(rules, { now: () => NOW });
    assert.equal(tracker.request({ id: 1, endpoint: "ask_proxy", body: { type: "title_suggestion" } }), null);
    tracker.streamEvent({ id: 1, endpoint: "ask_proxy", event: { type: "message_result" } });
    assert.equal(tracker.streamEnd({ id: 1, complete: true }), null);
  });
});

describe("image and video operations", () => {
  const success = (ids) => ({ type: "TASKS_STATUS_COMPLETE", final_status: Object.fromEntries(ids.map((id) => [id, { status: "SUCCESS" }])) });

  function askImage(tracker, id = 1) {
    tracker.request({ id, endpoint: "copilot_ask", body: { type: "COPILOT_MOA_IMAGE", extra_data: { models: ["flux"] } }, bodyHash: "h", at: 5000 });
    tracker.streamEvent({ id, endpoint: "copilot_ask", event: { type: "project_start", id: "p9" } });
    tracker.streamEvent({ id, endpoint: "copilot_ask", event: { type: "message_result", content: "" } });
    return tracker.streamEnd({ id, complete: true });
  }

  function poll(tracker, id, taskIds, event) {
    tracker.request({ id, endpoint: "image_tasks_status", body: { task_ids: taskIds }, at: 6000 + id });
    return event ? tracker.streamEvent({ id, endpoint: "image_tasks_status", event }) : tracker.streamEnd({ id, complete: true });
  }

  test("complete when the tasks succeed, not when the ask's stream ends", () => {
    const tracker = createUsageTracker(rules, { now: () => NOW });
    assert.equal(askImage(tracker), null);
    assert.equal(poll(tracker, 2, ["t2", "t1"]), null);
    const done = poll(tracker, 3, ["t2", "t1"], success(["t1", "t2"]));
    assert.deepEqual(done, { key: "image|task|t1", operation: "image", model: "flux", at: 5000, endedAt: NOW });
    assert.equal(poll(tracker, 4, ["t1", "t2"], success(["t1", "t2"])), null, "a repeated poll counts once");
  });

  test("tasks that fail record nothing", () => {
    const tracker = createUsageTracker(rules, { now: () => NOW });
    askImage(tracker);
    const failed = { type: "TASKS_STATUS_COMPLETE", final_status: { t1: { status: "FAILED" } } };
    assert.equal(poll(tracker, 2, ["t1"], failed), null);
  });

  test("finished tasks shown again (history) are not new usage", () => {
    const tracker = createUsageTracker(rules, { now: () => NOW });
    assert.equal(poll(tracker, 2, ["old"], success(["old"])), null);
  });

  test("after a reload, a generation seen in progress still counts, with the same key", () => {
    const tracker = createUsageTracker(rules, { now: () => NOW });
    poll(tracker, 2, ["t1"]);
    const done = poll(tracker, 3, ["t1"], success(["t1"]));
    assert.equal(done.key, "image|task|t1");
    assert.equal(done.model, null);
    assert.equal(done.at, 6002, "the first poll seen stands in for the start");
  });

  test("video tasks too", () => {
    const tracker = createUsageTracker(rules, { now: () => NOW });
    tracker.request({ id: 1, endpoint: "copilot_ask", body: { type: "COPILOT_MOA_VIDEO", extra_data: { models: ["veo3.1"] } }, at: 1 });
    tracker.request({ id: 2, endpoint: "video_tasks_status", body: { task_ids: ["v1"] }, at: 2 });
    const done = tracker.json({ id: 2, endpoint: "video_tasks_status", json: success(["v1"]) });
    assert.deepEqual(done, { key: "video|task|v1", operation: "video", model: "veo3.1", at: 1, endedAt: NOW });
  });
});

describe("super agent socket", () => {
  test("an ask sent and then ended completes once; frames from before do not", () => {
    const tracker = createUsageTracker(rules, { now: () => NOW });
    tracker.socketOpen({ id: 7, endpoint: "super_agent_socket" });
    assert.equal(tracker.socketFrame({ id: 7, direction: "in", frame: { type: "sas.ask.ended" } }), null, "history replayed on attach");
    tracker.socketFrame({ id: 7, direction: "out", frame: { type: "sas.ask", id: "q1" } });
    const done = tracker.socketFrame({ id: 7, direction: "in", frame: { type: "sas.ask.ended" } });
    assert.equal(done.key, "agent|socket|q1");
    assert.equal(done.operation, "agent");
    tracker.socketFrame({ id: 7, direction: "out", frame: { type: "sas.ask", id: "q2" } });
    assert.equal(tracker.socketFrame({ id: 7, direction: "in", frame: { type: "sys.error" } }), null);
    assert.equal(tracker.socketFrame({ id: 7, direction: "in", frame: { type: "sas.ask.ended" } }), null);
  });

  test("unknown sockets are ignored", () => {
    const tracker = createUsageTracker(rules, { now: () => NOW });
    tracker.socketOpen({ id: 8, endpoint: null });
    tracker.socketFrame({ id: 8, direction: "out", frame: { type: "sas.ask" } });
    assert.equal(tracker.socketFrame({ id: 8, direction: "in", frame: { type: "sas.ask.ended" } }), null);
  });
});
