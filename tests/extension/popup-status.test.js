import test from "node:test";
import assert from "node:assert/strict";
import {
  levelOf, percentLeft, deviceRows, operationRows, windowRows, helperView, statusView, withTally,
  overBy,
} from "../../extension/popup/status.js";

const NOW = Date.parse("2026-11-24T21:00:00Z");
const THIS = "94bb4ffa-36d0-4f70-b3c6-4ae7a4a350bd";
const PHONE = "5b1c0e7e-0000-4000-8000-000000000001";

/** A status reply as the background passes it on (PROTOCOL.md `status` plus `helper`). */
function statusReply(overrides = {}) {
  return {
    ok: true,
    type: "status",
    device_id: THIS,
    devices: { [THIS]: "vm", [PHONE]: "Pixel 8" },
    accounts: [
      {
        account: "me@example.com", plan: "free",
        period: { start: "2026-11-24T00:00:00Z", end: "2026-11-25T00:00:00Z" },
        allowance: 100,
        used: { total: 77, by_device: { other: 35, [THIS]: 42 }, by_operation: { chat: 2, image: 40 } },
        remaining: 23, observed_balance: 23, observed_at: "2026-11-24T20:55:00Z",
        reset_at: "2026-11-25T00:00:00Z",
        windows: {
          "5h": { balance: 2, at: "2026-11-24T20:55:00Z", reset_at: "2026-11-25T00:12:00Z" },
          "7d": { balance: 0, at: "2026-11-20T00:00:00Z", reset_at: "2026-11-24T00:00:00Z" },
        },
        history: [{ date: "2026-11-24", used: 77 }],
        pace: {
          per_hour: 3.67, outlook: "runs_out", runs_out_at: "2026-11-24T22:16:00Z",
          before_reset_seconds: 6240, nudge: false, nudge_at: "2026-11-24T21:00:00Z",
        },
        sync: "off",
      },
      {
        account: "a-team@corp.jp", plan: "team",
        period: { start: "2026-11-15T00:00:00Z", end: "2026-12-15T00:00:00Z" },
        allowance: 50000, used: { total: 0, by_device: {}, by_operation: {} },
        remaining: 50000, observed_balance: null, observed_at: null,
        reset_at: "2026-12-15T00:00:00Z", windows: {}, sync: "off",
      },
    ],
    helper: { state: "connected", version: "0.1.0", last_error: null, missed_preflights: 0 },
    ...overrides,
  };
}

test("levelOf: out at 0, low at or under the reserve, mid up to half, ok above", () => {
  assert.equal(levelOf(0, 100), "out");
  assert.equal(levelOf(-1, 100), "out");
  assert.equal(levelOf(20, 100, 20), "low");
  assert.equal(levelOf(21, 100, 20), "mid");
  assert.equal(levelOf(50, 100, 20), "mid");
  assert.equal(levelOf(51, 100, 20), "ok");
  assert.equal(levelOf(35, 100, 35), "low");
  assert.equal(levelOf(65, 100, 35), "mid", "a large reserve widens the amber band to twice the reserve");
  assert.equal(levelOf(5, 100, 0), "mid");
});

test("percentLeft stays within 0–100, bought packs included", () => {
  assert.equal(percentLeft(23, 100), 23);
  assert.equal(percentLeft(150, 100), 100);
  assert.equal(percentLeft(0, 100), 0);
  assert.equal(percentLeft(5, 0), 100);
});

test("deviceRows: names from devices, this device marked, 'other' flagged, largest first", () => {
  const rows = deviceRows({ other: 35, [THIS]: 42, [PHONE]: 35, "deadbeef-1234": 1 },
    { [THIS]: "vm", [PHONE]: "Pixel 8" }, THIS);
  assert.deepEqual(rows.map((r) => [r.name, r.isThis, r.isOther, r.credits]), [
    ["vm", true, false, 42],
    ["Pixel 8", false, false, 35],
    [null, false, true, 35],
    ["deadbeef", false, false, 1],
  ]);
});

test("operationRows: largest first, ties by name", () => {
  assert.deepEqual(operationRows({ chat: 2, image: 40, audio: 2 }), [
    { operation: "image", credits: 40 }, { operation: "audio", credits: 2 }, { operation: "chat", credits: 2 },
  ]);
  assert.deepEqual(operationRows(undefined), []);
});

test("windowRows drops windows whose reset has passed", () => {
  const rows = windowRows(statusReply().accounts[0].windows, NOW);
  assert.deepEqual(rows, [{ name: "5h", balance: 2, resetAt: "2026-11-25T00:12:00Z" }]);
});

test("statusView: the chosen account's tally, ready to show", () => {
  const view = statusView(statusReply(), { account: "me@example.com", reserve: 20, nowMs: NOW });
  assert.deepEqual(view.accounts, ["a-team@corp.jp", "me@example.com"]);
  assert.equal(view.account, "me@example.com");
  const tally = view.tally;
  assert.equal(tally.remaining, 23);
  assert.equal(tally.allowance, 100);
  assert.equal(tally.level, "mid");
  assert.equal(tally.resetAt, "2026-11-25T00:00:00Z");
  assert.deepEqual(tally.devices.map((d) => d.key), [THIS, "other"]);
  assert.deepEqual(tally.operations.map((o) => o.operation), ["image", "chat"]);
  assert.deepEqual(tally.windows.map((w) => w.name), ["5h"]);
  assert.deepEqual(tally.history, [{ date: "2026-11-24", used: 77 }]);
  assert.equal(tally.observedBalance, 23);
  assert.equal(tally.pace.outlook, "runs_out");
  assert.equal(tally.pace.runs_out_at, "2026-11-24T22:16:00Z");
});

test("statusView: an unknown account falls back to the first; no history is null (empty chart)", () => {
  const view = statusView(statusReply(), { account: "gone@example.com", nowMs: NOW });
  assert.equal(view.account, "a-team@corp.jp");
  assert.equal(view.tally.history, null);
  assert.equal(view.tally.level, "ok");
  assert.equal(view.tally.observedBalance, null);
  assert.equal(view.tally.pace, null, "an older helper's status: no pace line");
});

test("overBy: how far usage passed the period's credits (allowance plus top-ups), else 0", () => {
  const tally = (total, allowance = 100, topped_up = 0) => ({ used: { total }, allowance, topped_up, remaining: 0 });
  assert.equal(overBy(tally(207.5)), 107.5);
  assert.equal(overBy(tally(100)), 0);
  assert.equal(overBy(tally(60)), 0);
  assert.equal(overBy(tally(130, 100, 50)), 0, "a credit pack covers it");
  assert.equal(overBy(tally(100.01)), 0, "under a tenth of a credit shows as nothing");
  assert.equal(overBy({ allowance: 100, remaining: 100 }), 0, "no usage yet");
  const view = statusView(statusReply({ accounts: [{ ...statusReply().accounts[0], remaining: 0,
    topped_up: 0, used: { total: 207.5, by_device: {}, by_operation: {} } }] }), { nowMs: NOW });
  assert.equal(view.tally.over, 107.5);
  assert.equal(view.tally.level, "out");
});

test("statusView: the reserve setting moves the level", () => {
  const view = statusView(statusReply(), { account: "me@example.com", reserve: 30, nowMs: NOW });
  assert.equal(view.tally.level, "low");
});

test("statusView without the helper: no tally, helper missing, nothing thrown", () => {
  const failed = { ok: false, error: { code: "helper_unavailable", message: "no native host" } };
  const view = statusView(failed, { nowMs: NOW });
  assert.equal(view.tally, null);
  assert.deepEqual(view.accounts, []);
  assert.equal(view.helper.state, "missing");
  assert.equal(view.helper.lastError, "no native host");
  assert.equal(statusView(null).helper.state, "error");
  assert.equal(statusView(undefined).tally, null);
});

test("helperView: the helper.state answer wins; missed preflights come from status", () => {
  const reply = statusReply({ helper: { state: "connected", version: "0.1.0", missed_preflights: 3 } });
  const helper = helperView(reply, { ok: true, state: "error", version: "0.1.0", last_error: "exited" });
  assert.deepEqual(helper, { state: "error", version: "0.1.0", lastError: "exited", missedPreflights: 3 });
  assert.equal(helperView(reply, { ok: false, error: { code: "timeout" } }).state, "connected");
  assert.equal(helperView(reply, { kind: "helper.state", state: "missing" }).state, "missing");
});

test("withTally: a tally.changed push replaces that account's tally and keeps its history", () => {
  const reply = statusReply();
  const pushed = { ...reply.accounts[0], remaining: 3, used: { total: 97, by_device: {}, by_operation: {} } };
  delete pushed.history;
  const next = withTally(reply, pushed);
  const me = next.accounts.find((a) => a.account === "me@example.com");
  assert.equal(me.remaining, 3);
  assert.deepEqual(me.history, [{ date: "2026-11-24", used: 77 }]);
  assert.equal(next.accounts.length, 2);
  assert.equal(reply.accounts[0].remaining, 23, "the old reply is left as it was");
  const added = withTally(reply, { account: "new@example.com", remaining: 100, allowance: 100 });
  assert.equal(added.accounts.length, 3);
  const failed = { ok: false, error: { code: "helper_unavailable" } };
  assert.equal(withTally(failed, pushed), failed);
});
