import test from "node:test";
import assert from "node:assert/strict";
import {
  manualUsage, OPERATIONS, RECENT_ENTRIES, entryText, undoFields, withEntry, withoutEntry,
} from "../../extension/popup/manual.js";
import { EXTENSION_ID } from "./fakes/chrome.js";
import { INSTALL_OSES, installGuide, installOs } from "../../extension/popup/install.js";
import { diagnoseRequest, stepsView, FALLBACK_STEP_IDS } from "../../extension/popup/troubleshoot.js";
import { CONFIRM_FIRST, STEP_ACTIONS } from "../../extension/shared/messages.js";
import { REQUEST_FIELDS } from "../../extension/shared/protocol.js";

const NOW = Date.parse("2026-11-24T21:00:01.234Z");
const EVENT = "3f2b8c1e-5d4a-4f6b-9c7d-1e2f3a4b5c6d";
const t = (key, subs = []) => `${key}(${subs.join("|")})`;

test("manualUsage builds the usage fields: fresh event id, now in UTC, source manual", () => {
  const built = manualUsage({ account: " me@example.com ", operation: "image", credits: "40" },
    { eventId: EVENT, nowMs: NOW });
  assert.deepEqual(built, { fields: {
    event_id: EVENT, account: "me@example.com", operation: "image",
    at: "2026-11-24T21:00:01.234Z", source: "manual", credits: 40,
  } });
  for (const field of Object.keys(built.fields)) assert.ok(REQUEST_FIELDS.usage.includes(field), field);
});

test("manualUsage sends the account in the helper's one spelling, and only an e-mail", () => {
  const typed = (account) => manualUsage({ account, operation: "chat", credits: "" }, { eventId: EVENT, nowMs: NOW });
  assert.equal(typed("\u200bMe@Example.COM\u3000").fields.account, "me@example.com");
  for (const account of ["me", "me@example", "me @example.com", "me＠example.com"]) {
    assert.deepEqual(typed(account), { errors: { account: "popup_error_account_email" } }, account);
  }
  assert.deepEqual(typed("\u200b"), { errors: { account: "popup_error_account" } });
});

test("manualUsage: credits are optional", () => {
  const { fields } = manualUsage({ account: "me@example.com", operation: "video", credits: "  " },
    { eventId: EVENT, nowMs: NOW });
  assert.equal("credits" in fields, false);
  assert.equal(fields.operation, "video");
});

test("manualUsage reports what the user got wrong", () => {
  assert.deepEqual(manualUsage({ account: " ", operation: "dance", credits: "-1" }, { eventId: EVENT, nowMs: NOW }),
    { errors: { account: "popup_error_account", operation: "popup_error_operation", credits: "popup_error_credits" } });
  for (const credits of ["abc", "1000001", "Infinity"]) {
    assert.equal(manualUsage({ account: "a@b.c", operation: "chat", credits }, { eventId: EVENT, nowMs: NOW })
      .errors.credits, "popup_error_credits", credits);
  }
});

test("the manual operations are the helper's", () => {
  assert.deepEqual([...OPERATIONS].sort(),
    ["agent", "analysis", "audio", "chat", "image", "other", "search", "sheets", "slides", "video"]);
});

test("installGuide: the steps for each system, the command with this extension's own id", () => {
  const id = EXTENSION_ID;
  const linux = installGuide("linux", id);
  assert.deepEqual(linux.steps.map((step) => step.key), ["popup_install_python_linux", "popup_install_get",
    "popup_install_terminal_linux", "popup_install_run", "popup_install_after"]);
  const run = (guide) => guide.steps.find((step) => step.command).command;
  assert.equal(run(linux), `bash build_scripts/install.sh --extension-id ${id}`);
  assert.equal(run(installGuide("macos", id)), `bash build_scripts/install.sh --extension-id ${id}`);
  assert.equal(run(installGuide("windows", id)),
    `py -m venv .venv; .venv\\Scripts\\python -m pip install .; .venv\\Scripts\\credit-guard install --extension-id ${id}`);
  assert.equal(installGuide("windows", id).steps[2].key, "popup_install_terminal_windows");
  assert.equal(linux.cli, `credit-guard install --extension-id ${id}`);
  assert.equal(installGuide("linux", "credit-guard@creditguard.app").cli,
    "credit-guard install --firefox-id credit-guard@creditguard.app");
  assert.equal(installGuide("linux", undefined).cli, "credit-guard install --extension-id <extension-id>");
});

test("installOs: the extension API's os first, else navigator.platform; Linux for other Unixes", () => {
  assert.equal(installOs("win"), "windows");
  assert.equal(installOs("mac"), "macos");
  assert.equal(installOs("linux"), "linux");
  assert.equal(installOs("cros"), "linux");
  assert.equal(installOs("openbsd"), "linux");
  assert.equal(installOs("", "Win32"), "windows");
  assert.equal(installOs(undefined, "MacIntel"), "macos");
  assert.equal(installOs(undefined, "Linux x86_64"), "linux");
  assert.equal(installOs(undefined, undefined), "linux");
  assert.ok(INSTALL_OSES.every((os) => installOs(os) === os), "a picked system stays itself");
});

test("diagnoseRequest: the account, the signals or none, the popup's language", () => {
  assert.deepEqual(diagnoseRequest("me@example.com", null, "ja"), { account: "me@example.com", signals: {}, language: "ja" });
  const signals = { http_status: [429] };
  assert.deepEqual(diagnoseRequest("me@example.com", signals, "en").signals, signals);
  for (const field of Object.keys(diagnoseRequest("a", null, "en"))) {
    assert.ok(REQUEST_FIELDS.diagnose.includes(field), field);
  }
});

test("stepsView keeps the helper's order and gives a button to the steps the extension can do", () => {
  const reply = { ok: true, steps: [
    { id: "wait_rate_limit", why: "w", how: "h" },
    { id: "reload", why: "r", how: "rh" },
    { id: "clear_cache", why: "c", how: "ch" },
    { id: "relogin", why: "l", how: "lh" },
    { id: "check_status", why: "s", how: "sh" },
  ] };
  const view = stepsView(reply, t);
  assert.equal(view.fromHelper, true);
  assert.deepEqual(view.steps.map((s) => [s.id, s.actions]), [
    ["wait_rate_limit", []], ["reload", ["reload"]], ["clear_cache", ["clear_cache", "clear_site_data"]],
    ["relogin", ["open_login"]], ["check_status", ["open_status"]],
  ]);
  assert.deepEqual(view.steps[1], { id: "reload", why: "r", how: "rh", actions: ["reload"] });
});

test("stepsView in Firefox: the light step reloads past the cache (it cannot clear one site's)", () => {
  const reply = { ok: true, steps: [{ id: "clear_cache", why: "c", how: "ch" }] };
  const firefox = stepsView(reply, t, "moz-extension://0d9b7c1e-aaaa-4bbb-8ccc-123456789abc/");
  assert.deepEqual(firefox.steps[0].actions, ["reload_without_cache", "clear_site_data"]);
  const chromium = stepsView(reply, t, `chrome-extension://${EXTENSION_ID}/`);
  assert.deepEqual(chromium.steps[0].actions, ["clear_cache", "clear_site_data"]);
});

test("only clearing site data (it signs the user out) asks first, and it comes after the cache", () => {
  assert.deepEqual(CONFIRM_FIRST, ["clear_site_data"]);
  for (const actions of Object.values(STEP_ACTIONS)) {
    const asking = actions.findIndex((action) => CONFIRM_FIRST.includes(action));
    assert.ok(asking === -1 || asking === actions.length - 1, "the heavier step is offered last");
  }
});

test("stepsView without the helper: its default steps, in its order, with the popup's texts", () => {
  const view = stepsView({ ok: false, error: { code: "helper_unavailable" } }, t);
  assert.equal(view.fromHelper, false);
  assert.deepEqual(view.steps.map((s) => s.id), FALLBACK_STEP_IDS);
  assert.equal(view.steps[0].how, "popup_step_reload()");
  assert.equal(view.steps.filter((s) => s.actions.length).length, Object.keys(STEP_ACTIONS).length);
});

test("the entries made here: newest first, bounded, one per event, and Undo takes one out", () => {
  const entry = (n) => manualUsage({ account: "me@example.com", operation: "image", credits: String(n) },
    { eventId: `00000000-0000-4000-8000-00000000000${n}`, nowMs: NOW + n }).fields;
  let entries = withEntry("garbage from an old popup", entry(0));
  for (let n = 1; n <= RECENT_ENTRIES + 1; n += 1) entries = withEntry(entries, entry(n));
  assert.equal(entries.length, RECENT_ENTRIES);
  assert.deepEqual(entries.map((e) => e.credits), [6, 5, 4, 3, 2]);
  assert.equal(withEntry(entries, entry(6)).length, RECENT_ENTRIES, "sent twice, kept once");
  const [newest] = entries;
  assert.deepEqual(undoFields(newest), { event_id: newest.event_id });
  for (const field of Object.keys(undoFields(newest))) assert.ok(REQUEST_FIELDS.undo.includes(field), field);
  assert.deepEqual(withoutEntry(entries, newest.event_id).map((e) => e.credits), [5, 4, 3, 2]);
});

test("an entry reads as operation, credits, account and local time", () => {
  const { fields } = manualUsage({ account: "me@example.com", operation: "video", credits: "25" },
    { eventId: EVENT, nowMs: NOW });
  const text = entryText(fields, { t, lang: "en", formatCredits: (n) => `${n}` });
  assert.match(text, /^popup_op_video\(\) · dialog_credits\(25\) · me@example\.com · \d\d:\d\d/);
  const noCredits = entryText({ ...fields, credits: undefined }, { t, lang: "en", formatCredits: String });
  assert.equal(noCredits.includes("dialog_credits"), false);
});
