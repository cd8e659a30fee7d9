// The page hook (MAIN world) in a sandbox: it returns exactly what the originals return,
// leaves the page's bodies whole, posts bounded summaries of same-origin /api/ and /ws/
// traffic only, and installs once.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { beforeEach, describe, test } from "node:test";
import vm from "node:vm";

const SOURCE = readFileSync(new URL("../../extension/content/page-hook.js", import.meta.url), "utf8");
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

class FakeXHR {
  constructor() {
    this.listeners = {};
    this.status = 0;
    this.responseType = "";
    this.responseText = "";
    this.headers = {};
  }
  open(method, url) {
    this.opened = [method, url];
  }
  send(body) {
    this.sent = body;
    return "xhr-send-result";
  }
  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }
  getResponseHeader(name) {
    return this.headers[name] ?? null;
  }
  finish(status, text, contentType) {
    Object.assign(this, { status, responseText: text, headers: { "content-type": contentType } });
    for (const listener of this.listeners.loadend ?? []) listener();
  }
}

class FakeSocket {
  constructor(url) {
    this.url = url;
    this.listeners = {};
  }
  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }
  send() {
    return "ws-send-result";
  }
  receive(data) {
    for (const listener of this.listeners.message ?? []) listener({ data });
  }
}

class FakeHistory {
  pushState() {
    return "push-result";
  }
  replaceState() {
    return "replace-result";
  }
}

function install({ fetchImpl }) {
  const posted = [];
  const sandbox = {
    location: new URL("https://www.genspark.ai/agents?type=image_generation_agent"),
    fetch: fetchImpl,
    Request, Response, Headers, TextDecoder, URL, console, setTimeout,
    XMLHttpRequest: FakeXHR,
    WebSocket: FakeSocket,
    History: FakeHistory,
    postMessage: (message, targetOrigin) => posted.push({ message, targetOrigin }),
  };
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  vm.runInContext(SOURCE, sandbox);
  // Structured-cloned like postMessage does (and out of the sandbox's realm).
  return { window: sandbox, posted, messages: () => posted.map(({ message }) => structuredClone(message)) };
}

function sse(lines) {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      // Split mid-line on purpose: events must be reassembled across chunks.
      const text = lines.join("\n");
      controller.enqueue(encoder.encode(text.slice(0, 25)));
      controller.enqueue(encoder.encode(text.slice(25)));
      controller.close();
    },
  });
}

describe("fetch", () => {
  let calls;
  beforeEach(() => {
    calls = [];
  });

  test("returns the original's promise and leaves the body to the page", async () => {
    let original;
    const hook = install({
      fetchImpl: (...args) => {
        calls.push(args);
        original = Promise.resolve(new Response(JSON.stringify({ status: 0, data: { balance: 57 } }), {
          status: 200, headers: { "content-type": "application/json", date: "Tue, 24 Nov 2026 21:00:05 GMT" },
        }));
        return original;
      },
    });
    const result = hook.window.fetch("/api/payment/get_credit_balance", { credentials: "include" });
    assert.equal(result, original, "the very same promise");
    assert.deepEqual(calls[0], ["/api/payment/get_credit_balance", { credentials: "include" }]);
    assert.deepEqual(await (await result).json(), { status: 0, data: { balance: 57 } }, "the page reads its body");
    await settle();
    const [request, response, body] = hook.messages();
    assert.equal(hook.posted[0].targetOrigin, "https://www.genspark.ai");
    assert.deepEqual({ ...request, at: 0 }, { source: "credit-guard-hook", type: "request", id: request.id, method: "GET", path: "/api/payment/get_credit_balance", at: 0 });
    assert.equal(response.status, 200);
    assert.equal(response.headers.date, "Tue, 24 Nov 2026 21:00:05 GMT");
    assert.deepEqual(body.json, { status: 0, data: { balance: 57 } });
  });

  test("stream events are posted as they come, the page's stream stays whole", async () => {
    const lines = [
      'data: {"type":"project_start","id":"p1"}',
      "",
      `data: {"type":"message_field_delta","delta":"${"long ".repeat(100)}"}`,
      "",
      'data: {"type":"message_result","content":"Hi","id":"m1"}',
      "",
      "data: [DONE]",
      "",
    ];
    const hook = install({
      fetchImpl: () => Promise.resolve(new Response(sse(lines), { headers: { "content-type": "text/event-stream" } })),
    });
    const prompt = "p".repeat(400);
    const response = await hook.window.fetch("https://www.genspark.ai/api/agent/ask_proxy", {
      method: "POST", body: JSON.stringify({ type: "ai_chat", ai_chat_model: "flux", query: prompt }),
    });
    assert.equal(await response.text(), lines.join("\n"));
    await settle();
    const messages = hook.messages();
    const request = messages.find(({ type }) => type === "request");
    assert.deepEqual(request.body, { type: "ai_chat", ai_chat_model: "flux" }, "long strings (the prompt) are left out");
    assert.match(request.bodyHash, /^[0-9a-f]+$/);
    assert.ok(!JSON.stringify(messages).includes(prompt));
    const events = messages.filter(({ type }) => type === "stream-event").map(({ event }) => event);
    assert.deepEqual(events, [{ type: "project_start", id: "p1" }, { type: "message_field_delta" }, { type: "message_result", content: "Hi", id: "m1" }]);
    assert.deepEqual(messages.at(-1), { source: "credit-guard-hook", type: "stream-end", id: request.id, complete: true, events: 3, text: undefined });
  });

  test("a bare text answer is kept as text", async () => {
    const hook = install({
      fetchImpl: () => Promise.resolve(new Response("Rate limit exceeded cf1", { status: 429, headers: { "content-type": "text/plain" } })),
    });
    await hook.window.fetch("/api/agent/ask_proxy", { method: "POST", body: "{}" });
    await settle();
    const end = hook.messages().find(({ type }) => type === "stream-end");
    assert.equal(end.text, "Rate limit exceeded cf1\n");
    assert.equal(hook.messages().find(({ type }) => type === "response").status, 429);
  });

  test("a failure reaches the page unchanged and is posted as status 0", async () => {
    const failure = new TypeError("Failed to fetch");
    const hook = install({ fetchImpl: () => Promise.reject(failure) });
    await assert.rejects(hook.window.fetch("/api/user"), (error) => error === failure);
    await settle();
    assert.equal(hook.messages().find(({ type }) => type === "response").status, 0);
  });

  test("other origins and other paths are not observed", async () => {
    const hook = install({ fetchImpl: () => Promise.resolve(new Response("{}", { headers: { "content-type": "application/json" } })) });
    await hook.window.fetch("https://evil.example/api/user");
    await hook.window.fetch("/static/app.js");
    await hook.window.fetch("/apiary");
    await settle();
    assert.deepEqual(hook.messages(), []);
  });

  test("a Request object's body is read from a clone", async () => {
    let seenBody;
    const hook = install({
      fetchImpl: async (request) => {
        seenBody = await request.text();
        return new Response("{}", { headers: { "content-type": "application/json" } });
      },
    });
    const request = new Request("https://www.genspark.ai/api/ig_tasks_status", { method: "POST", body: '{"task_ids":["t1"]}' });
    await hook.window.fetch(request);
    await settle();
    assert.equal(seenBody, '{"task_ids":["t1"]}', "the page's request still has its body");
    assert.deepEqual(hook.messages().find(({ type }) => type === "request").body, { task_ids: ["t1"] });
  });
});

describe("XMLHttpRequest, WebSocket, history", () => {
  test("XHR: same results, JSON answers posted at loadend", () => {
    const hook = install({ fetchImpl: () => Promise.resolve(new Response("")) });
    const xhr = new hook.window.XMLHttpRequest();
    xhr.open("GET", "/api/user");
    assert.equal(xhr.send(), "xhr-send-result");
    xhr.finish(200, '{"status":0,"data":{"cogen":{"email":"me@example.com"}}}', "application/json");
    const types = hook.messages().map(({ type }) => type);
    assert.deepEqual(types, ["request", "response", "response-body"]);
    assert.equal(hook.messages()[2].json.data.cogen.email, "me@example.com");
  });

  test("WebSocket: the real socket, frames summarized to their names", () => {
    const hook = install({ fetchImpl: () => Promise.resolve(new Response("")) });
    const socket = new hook.window.WebSocket("wss://www.genspark.ai/ws/super_agent_sandbox/v1");
    assert.ok(socket instanceof FakeSocket);
    assert.equal(socket.send(JSON.stringify({ type: "sas.ask", id: "q1", prompt: "secret words" })), "ws-send-result");
    socket.receive(JSON.stringify({ type: "sas.ask.ended", payload: { big: true } }));
    socket.receive("not json");
    const frames = hook.messages().filter(({ type }) => type === "ws-frame");
    assert.deepEqual(frames.map(({ direction, frame }) => [direction, frame]), [
      ["out", { type: "sas.ask", id: "q1" }],
      ["in", { type: "sas.ask.ended" }],
    ]);
    new hook.window.WebSocket("wss://other.example/ws/x").send("{}");
    assert.equal(hook.messages().filter(({ type }) => type === "ws-open").length, 1);
  });

  test("history: same results, a navigation message after each change", () => {
    const hook = install({ fetchImpl: () => Promise.resolve(new Response("")) });
    const history = new hook.window.History();
    assert.equal(history.pushState({}, "", "/agents?type=ai_chat"), "push-result");
    assert.equal(history.replaceState({}, ""), "replace-result");
    assert.deepEqual(hook.messages().map(({ type }) => type), ["navigation", "navigation"]);
    for (const name of ["pushState", "replaceState"]) {
      const wrapper = hook.window.History.prototype[name];
      assert.deepEqual([wrapper.name, wrapper.length], [name, 2], "looks like the original to the page");
    }
  });

  test("installed twice, it wraps once", () => {
    const hook = install({ fetchImpl: () => Promise.resolve(new Response("")) });
    const wrapped = hook.window.fetch;
    vm.runInContext(SOURCE, hook.window);
    assert.equal(hook.window.fetch, wrapped);
  });
});
