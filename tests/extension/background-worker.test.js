// The real worker module over the fake chrome.* and a scripted helper. The module
// starts once per file, so these tests run in order and share its state.
import assert from "node:assert/strict";
import { test } from "node:test";

import { installChrome } from "./fakes/chrome.js";

const ACCOUNT = "me@example.com";
const TALLY = {
  account: ACCOUNT, plan: "free", allowance: 100, remaining: 8,
  period: { start: "2026-11-24T00:00:00Z", end: "2099-11-25T00:00:00Z" },
  reset_at: "2099-11-25T00:00:00Z",
};
const GLOBAL = { language: "auto", notifications: true, notify_thresholds: [50, 20, 10] };

/** What the scripted helper answers, by request type (undefined: it stays silent). */
const answers = {
  hello: () => ({ ok: true, host_version: "0.1.0", protocol: 1, device_id: "dev-1" }),
  "config.get": () => ({ ok: true, global: GLOBAL }),
  status: () => ({ ok: true, accounts: [TALLY] }),
  usage: () => ({ ok: true, duplicate: false, tally: TALLY }),
  undo: () => ({ ok: true, duplicate: false, tally: TALLY }),
  preflight: (request) => (request.operation === "video" ? undefined : { ok: true, level: "ok" }),
  diagnose: () => ({ ok: true, steps: [{ id: "wait_rate_limit", why: "", how: "" }] }),
};

const chrome = installChrome({
  tabs: [{ id: 7, url: "https://www.genspark.ai/agents?type=ai_chat", active: true }],
  nativeHost(port) {
    port.respond = (request) => {
      const reply = answers[request.type]?.(request);
      return reply && { v: 1, id: request.id, type: request.type, ...reply };
    };
  },
});
await import("../../extension/background/worker.js");

const helperPort = () => chrome.runtime.nativePorts.at(-1);
const send = (message, sender = {}) => chrome.runtime.dispatchMessage(message, sender);
const fromTab = { tab: { id: 7, url: "https://www.genspark.ai/agents?type=ai_chat" } };

async function until(condition, what, ms = 3000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test("starts by connecting, says hello, announces the state and reads the settings", async () => {
  assert.equal(chrome.runtime.nativePorts.length, 1);
  assert.equal(helperPort().name, "com.creditguard.helper");
  const [hello] = helperPort().posted;
  assert.equal(hello.type, "hello");
  assert.equal(hello.extension_version, chrome.runtime.getManifest().version);
  await until(async () => (await send({ kind: "helper.state" })).state === "connected", "connected");
  const state = await send({ kind: "helper.state" });
  assert.deepEqual(state, {
    ok: true, state: "connected", version: "0.1.0", device_id: "dev-1", last_error: null,
  });
  assert.ok(chrome.runtime.sent.some((m) => m.kind === "helper.state" && m.state === "connected"));
  assert.ok(chrome.tabs.sent.some(({ id, message }) => id === 7 && message.kind === "helper.state"));
  await until(() => chrome.storage.local.data.helper_config, "settings");
});

test("preflight: only the helper's fields, in the browser's language", async () => {
  const reply = await send({ kind: "preflight", account: ACCOUNT, operation: "chat", timeout_ms: 300 }, fromTab);
  assert.equal(reply.ok, true);
  assert.equal(reply.level, "ok");
  const { v, id, ...request } = helperPort().posted.at(-1);
  assert.deepEqual(request, { type: "preflight", account: ACCOUNT, operation: "chat", language: "en" });
});

test("a preflight the helper is too slow for times out and is counted", async () => {
  const started = Date.now();
  const reply = await send({ kind: "preflight", account: ACCOUNT, operation: "video", timeout_ms: 300 }, fromTab);
  assert.deepEqual(reply.error.code, "timeout");
  assert.ok(Date.now() - started < 600);
  await until(() => chrome.storage.local.data.missed_preflights === 1, "the count");
  const status = await send({ kind: "status" });
  assert.equal(status.helper.missed_preflights, 1);
  assert.equal(status.helper.state, "connected");
  assert.deepEqual(status.accounts, [TALLY]);
});

test("messages that need an account say no_account without one", async () => {
  for (const kind of ["preflight", "usage", "balance", "diagnose"]) {
    const reply = await send({ kind }, fromTab);
    assert.equal(reply.error.code, "no_account", kind);
  }
  assert.equal(await send({ kind: "tally.changed" }), undefined); // not for the background
});

test("the popup's diagnose (empty signals) uses what the account's page sent last", async () => {
  const signals = { http_status: [429], requests_last_minute: 40 };
  assert.equal((await send({ kind: "diagnose", account: ACCOUNT, signals }, fromTab)).ok, true);
  assert.deepEqual(chrome.storage.session.data.last_signals[ACCOUNT].signals, signals);
  assert.equal((await send({ kind: "diagnose", account: ACCOUNT, signals: {}, language: "ja" })).ok, true);
  const { v, id, ...request } = helperPort().posted.at(-1);
  assert.deepEqual(request, { type: "diagnose", account: ACCOUNT, signals, language: "ja" });
  await send({ kind: "diagnose", account: "other@example.com", signals: {} });
  assert.deepEqual(helperPort().posted.at(-1).signals, {}, "another account's signals are not used");
});

test("usage is queued at once, delivered, and its tally reaches popups, tabs and the badge", async () => {
  const event = { kind: "usage", event_id: crypto.randomUUID(), account: ACCOUNT, operation: "image",
    at: "2026-11-24T21:00:01Z", credits: 40 };
  assert.deepEqual(await send(event, fromTab), { ok: true, queued: true });
  await until(() => chrome.tabs.sent.some(({ message }) => message.kind === "tally.changed"), "the tally");
  const { v, id, ...request } = helperPort().posted.find((m) => m.type === "usage");
  assert.deepEqual(request, { type: "usage", event_id: event.event_id, account: ACCOUNT,
    operation: "image", at: event.at, credits: 40 });
  assert.ok(chrome.runtime.sent.some((m) => m.kind === "tally.changed" && m.account === ACCOUNT));
  await until(() => chrome.action.badge.text === "8", "the badge");
  assert.match(chrome.action.badge.title, /me@example\.com/);
  await until(() => chrome.notifications.shown.length === 1, "the notification");
  assert.equal(chrome.notifications.shown[0].title, "Genspark credits: 10% left");
  assert.deepEqual(chrome.storage.local.data.outbox, []);
});

test("a tally pushed by the helper is passed on", async () => {
  const before = chrome.runtime.sent.length;
  helperPort().reply({ v: 1, type: "tally.changed", account: ACCOUNT, tally: { ...TALLY, remaining: 60 } });
  await until(() => chrome.action.badge.text === "60", "the badge");
  const pushed = chrome.runtime.sent.slice(before).find((m) => m.kind === "tally.changed");
  assert.equal(pushed.tally.remaining, 60);
});

test("clearing site data needs the browsingData permission and touches genspark.ai only", async () => {
  const denied = await send({ kind: "tab.action", action: "clear_site_data" });
  assert.equal(denied.error.code, "permission_denied");
  assert.deepEqual(chrome.browsingData.removed, []);
  chrome.permissions.granted.add("browsingData");
  assert.equal((await send({ kind: "tab.action", action: "clear_site_data" })).ok, true);
  const [{ options, types }] = chrome.browsingData.removed;
  assert.deepEqual(options, { origins: ["https://www.genspark.ai"] });
  assert.deepEqual(Object.keys(types).sort(),
    ["cache", "cacheStorage", "cookies", "indexedDB", "localStorage", "serviceWorkers"]);
});

test("clearing the cache needs the permission too and keeps the sign-in (no cookies or storage)", async () => {
  chrome.permissions.granted.delete("browsingData");
  const denied = await send({ kind: "tab.action", action: "clear_cache" });
  assert.equal(denied.error.code, "permission_denied");
  chrome.permissions.granted.add("browsingData");
  const before = chrome.browsingData.removed.length;
  assert.equal((await send({ kind: "tab.action", action: "clear_cache" })).ok, true);
  const [{ options, types }] = chrome.browsingData.removed.slice(before);
  assert.deepEqual(options, { origins: ["https://www.genspark.ai"] });
  assert.deepEqual(Object.keys(types).sort(), ["cache", "cacheStorage", "serviceWorkers"]);
});

test("tab actions: reload the sender's tab, open login and status from the site rules", async () => {
  assert.equal((await send({ kind: "tab.action", action: "reload" }, fromTab)).ok, true);
  assert.deepEqual(chrome.tabs.reloaded, [7]);
  assert.equal((await send({ kind: "tab.action", action: "open_login" })).ok, true);
  assert.equal(chrome.tabs.list.find((tab) => tab.id === 7).url, "https://www.genspark.ai/login");
  assert.equal((await send({ kind: "tab.action", action: "open_status" })).ok, true);
  assert.equal(chrome.tabs.list.at(-1).url, "https://status.genspark.ai/");
});

test("reloading past the cache needs no permission", async () => {
  chrome.permissions.granted.delete("browsingData");
  const before = chrome.tabs.reloaded.length;
  assert.equal((await send({ kind: "tab.action", action: "reload_without_cache" }, fromTab)).ok, true);
  assert.deepEqual(chrome.tabs.reloaded.slice(before), [7]);
  assert.deepEqual(chrome.tabs.reloadedWithoutCache, [7]);
});

test("when the helper drops, events wait in the outbox and go once it is back", async () => {
  helperPort().hostDisconnect("Native host has exited.");
  assert.equal((await send({ kind: "helper.state" })).state, "error");
  const event = { kind: "usage", event_id: crypto.randomUUID(), account: ACCOUNT, operation: "chat",
    at: "2026-11-24T21:05:00Z" };
  assert.deepEqual(await send(event, fromTab), { ok: true, queued: true });
  assert.equal(chrome.storage.local.data.outbox.length, 1);
  await until(() => chrome.runtime.nativePorts.length === 2, "the reconnection");
  await until(() => chrome.storage.local.data.outbox.length === 0, "the replay");
  assert.ok(helperPort().posted.some((m) => m.event_id === event.event_id));
});

test("the reset nudge: an alarm when its window opens asks for status, then one notice", async () => {
  const nudgeAt = "2099-11-24T21:00:00Z";
  const pace = { per_hour: 1, outlook: "lasts", runs_out_at: null, before_reset_seconds: null, nudge_at: nudgeAt };
  answers.status = () => ({ ok: true, accounts: [{ ...TALLY, remaining: 70, pace: { ...pace, nudge: false } }] });
  await send({ kind: "status" });
  await until(() => chrome.alarms.all.get("credit-guard-nudge"), "the nudge alarm");
  assert.equal(chrome.alarms.all.get("credit-guard-nudge").when, Date.parse(nudgeAt) + 5_000);
  const nudges = () => chrome.notifications.shown.filter((n) => n.id.endsWith(":nudge"));
  assert.equal(nudges().length, 0);

  answers.status = () => ({ ok: true, accounts: [{ ...TALLY, remaining: 70, pace: { ...pace, nudge: true } }] });
  chrome.alarms.fire("credit-guard-nudge");
  await until(() => nudges().length === 1, "the nudge");
  assert.match(nudges()[0].message, /70 credits\. Free credits do not carry over/);
  chrome.alarms.fire("credit-guard-nudge");
  chrome.runtime.onStartup.dispatch();
  await until(() => helperPort().posted.filter((m) => m.type === "status").length >= 4, "two more status");
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(nudges().length, 1, "once per period");
});

test("a popup's undo waits behind the usage it undoes and reaches the helper after it", async () => {
  helperPort().hostDisconnect("Native host has exited.");
  const usage = { kind: "usage", event_id: crypto.randomUUID(), account: ACCOUNT, operation: "image",
    at: "2026-11-24T21:06:00Z", credits: 500, source: "manual" };
  assert.deepEqual(await send(usage), { ok: true, queued: true });
  assert.deepEqual(await send({ kind: "undo", event_id: usage.event_id, account: ACCOUNT }),
    { ok: true, queued: true });
  assert.deepEqual(chrome.storage.local.data.outbox.map((entry) => entry.type), ["usage", "undo"]);
  await until(() => chrome.storage.local.data.outbox.length === 0, "the replay");
  const posted = helperPort().posted.filter((m) => m.event_id === usage.event_id);
  assert.deepEqual(posted.map((m) => m.type), ["usage", "undo"]);
  const { v, id, ...undo } = posted[1];
  assert.deepEqual(undo, { type: "undo", event_id: usage.event_id }, "only the helper's fields");
});

test("the popup's sync.* requests reach the helper in its language; a page's never do", async () => {
  const sync = { state: "off", transport: null, devices: [] };
  answers["sync.status"] = () => ({ ok: true, sync });
  answers["sync.join"] = () => ({ ok: true, sync: { ...sync, state: "ok" } });
  const fromPopup = { url: chrome.runtime.getURL("popup/popup.html#devices") };
  await until(async () => (await send({ kind: "helper.state" })).state === "connected", "connected");

  const reply = await send({ kind: "sync.status", language: "ja" }, fromPopup);
  assert.deepEqual([reply.ok, reply.sync], [true, sync]);
  const { v, id, ...status } = helperPort().posted.at(-1);
  assert.deepEqual(status, { type: "sync.status", language: "ja" });

  const joined = await send({ kind: "sync.join", code: "1000G", folder: "/srv/sync", extra: "dropped" }, fromPopup);
  assert.equal(joined.sync.state, "ok");
  const { v: _v, id: _id, ...join } = helperPort().posted.at(-1);
  assert.deepEqual(join, { type: "sync.join", code: "1000G", folder: "/srv/sync", language: "en" },
    "only the helper's fields; the settings' language when the popup gives none");

  const before = helperPort().posted.length;
  for (const kind of ["sync.status", "sync.pair", "sync.join", "sync.leave", "sync.now", "sync.name"]) {
    const reply = await send({ kind }, fromTab);
    assert.equal(reply.error?.code, "not_allowed", kind);
    const elsewhere = await send({ kind }, { url: "https://www.genspark.ai/popup/popup.html" });
    assert.equal(elsewhere.error?.code, "not_allowed", `${kind} from a page that looks like the popup`);
  }
  assert.equal(helperPort().posted.length, before, "nothing reached the helper");
});

test("the manifest asks for nothing new for sync", () => {
  const manifest = chrome.runtime.getManifest();
  assert.deepEqual(manifest.permissions, ["nativeMessaging", "storage", "alarms", "notifications"]);
  assert.deepEqual(manifest.host_permissions, ["https://www.genspark.ai/*"]);
});
