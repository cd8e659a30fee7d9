// The signals each account's page last sent with `diagnose`, for the popup's diagnosis.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  LAST_SIGNALS_KEY, SIGNALS_MAX_AGE_MS, createLastSignals, hasSignals,
} from "../../extension/background/last-signals.js";
import { createChrome } from "./fakes/chrome.js";

const ME = "me@example.com";
const PAGE = { http_status: [429], requests_last_minute: 40 };

/** A clock that moves only when told to. */
function clock(start = Date.parse("2026-11-24T21:00:00Z")) {
  let now = start;
  return { now: () => now, advance: (ms) => { now += ms; } };
}

test("only signals that say something count", () => {
  for (const empty of [undefined, null, {}]) assert.equal(hasSignals(empty), false, String(empty));
  assert.equal(hasSignals({ exhausted_text_seen: false }), true);
});

test("the page's signals are remembered per account, with when they were seen, and used for empty ones", async () => {
  const { storage } = createChrome();
  const time = clock();
  const last = createLastSignals(storage, time.now);
  assert.deepEqual(await last.use(ME, PAGE), PAGE);
  assert.deepEqual(storage.session.data[LAST_SIGNALS_KEY], { [ME]: { signals: PAGE, seen_at: time.now() } });
  assert.deepEqual(storage.local.data, {}, "session storage when there is one");
  time.advance(60_000);
  assert.deepEqual(await last.use(ME, {}), PAGE);
  assert.deepEqual(await last.use(ME, undefined), PAGE);
  assert.deepEqual(await last.use("other@example.com", {}), {}, "nothing remembered: the signals as sent");
  assert.equal(await last.use("other@example.com", undefined), undefined);
});

test("newer signals replace older ones; signals older than 30 minutes are forgotten", async () => {
  const { storage } = createChrome();
  const time = clock();
  const last = createLastSignals(storage, time.now);
  await last.use(ME, PAGE);
  const newer = { site_status: [-5] };
  await last.use(ME, newer);
  assert.deepEqual(await last.use(ME, {}), newer);
  time.advance(SIGNALS_MAX_AGE_MS);
  assert.deepEqual(await last.use(ME, {}), newer, "exactly 30 minutes old still counts");
  time.advance(1);
  assert.deepEqual(await last.use(ME, {}), {});
  await last.use("other@example.com", PAGE);
  assert.deepEqual(Object.keys(storage.session.data[LAST_SIGNALS_KEY]), ["other@example.com"], "stale entries leave storage");
});

test("without storage.session (older browsers) storage.local keeps them", async () => {
  const { storage } = createChrome();
  const last = createLastSignals({ local: storage.local });
  await last.use(ME, PAGE);
  assert.deepEqual(storage.local.data[LAST_SIGNALS_KEY][ME].signals, PAGE);
  assert.deepEqual(await createLastSignals({ local: storage.local }).use(ME, {}), PAGE, "a restarted worker still has them");
});

test("two pages reporting at once both stay remembered", async () => {
  const { storage } = createChrome();
  const last = createLastSignals(storage);
  await Promise.all([last.use(ME, PAGE), last.use("other@example.com", { site_status: [-5] })]);
  assert.deepEqual(Object.keys(storage.session.data[LAST_SIGNALS_KEY]).sort(), [ME, "other@example.com"]);
});
