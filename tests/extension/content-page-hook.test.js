// The page hook (MAIN world) and the loader (isolated world) in sandboxes sharing one
// stand-in for the DOM: the hook returns exactly what the originals return, leaves the
// page's bodies whole, sends bounded summaries of same-origin /api/ and /ws/ traffic only,
// installs once, and speaks only through the private port the loader takes at
// document_start, never through window.postMessage.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { beforeEach, describe, test } from "node:test";
import vm from "node:vm";

const HOOK = readFileSync(new URL("../../extension/content/page-hook.js", import.meta.url), "utf8");
const LOADER = readFileSync(new URL("../../extension/content/loader.js", import.meta.url), "utf8");
const MANIFEST = JSON.parse(readFileSync(new URL("../../extension/manifest.json", import.meta.url), "utf8"));
const PORT_EVENT = "credit-guard:hook-port";
const READY_EVENT = "credit-guard:loader-ready";
const inboxes = new Set(); // what each test's loader port received so far
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the hook's work is done: no message arrived for 50 ms (at most 3 s). */
async function settle() {
  const count = () => [...inboxes].reduce((sum, inbox) => sum + inbox.length, 0);
  await pause(50);
  for (let waited = 0, seen = -1; waited < 3_000 && seen !== count(); waited += 50) {
    seen = count();
    await pause(50);
  }
}

/** The browser's MessageEvent: Node's ignores `cancelable`, which the handshake needs. */
class BrowserMessageEvent extends Event {
  constructor(type, init = {}) {
    super(type, init);
    this.ports = Object.freeze([...(init.ports ?? [])]);
    this.data = init.data ?? null;
  }
}

/** What both worlds share: window's events (one EventTarget) and the DOM constructors. */
function createDom() {
  const target = new EventTarget();
  return {
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
    dispatchEvent: target.dispatchEvent.bind(target),
    Event,
    MessageEvent: BrowserMessageEvent,
    MessageChannel,
    MessagePort,
  };
}

/** The isolated world: runs the loader, returns the port it took (or null) and its errors. */
function runLoader(dom) {
  const errors = [];
  const sandbox = {
    ...dom,
    console: { error: (...args) => errors.push(args.map(String).join(" ")) },
    chrome: { runtime: { getURL: (path) => `chrome-extension://test/${path}` } },
  };
  vm.createContext(sandbox);
  vm.runInContext(LOADER, sandbox);
  const loader = vm.runInContext('globalThis[Symbol.for("credit-guard.loader")]', sandbox);
  return { port: loader.hookPort(), errors };
}

/** Collects what arrives on a port, structured-cloned as the browser does. */
function receive(port) {
  const received = [];
  inboxes.add(received);
  port.onmessage = (event) => received.push(event.data);
  port.unref(); // an open port must not keep the test process alive
  return received;
}

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

/** The page's MAIN world with the hook installed (window's events are `dom`'s). */
function runHook(dom, { fetchImpl }) {
  const postedOnWindow = [];
  const sandbox = {
    ...dom,
    location: new URL("https://www.genspark.ai/agents?type=image_generation_agent"),
    fetch: fetchImpl,
    Request, Response, Headers, TextDecoder, URL, console, setTimeout,
    XMLHttpRequest: FakeXHR,
    WebSocket: FakeSocket,
    History: FakeHistory,
    postMessage: (message, targetOrigin) => postedOnWindow.push({ message, targetOrigin }),
  };
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  vm.runInContext(HOOK, sandbox);
  return { window: sandbox, postedOnWindow };
}

/** The hook, then the loader, as the manifest runs them at document_start. */
function install({ fetchImpl }) {
  const dom = createDom();
  const hook = runHook(dom, { fetchImpl });
  const loader = runLoader(dom);
  assert.ok(loader.port, "the loader took the hook's port");
  const received = receive(loader.port);
  return { ...hook, dom, loader, messages: () => received };
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
    assert.deepEqual(hook.postedOnWindow, [], "nothing is posted on window, where the page hears it");
    assert.deepEqual({ ...request, at: 0 }, { type: "request", id: request.id, method: "GET", path: "/api/payment/get_credit_balance", at: 0 });
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
    assert.deepEqual(messages.at(-1), { type: "stream-end", id: request.id, complete: true, events: 3, text: undefined });
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
  test("XHR: same results, JSON answers posted at loadend", async () => {
    const hook = install({ fetchImpl: () => Promise.resolve(new Response("")) });
    const xhr = new hook.window.XMLHttpRequest();
    xhr.open("GET", "/api/user");
    assert.equal(xhr.send(), "xhr-send-result");
    xhr.finish(200, '{"status":0,"data":{"cogen":{"email":"me@example.com"}}}', "application/json");
    await settle();
    const types = hook.messages().map(({ type }) => type);
    assert.deepEqual(types, ["request", "response", "response-body"]);
    assert.equal(hook.messages()[2].json.data.cogen.email, "me@example.com");
  });

  test("WebSocket: the real socket, frames summarized to their names", async () => {
    const hook = install({ fetchImpl: () => Promise.resolve(new Response("")) });
    const socket = new hook.window.WebSocket("wss://www.genspark.ai/ws/super_agent_sandbox/v1");
    assert.ok(socket instanceof FakeSocket);
    assert.equal(socket.send(JSON.stringify({ type: "sas.ask", id: "q1", prompt: "secret words" })), "ws-send-result");
    socket.receive(JSON.stringify({ type: "sas.ask.ended", payload: { big: true } }));
    socket.receive("not json");
    await settle();
    const frames = hook.messages().filter(({ type }) => type === "ws-frame");
    assert.deepEqual(frames.map(({ direction, frame }) => [direction, frame]), [
      ["out", { type: "sas.ask", id: "q1" }],
      ["in", { type: "sas.ask.ended" }],
    ]);
    new hook.window.WebSocket("wss://other.example/ws/x").send("{}");
    await settle();
    assert.equal(hook.messages().filter(({ type }) => type === "ws-open").length, 1);
  });

  test("history: same results, a navigation message after each change", async () => {
    const hook = install({ fetchImpl: () => Promise.resolve(new Response("")) });
    const history = new hook.window.History();
    assert.equal(history.pushState({}, "", "/agents?type=ai_chat"), "push-result");
    assert.equal(history.replaceState({}, ""), "replace-result");
    await settle();
    assert.deepEqual(hook.messages().map(({ type }) => type), ["navigation", "navigation"]);
    for (const name of ["pushState", "replaceState"]) {
      const wrapper = hook.window.History.prototype[name];
      assert.deepEqual([wrapper.name, wrapper.length], [name, 2], "looks like the original to the page");
    }
  });

  test("installed twice, it wraps once", () => {
    const hook = install({ fetchImpl: () => Promise.resolve(new Response("")) });
    const wrapped = hook.window.fetch;
    vm.runInContext(HOOK, hook.window);
    assert.equal(hook.window.fetch, wrapped);
  });
});

describe("the private channel", () => {
  const json = () => Promise.resolve(new Response('{"status":0,"data":{"balance":57}}', { headers: { "content-type": "application/json" } }));

  test("the manifest runs the hook, then the loader, both at document_start", () => {
    const [hook, loader] = MANIFEST.content_scripts;
    assert.deepEqual([hook.js, hook.world, hook.run_at], [["content/page-hook.js"], "MAIN", "document_start"]);
    assert.deepEqual([loader.js, loader.world, loader.run_at], [["content/loader.js"], undefined, "document_start"]);
  });

  test("what the hook saw before the loader listens is queued on the port", async () => {
    const dom = createDom();
    const hook = runHook(dom, { fetchImpl: json });
    const { port } = runLoader(dom);
    await hook.window.fetch("/api/payment/get_credit_balance");
    await settle();
    const received = receive(port); // main.js listens late: the early answers still come
    await settle();
    assert.deepEqual(received.map(({ type }) => type), ["request", "response", "response-body"]);
  });

  test("a forged handshake from the page is not heard", async () => {
    const hook = install({ fetchImpl: json });
    const offersToThePage = [];
    hook.dom.addEventListener(PORT_EVENT, (event) => {
      offersToThePage.push(event);
      event.preventDefault();
    });
    hook.dom.dispatchEvent(new Event(READY_EVENT)); // the page asks for the hook's port…
    assert.deepEqual(offersToThePage, [], "…and gets nothing: the loader already took it");

    const forged = new MessageChannel();
    hook.dom.dispatchEvent(new BrowserMessageEvent(PORT_EVENT, { cancelable: true, ports: [forged.port2] }));
    forged.port1.postMessage({ type: "response-body", id: 1, json: { status: 0, data: { balance: 999999 } } });
    hook.dom.dispatchEvent(new BrowserMessageEvent("message", { data: { source: "credit-guard-hook", type: "navigation", url: "x" } }));
    forged.port1.close();
    await hook.window.fetch("/api/payment/get_credit_balance");
    await settle();
    const bodies = hook.messages().filter(({ type }) => type === "response-body");
    assert.deepEqual(bodies.map(({ json: body }) => body.data.balance), [57], "only the hook's own answer");
    assert.equal(hook.messages().filter(({ type }) => type === "navigation").length, 0);
  });

  test("a page that replaces MessagePort.prototype.postMessage never gets the port", async () => {
    const hook = install({ fetchImpl: json });
    const original = MessagePort.prototype.postMessage;
    const seen = [];
    MessagePort.prototype.postMessage = function postMessage(...args) {
      seen.push(this);
      return original.apply(this, args);
    };
    try {
      await hook.window.fetch("/api/payment/get_credit_balance");
      await settle();
    } finally {
      MessagePort.prototype.postMessage = original;
    }
    assert.deepEqual(seen, []);
    assert.equal(hook.messages().length, 3, "the hook's messages still arrive");
  });

  test("without the hook the loader takes no port, now or later, and says so", () => {
    const dom = createDom();
    const { port, errors } = runLoader(dom);
    assert.equal(port, null);
    assert.match(errors.join("\n"), /the page hook did not answer/);
    const forged = new MessageChannel();
    assert.equal(dom.dispatchEvent(new BrowserMessageEvent(PORT_EVENT, { cancelable: true, ports: [forged.port2] })), true, "nobody takes a later offer");
    forged.port1.close();
  });
});
