// The hook's raw messages become named traffic events.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createTraffic } from "../../extension/content/traffic.js";
import { siteRules } from "./fakes/site-rules.js";

const rules = siteRules();

test("request, response, body and stream messages carry their endpoint name", () => {
  const events = [];
  const handle = createTraffic(rules, (type, detail) => events.push([type, detail]));
  handle({ type: "request", id: 1, method: "POST", path: "/api/agent/ask_proxy", body: { type: "ai_chat" }, bodyHash: "h", at: 5 });
  handle({ type: "response", id: 1, method: "POST", path: "/api/agent/ask_proxy", status: 200, headers: { date: "d" } });
  handle({ type: "stream-event", id: 1, event: { type: "project_start", id: "p" } });
  handle({ type: "stream-end", id: 1, complete: true, events: 1 });
  handle({ type: "response", id: 2, method: "GET", path: "/api/user", status: 200 });
  handle({ type: "response-body", id: 2, json: { status: 0 } });
  handle({ type: "ws-open", id: 3, path: "/ws/super_agent_sandbox/v1" });
  handle({ type: "ws-frame", id: 3, direction: "out", frame: { type: "sas.ask" } });
  handle({ type: "navigation", url: "https://www.genspark.ai/agents?type=ai_chat" });
  handle({ type: "something-else" });
  handle(null);

  assert.deepEqual(events.map(([type, detail]) => [type, detail.endpoint]), [
    ["request", "ask_proxy"],
    ["response", "ask_proxy"],
    ["stream-event", "ask_proxy"],
    ["stream-end", "ask_proxy"],
    ["response", "user"],
    ["json", "user"],
    ["socket-open", "super_agent_socket"],
    ["socket-frame", "super_agent_socket"],
    ["navigation", undefined],
  ]);
  assert.deepEqual(events[0][1], { id: 1, method: "POST", path: "/api/agent/ask_proxy", endpoint: "ask_proxy", body: { type: "ai_chat" }, bodyHash: "h", at: 5 });
  assert.equal(events[3][1].complete, true);
  assert.deepEqual(events[4][1].headers, {});
});

test("messages about unknown requests have no endpoint", () => {
  const events = [];
  const handle = createTraffic(rules, (type, detail) => events.push(detail));
  handle({ type: "stream-event", id: 99, event: {} });
  handle({ type: "request", id: 5, method: "GET", path: "/api/something/new" });
  assert.equal(events[0].endpoint, null);
  assert.equal(events[1].endpoint, null);
});
