// The popup's message keys (its translator is shared/i18n.js, tested in shared-i18n).
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { OPERATIONS } from "../../extension/popup/manual.js";
import { PLANS } from "../../extension/popup/settings.js";
import { FALLBACK_STEP_IDS } from "../../extension/popup/troubleshoot.js";
import { INSTALL_OSES, installGuide } from "../../extension/popup/install.js";
import { CONFIRM_FIRST, HELPER_STATE, TAB_ACTION } from "../../extension/shared/messages.js";
import { readExtensionJson } from "./fakes/chrome.js";

const EXTENSION = new URL("../../extension/", import.meta.url);
const EN = readExtensionJson("_locales/en/messages.json");
const JA = readExtensionJson("_locales/ja/messages.json");
/** Step ids the helper's diagnose may answer (PROTOCOL.md). */
const STEP_IDS = ["wait_rate_limit", "reload", "check_status", "clear_cache", "relogin", "resync",
  "disable_vpn", "restart_app", "wait_reset", "use_alternative", "upgrade"];

/** Keys written out whole in the popup's sources: "popup_…" in JS strings and HTML attributes. */
function popupKeysInSources() {
  const dir = new URL("popup/", EXTENSION);
  const keys = new Set();
  for (const name of readdirSync(dir)) {
    const text = readFileSync(new URL(name, dir), "utf8");
    for (const [, key] of text.matchAll(/["'`](popup_[a-z0-9_]+)["'`]/g)) keys.add(key);
  }
  return keys;
}

/** Keys the popup builds from data: operations, plans, helper states, steps, actions. */
function dynamicKeys() {
  return [
    ...OPERATIONS.map((op) => `popup_op_${op}`),
    ...PLANS.map((plan) => `popup_plan_${plan}`),
    ...Object.values(HELPER_STATE).map((state) => `popup_helper_${state}`),
    ...STEP_IDS.map((id) => `popup_step_title_${id}`),
    ...FALLBACK_STEP_IDS.map((id) => `popup_step_${id}`),
    ...Object.values(TAB_ACTION).map((action) => `tab_action_${action}`),
    ...CONFIRM_FIRST.flatMap((action) => ["title", "text", "yes"].map((part) => `confirm_${action}_${part}`)),
    "confirm_cancel", "confirm_cancelled",
    ...["title", "text", "yes"].map((part) => `confirm_sync_leave_${part}`),
    ...INSTALL_OSES.flatMap((os) => installGuide(os, "x").steps.map((step) => step.key)),
    "popup_window_5h", "popup_window_7d",
  ];
}

test("every popup key the popup uses exists in English and Japanese", () => {
  const used = [...popupKeysInSources(), ...dynamicKeys()];
  assert.ok(used.length > 100);
  for (const key of used) {
    assert.ok(EN[key]?.message, `en lacks ${key}`);
    assert.ok(JA[key]?.message, `ja lacks ${key}`);
  }
});

test("English and Japanese have the same popup keys with the same placeholders", () => {
  const popupKeys = (c) => Object.keys(c).filter((k) => k.startsWith("popup_")).sort();
  assert.deepEqual(popupKeys(JA), popupKeys(EN));
  for (const key of popupKeys(EN)) {
    const slots = (c) => [...c[key].message.matchAll(/\$([1-9])/g)].map((m) => m[1]).sort().join();
    assert.equal(slots(JA), slots(EN), key);
  }
});
