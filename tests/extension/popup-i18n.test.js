import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { substitute, translatorFromCatalog } from "../../extension/popup/i18n.js";
import { OPERATIONS } from "../../extension/popup/manual.js";
import { PLANS } from "../../extension/popup/settings.js";
import { STEP_ACTIONS, FALLBACK_STEP_IDS } from "../../extension/popup/troubleshoot.js";
import { HELPER_STATE } from "../../extension/shared/messages.js";

const EXTENSION = new URL("../../extension/", import.meta.url);
const catalog = (lang) => JSON.parse(readFileSync(new URL(`_locales/${lang}/messages.json`, EXTENSION), "utf8"));
const EN = catalog("en");
const JA = catalog("ja");
/** Step ids the helper's diagnose may answer (PROTOCOL.md). */
const STEP_IDS = ["wait_rate_limit", "reload", "check_status", "clear_cache", "relogin", "resync",
  "disable_vpn", "restart_app", "wait_reset", "use_alternative", "upgrade"];

test("substitute fills $1…$9 like chrome.i18n, $$ is a dollar", () => {
  assert.equal(substitute("$1 of $2 left", [23, "100"]), "23 of 100 left");
  assert.equal(substitute("残り $1 / $2", ["23", "100"]), "残り 23 / 100");
  assert.equal(substitute("costs $$5, $3 missing", ["a"]), "costs $5,  missing");
});

test("a fetched catalog translates; a missing key shows itself", () => {
  const t = translatorFromCatalog({ popup_x: { message: "Hello $1" } });
  assert.equal(t("popup_x", ["you"]), "Hello you");
  assert.equal(t("popup_missing"), "popup_missing");
});

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
    ...Object.values(STEP_ACTIONS).map((action) => `popup_action_${action}`),
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
