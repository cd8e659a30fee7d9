// The popup's self-check notice: which checks broke, what still works, stale figures.
import assert from "node:assert/strict";
import { test } from "node:test";

import { reportText, selfCheckView } from "../../extension/popup/self-check.js";
import { BROKEN_AFTER, CHECK_IDS, OUTCOME } from "../../extension/shared/self-check.js";

const load = (n, checks) => ({
  id: `load-${n}`,
  at: n,
  page: null,
  checks: { ...Object.fromEntries(CHECK_IDS.map((id) => [id, OUTCOME.IDLE])), ...checks },
  unmatched: [],
});
const loads = (count, checks) => Array.from({ length: count }, (_, n) => load(n, checks));

test("good loads: no notice, nothing stale", () => {
  const view = selfCheckView(loads(5, { account: OUTCOME.MATCHED, balance: OUTCOME.MATCHED }));
  assert.deepEqual(view, { broken: [], working: ["account", "balance"], stale: false });
  assert.deepEqual(selfCheckView([]), { broken: [], working: [], stale: false });
});

test("a balance missed a few loads in a row: named with its rules, and the figures are stale", () => {
  const view = selfCheckView(loads(BROKEN_AFTER, { account: OUTCOME.MATCHED, balance: OUTCOME.MISSED }));
  assert.deepEqual(view.broken, [{ id: "balance", rules: ["endpoints.balance", "endpoints.credit_history"] }]);
  assert.deepEqual(view.working, ["account"]);
  assert.equal(view.stale, true);
});

test("only the guard's selectors broke: a notice, but the figures are fresh", () => {
  const view = selfCheckView(loads(BROKEN_AFTER, { balance: OUTCOME.MATCHED, prompt_box: OUTCOME.MISSED, send_button: OUTCOME.MISSED }));
  assert.deepEqual(view.broken.map(({ id }) => id), ["prompt_box", "send_button"]);
  assert.equal(view.stale, false);
});

test("the copied report is JSON of the self-check report", () => {
  const text = reportText(loads(2, { balance: OUTCOME.MISSED }), { extensionVersion: "0.1.0", rulesVersion: 1, rulesChecked: "2026-11-24" });
  const report = JSON.parse(text);
  assert.equal(report.report, "credit-guard-self-check");
  assert.equal(report.checks.find(({ id }) => id === "balance").missed_loads, 2);
});
