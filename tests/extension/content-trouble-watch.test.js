// Trouble signals: what triggers a diagnosis, and the signals sent with it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createTroubleSignals } from "../../extension/content/features/trouble-watch.js";
import { siteRules } from "./fakes/site-rules.js";

const rules = siteRules();
const T0 = Date.UTC(2026, 10, 24, 21, 0, 0);

test("limit, overload and challenge texts trigger; ordinary and signed-out texts do not", () => {
  const signals = createTroubleSignals(rules);
  assert.equal(signals.noteText("Here is your answer."), null);
  assert.equal(signals.noteText("not login"), null);
  assert.equal(signals.noteText("Rate limit exceeded cf2"), "rate_limit_cf2");
  assert.equal(signals.noteText("クレジットを使い切りました"), "exhausted");
  assert.equal(signals.noteText("Server overloaded, please try again later."), "overloaded");
  const snapshot = signals.snapshot(T0, null);
  assert.deepEqual(snapshot.text_kinds, ["signed_out", "rate_limit_cf2", "exhausted", "overloaded"], "what the texts are, not the texts");
  assert.equal("error_texts" in snapshot, false);
  assert.equal(snapshot.exhausted_text_seen, true);
});

test("a 429 triggers at once, other errors only as a burst within a minute", () => {
  const signals = createTroubleSignals(rules);
  assert.equal(signals.noteResponse(200, null, T0), null);
  assert.equal(signals.noteResponse(500, null, T0), null);
  assert.equal(signals.noteResponse(502, null, T0 + 61_000), null, "the first one is over a minute old");
  assert.equal(signals.noteResponse(503, null, T0 + 62_000), null);
  assert.equal(signals.noteResponse(500, null, T0 + 63_000), "errors");
  assert.equal(createTroubleSignals(rules).noteResponse(429, null, T0), "rate_limited");
  assert.equal(signals.noteResponse(0, null, T0), null, "network failures have no HTTP status");
});

test("the snapshot has the protocol's signal fields", () => {
  const signals = createTroubleSignals(rules);
  for (let i = 0; i < 35; i++) signals.noteRequest(T0 - 70_000 + i * 2_000);
  signals.noteResponse(429, "Tue, 24 Nov 2026 21:00:05 GMT", T0);
  signals.noteResponse(429, null, T0);
  signals.noteSiteStatus(-5, T0);
  signals.noteSiteStatus(0, T0);
  signals.noteSiteStatus(null, T0);
  signals.noteText("AI Image [5-hour limit] reached. Resets {time:1795575600}");
  assert.deepEqual(signals.snapshot(T0, { balance: 12, at: T0 - 30_000 }), {
    http_status: [429],
    site_status: [-5],
    text_kinds: ["window_limit"],
    exhausted_text_seen: false,
    requests_last_minute: 30,
    page_balance: 12,
    last_good_balance_at: "2026-11-24T20:59:30.000Z",
    server_date: "2026-11-24T21:00:05.000Z",
    window_reset_at: "2026-11-25T03:00:00.000Z",
  });
});

test("a window reset in the past or over a day ahead is not sent", () => {
  for (const epoch of [T0 / 1000 - 60, T0 / 1000 + 25 * 3600, 99999999999]) {
    const signals = createTroubleSignals(rules);
    assert.equal(signals.noteText(`AI Image [5-hour limit] reached. Resets {time:${epoch}}`), "window_limit");
    assert.equal("window_reset_at" in signals.snapshot(T0, null), false, String(epoch));
  }
});

test("signals older than five minutes are forgotten; each text kind is sent once", () => {
  const signals = createTroubleSignals(rules);
  signals.noteResponse(500, null, T0);
  signals.noteSiteStatus(-5, T0);
  for (let i = 0; i < 60; i++) signals.noteText(`Rate limit exceeded ${"x".repeat(i)}`);
  const later = signals.snapshot(T0 + 6 * 60_000, null);
  assert.deepEqual(later.http_status, []);
  assert.deepEqual(later.site_status, []);
  assert.deepEqual(later.text_kinds, ["rate_limit_cf1"]);
});
