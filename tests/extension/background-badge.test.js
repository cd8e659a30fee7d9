process.env.TZ = "Asia/Tokyo";

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  LEVEL_COLORS, badgeView, creditLevel, showBadge,
} from "../../extension/background/badge.js";
import { loadTranslator } from "../../extension/shared/i18n.js";
import { createChrome, installChrome } from "./fakes/chrome.js";

installChrome(); // the translators read the real catalogs and chrome.i18n (English browser)

const NOW = Date.parse("2026-11-24T20:40:00Z");
const connected = { state: "connected", last_error: null };

function tally(remaining, allowance = 100) {
  return {
    account: "me@example.com", allowance, remaining,
    period: { start: "2026-11-24T00:00:00Z", end: "2026-11-25T00:00:00Z" },
    reset_at: "2026-11-25T00:00:00Z",
  };
}

test("levels by percent of the allowance left", () => {
  assert.equal(creditLevel(null), "unknown");
  assert.equal(creditLevel(tally(100)), "ok");
  assert.equal(creditLevel(tally(21)), "ok");
  assert.equal(creditLevel(tally(20)), "warn");
  assert.equal(creditLevel(tally(10)), "low");
  assert.equal(creditLevel(tally(1)), "low");
  assert.equal(creditLevel(tally(0.5)), "empty");
  assert.equal(creditLevel(tally(0)), "empty");
  assert.equal(creditLevel(tally(50, 0)), "ok");
});

test("badge: credits, colour, and a title with the account and the local reset time", async () => {
  const t = await loadTranslator("en");
  const view = badgeView({ tally: tally(1234, 10_000), helper: connected, lang: "en", nowMs: NOW, t });
  assert.equal(view.text, "1.2k");
  assert.equal(view.color, LEVEL_COLORS.warn); // 12 % left
  assert.equal(view.title, "Credit Guard · me@example.com\n1,234 credits left · resets in 3 h 20 min (09:00)");
});

test("badge in Japanese", async () => {
  const t = await loadTranslator("ja");
  const view = badgeView({ tally: tally(60), helper: connected, lang: "ja", nowMs: NOW, t });
  assert.equal(view.text, "60");
  assert.equal(view.color, LEVEL_COLORS.ok);
  assert.equal(view.title, "Credit Guard · me@example.com\n残り60クレジット・リセットは3時間20分後（09:00）");
});

test("badge without a tally: empty when all is well, ! when the helper is missing", async () => {
  const t = await loadTranslator("en");
  const none = badgeView({ tally: null, helper: connected, lang: "en", nowMs: NOW, t });
  assert.deepEqual(none, { text: "", color: LEVEL_COLORS.unknown, title: t("badge_title_no_account") });
  const missing = { state: "missing", last_error: "x" };
  const view = badgeView({ tally: null, helper: missing, lang: "en", nowMs: NOW, t });
  assert.equal(view.text, "!");
  assert.equal(view.title, "Credit Guard's helper is not installed yet: click here for the steps.");
  const stale = badgeView({ tally: tally(5), helper: missing, lang: "en", nowMs: NOW, t });
  assert.equal(stale.text, "5");
  assert.match(stale.title, /not installed/);
});

test("showBadge paints text, colour and title", async () => {
  const { action } = createChrome();
  await showBadge({ text: "12k", color: "#1a7f37", title: "hello" }, action);
  assert.deepEqual(action.badge, { text: "12k", color: "#1a7f37", title: "hello" });
});
