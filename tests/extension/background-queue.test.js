import assert from "node:assert/strict";
import { test } from "node:test";

import { OUTBOX_KEY, createOutbox } from "../../extension/background/queue.js";
import { createChrome } from "./fakes/chrome.js";

const usage = (n) => ({
  event_id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  account: "me@example.com", operation: "chat", at: "2026-11-24T21:00:00Z",
});
const balance = (n) => ({ account: "me@example.com", balance: n, at: "2026-11-24T21:00:00Z" });

/** A helper stand-in: `answer(request)` → reply (default: ok with a tally). */
function fakeHelper(answer = () => ({ ok: true, tally: { remaining: 1 } })) {
  const sent = [];
  return {
    sent,
    send: async (request) => {
      sent.push(request);
      return answer(request);
    },
  };
}

const stored = async (storage) => (await storage.get(OUTBOX_KEY))[OUTBOX_KEY] ?? [];

test("an event is stored before it is sent, and removed once acknowledged", async () => {
  const storage = createChrome().storage.local;
  const seenAtSend = [];
  const acks = [];
  const outbox = createOutbox({
    storage,
    send: async (request) => {
      seenAtSend.push((await stored(storage)).map((entry) => entry.fields.event_id));
      return { ok: true, type: "usage", tally: { remaining: 9 } };
    },
    onAck: (reply, entry) => acks.push([reply.tally.remaining, entry.type]),
  });
  await outbox.enqueue("usage", usage(1));
  await outbox.flush();
  assert.deepEqual(seenAtSend, [[usage(1).event_id]]);
  assert.deepEqual(acks, [[9, "usage"]]);
  assert.deepEqual(await stored(storage), []);
});

test("requests carry the envelope and the stored fields", async () => {
  const storage = createChrome().storage.local;
  const helper = fakeHelper();
  const outbox = createOutbox({ storage, send: helper.send });
  await outbox.enqueue("balance", balance(80));
  await outbox.flush();
  const [{ v, id, type, ...fields }] = helper.sent;
  assert.equal(v, 1);
  assert.equal(type, "balance");
  assert.equal(typeof id, "string");
  assert.deepEqual(fields, balance(80));
});

test("while the helper is away events stay, and are replayed in order later", async () => {
  const storage = createChrome().storage.local;
  let away = true;
  const helper = fakeHelper(() =>
    away ? { ok: false, error: { code: "helper_unavailable" } } : { ok: true, tally: {} },
  );
  const outbox = createOutbox({ storage, send: helper.send });
  for (const n of [1, 2, 3]) await outbox.enqueue("usage", usage(n));
  await outbox.flush();
  assert.equal((await stored(storage)).length, 3);

  away = false;
  helper.sent.length = 0;
  await outbox.flush();
  assert.deepEqual(helper.sent.map((request) => request.event_id), [1, 2, 3].map((n) => usage(n).event_id));
  assert.deepEqual(await stored(storage), []);
});

test("a restarted worker replays what the last one left", async () => {
  const storage = createChrome().storage.local;
  const down = fakeHelper(() => ({ ok: false, error: { code: "timeout" } }));
  const before = createOutbox({ storage, send: down.send });
  await before.enqueue("usage", usage(1));
  await before.enqueue("balance", balance(50));
  await before.flush();

  const up = fakeHelper();
  await createOutbox({ storage, send: up.send }).flush();
  assert.deepEqual(up.sent.map((request) => request.type), ["usage", "balance"]);
  assert.deepEqual(await stored(storage), []);
});

test("a storage error at the helper is retried later, not dropped", async () => {
  const storage = createChrome().storage.local;
  const helper = fakeHelper(() => ({ ok: false, error: { code: "storage" } }));
  const outbox = createOutbox({ storage, send: helper.send });
  await outbox.enqueue("usage", usage(1));
  await outbox.flush();
  assert.equal((await stored(storage)).length, 1);
});

test("an event the helper calls invalid is dropped with a log, and the rest go on", async (t) => {
  const errors = t.mock.method(console, "error", () => {});
  const storage = createChrome().storage.local;
  const helper = fakeHelper((request) =>
    request.event_id === usage(1).event_id
      ? { ok: false, error: { code: "invalid", message: "bad event" } }
      : { ok: true, tally: {} },
  );
  const outbox = createOutbox({ storage, send: helper.send });
  await outbox.enqueue("usage", usage(1));
  await outbox.enqueue("usage", usage(2));
  await outbox.flush();
  assert.deepEqual(await stored(storage), []);
  assert.equal(errors.mock.callCount(), 1);
  await outbox.flush();
  assert.equal(helper.sent.filter((request) => request.event_id === usage(1).event_id).length, 1);
});

test("the outbox is bounded: the oldest balance readings go first", async (t) => {
  t.mock.method(console, "warn", () => {});
  const storage = createChrome().storage.local;
  const away = fakeHelper(() => ({ ok: false, error: { code: "helper_unavailable" } }));
  const outbox = createOutbox({ storage, send: away.send, maxEntries: 4 });
  await outbox.enqueue("usage", usage(1));
  await outbox.enqueue("balance", balance(10));
  await outbox.enqueue("usage", usage(2));
  await outbox.enqueue("balance", balance(20));
  await outbox.enqueue("usage", usage(3));
  await outbox.enqueue("usage", usage(4));
  const left = (await stored(storage)).map((entry) => entry.fields.event_id ?? entry.fields.balance);
  assert.deepEqual(left, [usage(1).event_id, usage(2).event_id, usage(3).event_id, usage(4).event_id]);
  await outbox.enqueue("usage", usage(5));
  const after = (await stored(storage)).map((entry) => entry.fields.event_id);
  assert.deepEqual(after, [2, 3, 4, 5].map((n) => usage(n).event_id));
});

test("events queued during a replay are sent too, each once", async () => {
  const storage = createChrome().storage.local;
  let outbox;
  const helper = fakeHelper((request) => {
    if (request.event_id === usage(1).event_id) outbox.enqueue("usage", usage(2));
    return { ok: true, tally: {} };
  });
  outbox = createOutbox({ storage, send: helper.send });
  await outbox.enqueue("usage", usage(1));
  await outbox.flush();
  await new Promise((resolve) => setImmediate(resolve));
  await outbox.flush();
  assert.deepEqual(helper.sent.map((request) => request.event_id), [usage(1).event_id, usage(2).event_id]);
  assert.deepEqual(await stored(storage), []);
});
