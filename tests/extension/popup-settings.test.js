import test from "node:test";
import assert from "node:assert/strict";
import {
  formFromConfig, settingsChanges, parseThresholds, parseAlternatives, isAlternativeUrl,
  problemsByField, showsAllowance,
} from "../../extension/popup/settings.js";
import { isClockTime, utcClockToLocal } from "../../extension/popup/dates.js";

/** A config.get reply as PROTOCOL.md shows it. */
function config(account = {}) {
  return {
    ok: true,
    type: "config.get",
    global: {
      language: "auto", confirm_before_heavy: true, notifications: true,
      notify_thresholds: [50, 20, 10],
      alternatives: [{ name: "Perplexity", url: "https://www.perplexity.ai/" }, { name: "Felo", url: "https://felo.ai/" }],
    },
    account: {
      account: "me@example.com", plan: "free", allowance: null, period: null,
      reset_time: "00:00", billing_day: 1, reserve: 20.0, learned: [], ...account,
    },
  };
}

test("formFromConfig shows the config as the inputs hold it", () => {
  assert.deepEqual(formFromConfig(config()), {
    plan: "free", allowance: "", period: "", reset_time: "00:00", billing_day: "1", reserve: "20",
    language: "auto", confirm_before_heavy: true, notifications: true,
    notify_thresholds: "50, 20, 10",
    alternatives: [{ name: "Perplexity", url: "https://www.perplexity.ai/" }, { name: "Felo", url: "https://felo.ai/" }],
    reset_nudge: true,
  });
});

test("the reset nudge is a global switch, on unless the helper says off", () => {
  assert.equal(formFromConfig(config()).reset_nudge, true); // an older helper: no such setting
  const off = { ...formFromConfig(config()), reset_nudge: false };
  assert.deepEqual(settingsChanges(config(), off), { account: {}, global: { reset_nudge: false }, errors: {} });
  const saved = config();
  saved.global.reset_nudge = false;
  assert.equal(formFromConfig(saved).reset_nudge, false);
  assert.deepEqual(settingsChanges(saved, { ...formFromConfig(saved), reset_nudge: true }).global,
    { reset_nudge: true });
});

test("an untouched form sends nothing (a learned value stays learned)", () => {
  const learned = config({ allowance: 200, learned: ["allowance", "reset_time"], reset_time: "15:00" });
  assert.deepEqual(settingsChanges(learned, formFromConfig(learned)), { account: {}, global: {}, errors: {} });
});

test("changes are split by scope and typed as the helper wants them", () => {
  const values = {
    ...formFromConfig(config()),
    plan: "custom", allowance: "5000", period: "month", reset_time: "09:30", billing_day: "15",
    reserve: "12.5", language: "ja", notifications: false, notify_thresholds: "10,50 、 20",
    alternatives: [{ name: " Felo ", url: " https://felo.ai/ " }, { name: "", url: "" }],
  };
  assert.deepEqual(settingsChanges(config(), values), {
    account: { plan: "custom", allowance: 5000, period: "month", reset_time: "09:30", billing_day: 15, reserve: 12.5 },
    global: { language: "ja", notifications: false, alternatives: [{ name: "Felo", url: "https://felo.ai/" }] },
    errors: {},
  });
});

test("reordered thresholds are no change; new ones are sent highest first", () => {
  const same = { ...formFromConfig(config()), notify_thresholds: "10 20 50" };
  assert.deepEqual(settingsChanges(config(), same).global, {});
  const fewer = { ...formFromConfig(config()), notify_thresholds: "5, 30" };
  assert.deepEqual(settingsChanges(config(), fewer).global, { notify_thresholds: [30, 5] });
});

test("invalid values are reported per field and nothing of them is sent", () => {
  const values = {
    ...formFromConfig(config()),
    plan: "team", allowance: "0", reset_time: "24:00", billing_day: "32", reserve: "101",
    notify_thresholds: "50, 0", alternatives: [{ name: "X", url: "http://x.example" }],
  };
  const { account, global, errors } = settingsChanges(config(), values);
  assert.deepEqual(account, { plan: "team" });
  assert.deepEqual(global, {});
  assert.deepEqual(errors, {
    allowance: "popup_error_allowance",
    reset_time: "popup_error_reset_time",
    billing_day: "popup_error_billing_day",
    reserve: "popup_error_reserve",
    notify_thresholds: "popup_error_thresholds",
    alternatives: "popup_error_alternative_url",
  });
});

test("the allowance shows for team and custom, or once set; it cannot be cleared", () => {
  const teamBlank = { ...formFromConfig(config()), plan: "team", allowance: "" };
  assert.deepEqual(settingsChanges(config(), teamBlank), { account: { plan: "team" }, global: {}, errors: {} },
    "left blank: the plan's own figure");
  const set = config({ plan: "plus", allowance: 200, learned: ["allowance"] });
  const cleared = { ...formFromConfig(set), allowance: "" };
  assert.equal(settingsChanges(set, cleared).errors.allowance, "popup_error_allowance");
  assert.equal(showsAllowance({ plan: "plus" }, config().account), false);
  assert.equal(showsAllowance({ plan: "plus" }, set.account), true);
  assert.equal(showsAllowance({ plan: "custom" }, config().account), true);
});

test("without an account only global settings are sent", () => {
  const globalOnly = { ...config(), account: undefined };
  const values = { ...formFromConfig(globalOnly), plan: "pro", reset_time: "nonsense", language: "en" };
  assert.deepEqual(settingsChanges(globalOnly, values), { account: {}, global: { language: "en" }, errors: {} });
});

test("reset time: 24-hour HH:MM only, shown in local time too", () => {
  for (const ok of ["00:00", "09:05", "23:59"]) assert.ok(isClockTime(ok), ok);
  for (const bad of ["24:00", "9:00", "12:60", "12:00 ", "", "ab:cd"]) assert.ok(!isClockTime(bad), bad);
  const now = Date.parse("2026-11-24T12:00:00Z");
  assert.equal(utcClockToLocal("00:00", "en", now, "Asia/Tokyo"), "09:00");
  assert.equal(utcClockToLocal("20:30", "ja", now, "Asia/Tokyo"), "05:30");
  assert.equal(utcClockToLocal("00:00", "en", Date.parse("2026-07-01T12:00:00Z"), "Europe/Berlin"), "02:00");
  assert.equal(utcClockToLocal("bad", "en", now, "UTC"), "");
});

test("thresholds: whole percentages 1–99, at most 10, full-width commas too", () => {
  assert.deepEqual(parseThresholds("50, 20,10"), { value: [50, 20, 10] });
  assert.deepEqual(parseThresholds("20，50、20"), { value: [50, 20] });
  assert.deepEqual(parseThresholds(""), { value: [] });
  for (const bad of ["0", "100", "12.5", "ten", "1 2 3 4 5 6 7 8 9 10 11"]) {
    assert.deepEqual(parseThresholds(bad), { error: "popup_error_thresholds" }, bad);
  }
});

test("alternatives: https URLs without spaces, named, at most 10", () => {
  assert.ok(isAlternativeUrl("https://felo.ai/"));
  for (const bad of ["http://felo.ai/", "https://felo .ai", "javascript:alert(1)", "https://",
    `https://x.example/${"a".repeat(300)}`]) {
    assert.ok(!isAlternativeUrl(bad), bad);
  }
  assert.deepEqual(parseAlternatives([{ name: "", url: "https://x.example/" }]), { error: "popup_error_alternative_name" });
  assert.deepEqual(parseAlternatives([{ name: "a\u0007", url: "https://x.example/" }]), { error: "popup_error_alternative_name" });
  const eleven = Array.from({ length: 11 }, (_, i) => ({ name: `n${i}`, url: `https://x${i}.example/` }));
  assert.deepEqual(parseAlternatives(eleven), { error: "popup_error_alternatives_count" });
  assert.deepEqual(parseAlternatives([{ name: "  ", url: " " }]), { value: [] });
});

test("problemsByField: the helper's invalid problems land next to their field", () => {
  const error = {
    code: "invalid",
    message: "invalid config.set request: ...",
    params: { problems: [
      { field: "notify_thresholds.0", problem: "Input should be greater than or equal to 1" },
      { field: "alternatives.1.url", problem: "String should match pattern" },
      { field: "alternatives.2.url", problem: "String should match pattern" },
      { field: "", problem: "plan: per-account settings, give the account" },
    ] },
  };
  assert.deepEqual(problemsByField(error), {
    notify_thresholds: "Input should be greater than or equal to 1",
    alternatives: "String should match pattern; String should match pattern",
    form: "plan: per-account settings, give the account",
  });
  assert.deepEqual(problemsByField({ code: "helper_unavailable", message: "no helper" }), { form: "no helper" });
});
