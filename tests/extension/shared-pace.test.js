process.env.TZ = "Asia/Tokyo";

// shared/pace.js: the helper's `pace` (docs/PROTOCOL.md, "Pace") in words, local time,
// in English and Japanese, for the popup and the warning dialog.
import assert from "node:assert/strict";
import { test } from "node:test";

import { formatClock } from "../../extension/shared/format.js";
import { loadTranslator } from "../../extension/shared/i18n.js";
import { OUTLOOK_KEYS, paceText } from "../../extension/shared/pace.js";
import { installChrome, readExtensionJson } from "./fakes/chrome.js";

installChrome(); // real catalogs, an English browser

const NOW = Date.parse("2026-11-24T02:00:00Z"); // 11:00 in Tokyo
const RUNS_OUT = {
  per_hour: 7.5, outlook: "runs_out", runs_out_at: "2026-11-24T06:40:00Z",
  before_reset_seconds: 3 * 3600 + 20 * 60, nudge: false, nudge_at: "2026-11-24T21:00:00Z",
};

async function words(lang) {
  return { t: await loadTranslator(lang), lang, nowMs: NOW };
}

test("a run-out before the reset: local clock time, how long before the reset, the rate", async () => {
  assert.equal(paceText(RUNS_OUT, await words("en")),
    "out around 15:40, 3 h 20 min before the reset · 7.5 credits an hour");
  assert.equal(paceText(RUNS_OUT, await words("ja")),
    "15:40ごろに使い切る見込みです（リセットの3時間20分前） · 1時間あたり7.5クレジット");
});

test("lasting, too early, used up", async () => {
  const lasts = { ...RUNS_OUT, outlook: "lasts", runs_out_at: null, before_reset_seconds: null, per_hour: 2 };
  assert.equal(paceText(lasts, await words("en")), "lasts until the reset · 2 credits an hour");
  assert.equal(paceText(lasts, await words("ja")), "リセットまで持つ見込みです · 1時間あたり2クレジット");
  assert.equal(paceText({ ...lasts, per_hour: 0 }, await words("en")), "lasts until the reset");
  const early = { ...lasts, outlook: "early", per_hour: null };
  assert.equal(paceText(early, await words("en")), "too early in the period to tell");
  assert.equal(paceText(early, await words("ja")), "期間が始まったばかりで、まだ判断できません");
  const out = { ...lasts, outlook: "out", per_hour: 12 };
  assert.equal(paceText(out, await words("en")), "no credits left");
  assert.equal(paceText(out, await words("ja")), "クレジットを使い切りました");
});

test("no pace (an older helper, a pushed tally) or an unknown outlook: nothing to show", async () => {
  const en = await words("en");
  assert.equal(paceText(undefined, en), "");
  assert.equal(paceText(null, en), "");
  assert.equal(paceText({ ...RUNS_OUT, outlook: "soon" }, en), "");
});

test("a run-out a day or more away carries its local date (monthly plans)", () => {
  assert.equal(formatClock("2026-12-20T06:40:00Z", NOW), "2026-12-20 15:40");
  assert.equal(formatClock("2026-11-24T06:40:00Z", NOW), "15:40");
  assert.equal(formatClock("not a date", NOW), "—");
});

test("every pace key exists in English and Japanese with the same placeholders", () => {
  const en = readExtensionJson("_locales/en/messages.json");
  const ja = readExtensionJson("_locales/ja/messages.json");
  const slots = (text) => [...new Set(text.match(/\$[1-9]/g) ?? [])].sort();
  for (const key of [...Object.values(OUTLOOK_KEYS), "pace_rate", "dialog_pace_label", "popup_pace"]) {
    assert.ok(en[key]?.message && ja[key]?.message, key);
    assert.notEqual(ja[key].message, en[key].message, `${key} is translated`);
    assert.deepEqual(slots(ja[key].message), slots(en[key].message), key);
  }
});
