import assert from "node:assert/strict";
import { test } from "node:test";

import { createHelperPort } from "../../extension/background/port.js";
import { buildRequest } from "../../extension/shared/protocol.js";
import { FakeNativePort } from "./fakes/chrome.js";

/** setTimeout/clearTimeout on a clock that moves only when told to. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const due = new Map();
  return {
    setTimeout(callback, ms) {
      due.set(nextId, { at: now + ms, callback });
      return nextId++;
    },
    clearTimeout: (id) => due.delete(id),
    /** Delays of the timers still waiting, from now. */
    waiting: () => [...due.values()].map(({ at }) => at - now).sort((a, b) => a - b),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const [id, timer] = [...due].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (!id) break;
        due.delete(id);
        now = timer.at;
        timer.callback();
      }
      now = end;
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

const HELLO_REPLY = { ok: true, type: "hello", host_version: "0.1.0", protocol: 1, device_id: "dev-1" };

/**
 * A helper port over fake native ports. `answer(request)` is each port's responder
 * (default: hello only).
 */
function setup({ answer = (request) => (request.type === "hello" ? HELLO_REPLY : undefined) } = {}) {
  const runtime = { lastError: undefined };
  const ports = [];
  const timers = fakeTimers();
  const states = [];
  const helper = createHelperPort({
    connectNative(name) {
      const port = new FakeNativePort(name, runtime);
      port.respond = (request) => {
        const reply = answer(request);
        return reply && { v: 1, id: request.id, ...reply };
      };
      ports.push(port);
      return port;
    },
    hello: () => ({ extension_version: "0.1.0", browser: "chrome" }),
    lastError: () => runtime.lastError,
    timers,
  });
  helper.onState((state) => states.push(state));
  return { helper, ports, timers, states };
}

test("connects once, says hello with the extension's version and browser", async () => {
  const { helper, ports, states } = setup();
  helper.start();
  assert.equal(ports.length, 1);
  assert.equal(ports[0].name, "com.creditguard.helper");
  const [hello] = ports[0].posted;
  assert.equal(hello.type, "hello");
  assert.equal(hello.v, 1);
  assert.equal(hello.extension_version, "0.1.0");
  assert.equal(hello.browser, "chrome");
  assert.equal(helper.state().state, "connecting");
  await settle();
  assert.deepEqual(helper.state(), {
    state: "connected", version: "0.1.0", device_id: "dev-1", last_error: null,
  });
  assert.deepEqual(states.map((s) => s.state), ["connected"]);
});

test("replies are matched to their requests by id, in any order", async () => {
  const { helper, ports } = setup();
  helper.start();
  await settle();
  const first = helper.request(buildRequest("status", {}, "a"));
  const second = helper.request(buildRequest("status", {}, "b"));
  ports[0].reply({ v: 1, id: "b", ok: true, type: "status", accounts: ["B"] });
  ports[0].reply({ v: 1, id: "a", ok: true, type: "status", accounts: ["A"] });
  assert.deepEqual((await first).accounts, ["A"]);
  assert.deepEqual((await second).accounts, ["B"]);
});

test("a request unanswered in time resolves as timeout; the late reply is ignored", async () => {
  const { helper, ports, timers } = setup();
  helper.start();
  await settle();
  const asked = helper.request(buildRequest("preflight", { account: "a" }, "p1"), { timeoutMs: 300 });
  timers.advance(299);
  let answered = false;
  asked.then(() => (answered = true));
  await settle();
  assert.equal(answered, false);
  timers.advance(1);
  const reply = await asked;
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, "timeout");
  ports[0].reply({ v: 1, id: "p1", ok: true, type: "preflight", level: "ok" });
  assert.equal(helper.state().state, "connected");
});

test("pushes go to push listeners; replies do not", async () => {
  const { helper, ports } = setup();
  const pushes = [];
  helper.onPush((push) => pushes.push(push));
  helper.start();
  await settle();
  ports[0].reply({ v: 1, type: "tally.changed", account: "me@example.com", tally: { remaining: 5 } });
  assert.deepEqual(pushes, [{ v: 1, type: "tally.changed", account: "me@example.com", tally: { remaining: 5 } }]);
});

test("a host that is not installed means missing (Chromium and Firefox)", async () => {
  for (const [error, viaPortError] of [
    ["Specified native messaging host not found.", false],
    ["No such native application com.creditguard.helper", true],
  ]) {
    const { helper, ports, states } = setup({ answer: () => undefined });
    helper.start();
    if (viaPortError) {
      ports[0].error = { message: error };
      ports[0].hostDisconnect(undefined);
    } else {
      ports[0].hostDisconnect(error);
    }
    assert.equal(helper.state().state, "missing", error);
    assert.equal(helper.state().last_error, error);
    assert.deepEqual(states.map((s) => s.state), ["missing"]);
  }
});

test("a helper that exits is an error; pending requests fail as helper_unavailable", async () => {
  const { helper, ports } = setup();
  helper.start();
  await settle();
  const asked = helper.request(buildRequest("status", {}));
  ports[0].hostDisconnect("Native host has exited.");
  const reply = await asked;
  assert.equal(reply.error.code, "helper_unavailable");
  assert.equal(helper.state().state, "error");
  const whileDown = await helper.request(buildRequest("status", {}));
  assert.equal(whileDown.error.code, "helper_unavailable");
});

test("reconnects with exponential backoff up to 30 s, reset by a good hello", async () => {
  let installed = false;
  const { helper, ports, timers, states } = setup({
    answer: (request) => (installed && request.type === "hello" ? HELLO_REPLY : undefined),
  });
  helper.start();
  const delays = [];
  for (let attempt = 0; attempt < 9; attempt++) {
    ports.at(-1).hostDisconnect("Specified native messaging host not found.");
    [delays[attempt]] = timers.waiting();
    timers.advance(delays[attempt]);
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(ports.length, 10);
  // While it stays missing, retries do not flicker through "connecting".
  assert.deepEqual([...new Set(states.map((s) => s.state))], ["missing"]);

  installed = true;
  ports.at(-1).hostDisconnect("Specified native messaging host not found.");
  timers.advance(timers.waiting()[0]);
  await settle();
  assert.equal(helper.state().state, "connected");
  ports.at(-1).hostDisconnect("Native host has exited.");
  assert.equal(timers.waiting()[0], 500);
});

test("a helper that never answers hello is dropped and started again", async () => {
  const { helper, ports, timers } = setup({ answer: () => undefined });
  helper.start();
  timers.advance(10_000);
  await settle();
  assert.equal(ports[0].connected, false);
  assert.equal(helper.state().state, "error");
  timers.advance(timers.waiting()[0]);
  assert.equal(ports.length, 2);
});
