// The self-check's loads in the background: one write at a time, cleaned, kept in storage.local.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createSelfCheckStore } from "../../extension/background/self-check.js";
import { CHECK_IDS, KEEP_LOADS, OUTCOME, SELF_CHECK_KEY } from "../../extension/shared/self-check.js";
import { createChrome } from "./fakes/chrome.js";

const load = (n, checks = {}) => ({
  id: `tab-load-${n}`,
  at: 1_000 + n,
  page: "video",
  checks: { ...Object.fromEntries(CHECK_IDS.map((id) => [id, OUTCOME.MATCHED])), ...checks },
  unmatched: [],
});

test("loads from many tabs at once are all kept, and a load updates its own record", async () => {
  const { storage } = createChrome();
  const store = createSelfCheckStore(storage.local);
  const stored = await Promise.all(Array.from({ length: 8 }, (_, n) => store.record(load(n))));
  assert.deepEqual(stored, Array(8).fill(true));
  await store.record(load(3, { ask: OUTCOME.MISSED }));
  const loads = await store.read();
  assert.equal(loads.length, 8, "no write lost to another");
  assert.equal(loads.find(({ id }) => id === "tab-load-3").checks.ask, OUTCOME.MISSED);
  assert.deepEqual(storage.local.data[SELF_CHECK_KEY].loads, loads);
});

test("what is not a load is refused; the store stays bounded", async () => {
  const { storage } = createChrome();
  const store = createSelfCheckStore(storage.local);
  assert.equal(await store.record({ id: "x" }), false);
  assert.equal(await store.record(null), false);
  for (let n = 0; n < KEEP_LOADS + 3; n++) await store.record(load(n));
  assert.equal((await store.read()).length, KEEP_LOADS);
});

test("a failed write does not stop the next ones", async () => {
  const { storage } = createChrome();
  const set = storage.local.set;
  let fail = true;
  storage.local.set = async (items) => {
    if (fail) {
      fail = false;
      throw new Error("QUOTA_BYTES quota exceeded");
    }
    return set(items);
  };
  const store = createSelfCheckStore(storage.local);
  await assert.rejects(store.record(load(1)));
  assert.equal(await store.record(load(2)), true);
  assert.deepEqual((await store.read()).map(({ id }) => id), ["tab-load-2"]);
});
