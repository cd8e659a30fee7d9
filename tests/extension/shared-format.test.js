// Local clock times are checked in Tokyo (UTC+9, no DST); set before any Date is made.
process.env.TZ = "Asia/Tokyo";

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  UNKNOWN, formatBadgeCredits, formatCredits, formatCreditsShort, formatDuration, formatReset,
  pickLanguage,
} from "../../extension/shared/format.js";

test("credits: grouped, one decimal only when fractional", () => {
  assert.equal(formatCredits(1234, "en"), "1,234");
  assert.equal(formatCredits(1234, "ja"), "1,234");
  assert.equal(formatCredits(1234567.25, "en"), "1,234,567.3");
  assert.equal(formatCredits(12.5, "ja"), "12.5");
  assert.equal(formatCredits(12.04, "en"), "12");
  assert.equal(formatCredits(0, "en"), "0");
  assert.equal(formatCredits(null, "en"), UNKNOWN);
  assert.equal(formatCredits(Number.NaN, "ja"), UNKNOWN);
});

test("compact credits fit the badge and never round up", () => {
  const cases = [[0, "0"], [0.9, "0"], [45.5, "45"], [999, "999"], [1000, "1k"], [1234, "1.2k"],
    [1299, "1.2k"], [9999, "9.9k"], [12_345, "12k"], [123_456, "123k"], [1_234_567, "1.2M"], [-3, "0"]];
  for (const [value, text] of cases) assert.equal(formatBadgeCredits(value), text, String(value));
});

test("short credits for a chart's scale, in each language's compact form", () => {
  assert.equal(formatCreditsShort(500, "en"), "500");
  assert.equal(formatCreditsShort(1500, "en"), "1.5K");
  assert.equal(formatCreditsShort(20_000, "ja"), "2万");
  assert.equal(formatCreditsShort(2.5, "ja"), "2.5");
  assert.equal(formatCreditsShort(Number.NaN, "en"), UNKNOWN);
});

test("durations read like the helper's, rounded up", () => {
  const cases = [
    [0, "0 s", "0秒"],
    [59.2, "1 min", "1分"],
    [60, "1 min", "1分"],
    [61, "2 min", "2分"],
    [3600, "1 h", "1時間"],
    [3 * 3600 + 20 * 60, "3 h 20 min", "3時間20分"],
    [3 * 3600 + 19 * 60 + 1, "3 h 20 min", "3時間20分"],
    [24 * 3600, "1 d", "1日"],
    [26 * 3600 + 1, "1 d 3 h", "1日3時間"],
    [-5, "0 s", "0秒"],
  ];
  for (const [seconds, en, ja] of cases) {
    assert.equal(formatDuration(seconds, "en"), en, `${seconds} s in English`);
    assert.equal(formatDuration(seconds, "ja"), ja, `${seconds} s in Japanese`);
  }
});

test("reset: relative, then the local clock time", () => {
  const now = Date.parse("2026-11-24T20:40:00Z");
  const reset = "2026-11-25T00:00:00Z"; // 09:00 in Tokyo
  assert.equal(formatReset(reset, now, "en"), "in 3 h 20 min (09:00)");
  assert.equal(formatReset(reset, now, "ja"), "3時間20分後（09:00）");
});

test("reset: a day or more away shows the local date; a due one reads imminent", () => {
  const now = Date.parse("2026-11-24T00:00:00Z");
  assert.equal(formatReset("2026-12-01T00:00:00Z", now, "en"), "in 7 d (2026-12-01 09:00)");
  assert.equal(formatReset("2026-11-24T00:00:30Z", now, "en"), "within a minute (09:00)");
  assert.equal(formatReset("2026-11-23T23:00:00Z", now, "ja"), "1分以内（08:00）");
  assert.equal(formatReset(null, now, "en"), UNKNOWN);
  assert.equal(formatReset("not a date", now, "en"), UNKNOWN);
});

test("language: the setting, else the browser's (ja* → ja, else en)", () => {
  assert.equal(pickLanguage("en", "ja"), "en");
  assert.equal(pickLanguage("ja", "en-US"), "ja");
  assert.equal(pickLanguage("auto", "ja"), "ja");
  assert.equal(pickLanguage("auto", "ja-JP"), "ja");
  assert.equal(pickLanguage("auto", "en-GB"), "en");
  assert.equal(pickLanguage("auto", "fr"), "en");
  assert.equal(pickLanguage(undefined, undefined), "en");
});
