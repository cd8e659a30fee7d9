process.env.TZ = "Asia/Tokyo";

import assert from "node:assert/strict";
import { test } from "node:test";

import { NOTIFIED_KEY, nextNudgeCheck, notificationsDue, notifyTally, nudgeDue } from "../../extension/background/notify.js";
import { loadTranslator } from "../../extension/shared/i18n.js";
import { createChrome, installChrome } from "./fakes/chrome.js";

installChrome(); // the translators read the real catalogs and chrome.i18n (English browser)

const THRESHOLDS = [50, 20, 10];
const DAY_1 = "2026-11-24T00:00:00Z";
const DAY_2 = "2026-11-25T00:00:00Z";

function tally(remaining, start = DAY_1, account = "me@example.com") {
  return {
    account, allowance: 100, remaining,
    period: { start, end: DAY_2 }, reset_at: DAY_2,
  };
}

/** Feeds tallies in order; returns the notices of each step. */
function run(steps, thresholds = THRESHOLDS) {
  let record;
  return steps.map((step) => {
    const due = notificationsDue(step, thresholds, record);
    record = due.record;
    return due.notices.map((notice) => (notice.kind === "low" ? notice.threshold : notice.kind));
  });
}

test("each threshold notifies once per period", () => {
  assert.deepEqual(run([tally(80), tally(50), tally(45), tally(50), tally(19), tally(19), tally(15)]),
    [[], [50], [], [], [20], [], []]);
});

test("crossing several thresholds at once gives one notice, for the lowest", () => {
  assert.deepEqual(run([tally(90), tally(5), tally(4)]), [[], [10], []]);
});

test("credits are back once, when a new period starts after a low notice", () => {
  assert.deepEqual(run([tally(8), tally(100, DAY_2), tally(100, DAY_2), tally(40, DAY_2)]),
    [[10], ["back"], [], [50]]);
});

test("credits are back after a top-up above the top threshold, not before", () => {
  assert.deepEqual(run([tally(15), tally(40), tally(60), tally(70), tally(15)]),
    [[20], [], ["back"], [], []]);
});

test("a new period without a low notice says nothing; no allowance, no notices", () => {
  assert.deepEqual(run([tally(90), tally(100, DAY_2)]), [[], []]);
  assert.deepEqual(run([{ ...tally(0), allowance: 0 }]), [[]]);
  assert.deepEqual(run([tally(5)], []), [[]]);
});

test("notifyTally shows localized notices and remembers them per account and period", async () => {
  const chrome = createChrome();
  const t = await loadTranslator("ja");
  const options = {
    storage: chrome.storage.local, notifications: chrome.notifications, iconUrl: "icon.png",
    lang: "ja", nowMs: Date.parse("2026-11-24T20:40:00Z"), t,
  };
  const config = { notifications: true, notify_thresholds: THRESHOLDS };
  await notifyTally(tally(8), config, options);
  await notifyTally(tally(8), config, options); // a restarted worker: same storage
  await notifyTally(tally(9, DAY_1, "other@example.com"), config, options);
  assert.equal(chrome.notifications.shown.length, 2);
  const [first] = chrome.notifications.shown;
  assert.equal(first.title, "Genspark のクレジット残り10%");
  assert.equal(first.message, "me@example.com の残りは8クレジットです（100クレジット中）。リセットは3時間20分後（09:00）です。");
  assert.equal(first.type, "basic");
  assert.equal(first.iconUrl, "icon.png");
  const records = chrome.storage.local.data[NOTIFIED_KEY];
  assert.deepEqual(records["me@example.com"], { period_start: DAY_1, sent: [10, 20, 50], low: true });

  await notifyTally(tally(100, DAY_2), config, options);
  assert.equal(chrome.notifications.shown.at(-1).title, "Genspark のクレジットが回復しました");
  assert.equal(chrome.notifications.shown.at(-1).message, "me@example.com の残りは100クレジットです。");
});

test("nothing is shown or remembered while notifications are off", async () => {
  const chrome = createChrome();
  const t = await loadTranslator("en");
  await notifyTally(tally(5), { notifications: false, notify_thresholds: THRESHOLDS }, {
    storage: chrome.storage.local, notifications: chrome.notifications, iconUrl: "i", lang: "en", nowMs: 0, t,
  });
  assert.deepEqual(chrome.notifications.shown, []);
  assert.deepEqual(chrome.storage.local.data, {});
});

/* ---------- the reset nudge ---------- */

const NUDGE_AT = "2026-11-24T21:00:00Z";

/** A tally from `status`: with the helper's pace (docs/PROTOCOL.md, "Pace"). */
function paced(remaining, nudge, start = DAY_1) {
  return { ...tally(remaining, start), pace: { outlook: "lasts", per_hour: 1, nudge, nudge_at: NUDGE_AT } };
}

test("the reset nudge: once per period, only when the helper's pace says so", () => {
  let record;
  const steps = [paced(70, false), tally(70), paced(70, true), paced(65, true), paced(100, true, DAY_2)];
  const shown = steps.map((step) => {
    const due = nudgeDue(step, record);
    record = due.record;
    return due.notices.length;
  });
  assert.deepEqual(shown, [0, 0, 1, 0, 1]);
  assert.equal(record.nudged, DAY_2);
});

test("notifyTally nudges in Japanese, beside the low notices and with its own switch", async () => {
  const chrome = createChrome();
  const options = {
    storage: chrome.storage.local, notifications: chrome.notifications, iconUrl: "i",
    lang: "ja", nowMs: Date.parse("2026-11-24T22:00:00Z"), t: await loadTranslator("ja"),
  };
  await notifyTally(paced(70, true), { notifications: false, notify_thresholds: THRESHOLDS }, options);
  await notifyTally(paced(70, true), { notifications: false, notify_thresholds: THRESHOLDS }, options);
  assert.equal(chrome.notifications.shown.length, 1);
  const [nudge] = chrome.notifications.shown;
  assert.equal(nudge.id, "credit-guard:me@example.com:nudge");
  assert.equal(nudge.title, "まもなく Genspark のクレジットがリセットされます");
  assert.equal(nudge.message,
    "me@example.com にはまだ70クレジット残っています。無料クレジットは翌日に繰り越されず、2時間後（09:00）にリセットされます。");

  const off = createChrome();
  await notifyTally(paced(70, true), { notifications: true, notify_thresholds: THRESHOLDS, reset_nudge: false },
    { ...options, storage: off.storage.local, notifications: off.notifications });
  assert.deepEqual(off.notifications.shown, []);
  assert.equal(off.storage.local.data[NOTIFIED_KEY]["me@example.com"].nudged, undefined);

  const english = createChrome();
  await notifyTally(paced(70, true), { notify_thresholds: [] },
    { ...options, storage: english.storage.local, notifications: english.notifications, lang: "en", t: await loadTranslator("en") });
  assert.equal(english.notifications.shown[0].message,
    "me@example.com still has 70 credits. Free credits do not carry over: they reset in 2 h (09:00).");
});

test("nextNudgeCheck: the earliest nudge window still ahead, from tallies with a pace", () => {
  const now = Date.parse("2026-11-24T20:00:00Z");
  const later = { ...paced(70, false), pace: { nudge_at: "2026-11-25T21:00:00Z" } };
  assert.equal(nextNudgeCheck({ a: later, b: paced(70, false), c: tally(70) }, now), Date.parse(NUDGE_AT));
  assert.equal(nextNudgeCheck({ b: paced(70, false) }, Date.parse(NUDGE_AT)), null); // passed
  assert.equal(nextNudgeCheck({ c: tally(70) }, now), null);
  assert.equal(nextNudgeCheck({}, now), null);
});
