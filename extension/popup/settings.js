/**
 * The Settings tab. Pure parts: config (the helper's `config.get` reply) → form values,
 * form values → validated changes, helper `invalid` problems → fields. Only changed
 * fields are sent: re-sending an untouched learned value would turn it into the user's
 * own setting, which learning never overrides again.
 */

import { h, fill } from "../shared/dom.js";
import { showFieldErrors } from "./dom.js";
import { isClockTime, utcClockToLocal } from "./dates.js";

export const PLANS = ["free", "plus", "pro", "team", "custom"];
/** Plans whose allowance is the user's to give (PROTOCOL.md: "team and custom"). */
export const OWN_ALLOWANCE_PLANS = new Set(["team", "custom"]);
const MAX_THRESHOLDS = 10;
const MAX_ALTERNATIVES = 10;
const MAX_URL = 300;
const MAX_NAME = 200;

/**
 * Form values (strings and booleans, as the inputs hold them) from a config reply.
 * @param {{global: object, account?: object}} config
 */
export function formFromConfig(config) {
  const g = config.global ?? {};
  const a = config.account ?? null;
  return {
    plan: a?.plan ?? "free",
    allowance: a?.allowance == null ? "" : String(a.allowance),
    period: a?.period ?? "",
    reset_time: a?.reset_time ?? "00:00",
    billing_day: String(a?.billing_day ?? 1),
    reserve: String(a?.reserve ?? 20),
    language: g.language ?? "auto",
    confirm_before_heavy: g.confirm_before_heavy ?? true,
    notifications: g.notifications ?? true,
    notify_thresholds: (g.notify_thresholds ?? []).join(", "),
    alternatives: (g.alternatives ?? []).map(({ name, url }) => ({ name, url })),
    reset_nudge: g.reset_nudge ?? true,
  };
}

/** Whether the allowance (and period) fields apply: own-allowance plans, or one already set. */
export function showsAllowance(values, accountConfig) {
  return OWN_ALLOWANCE_PLANS.has(values.plan) || accountConfig?.allowance != null;
}

/**
 * "50, 20 10" → [50, 20, 10]: whole percentages 1–99, duplicates dropped, highest first.
 * @returns {{value: number[]} | {error: string}} error is a message key
 */
export function parseThresholds(text) {
  const parts = text.split(/[\s,、，]+/).filter(Boolean);
  const numbers = parts.map(Number);
  if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 99)) {
    return { error: "popup_error_thresholds" };
  }
  const value = [...new Set(numbers)].sort((a, b) => b - a);
  if (value.length > MAX_THRESHOLDS) return { error: "popup_error_thresholds" };
  return { value };
}

/** An https URL without spaces, at most 300 characters (the helper's rule). */
export function isAlternativeUrl(url) {
  if (url.length > MAX_URL || !/^https:\/\/\S+$/.test(url)) return false;
  try {
    return new URL(url).protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Alternatives from the form: blank rows dropped, names and URLs checked.
 * @returns {{value: Array<{name: string, url: string}>} | {error: string}}
 */
export function parseAlternatives(rows) {
  const value = rows
    .map((row) => ({ name: row.name.trim(), url: row.url.trim() }))
    .filter((row) => row.name || row.url);
  if (value.length > MAX_ALTERNATIVES) return { error: "popup_error_alternatives_count" };
  if (value.some((row) => !row.name || row.name.length > MAX_NAME || /[\u0000-\u001f\u007f]/.test(row.name))) {
    return { error: "popup_error_alternative_name" };
  }
  if (value.some((row) => !isAlternativeUrl(row.url))) return { error: "popup_error_alternative_url" };
  return { value };
}

function parseNumber(text, { min, max, integer = false, above = false }) {
  const trimmed = String(text).trim();
  if (trimmed === "") return undefined;
  const n = Number(trimmed);
  const inRange = Number.isFinite(n) && (above ? n > min : n >= min) && n <= max;
  return inRange && (!integer || Number.isInteger(n)) ? n : NaN;
}

/**
 * What to send: each setting whose value differs from `config`, split by scope (the
 * helper refuses per-account and global settings in one request), and any field the
 * user got wrong, as field → message key.
 * @param {{global: object, account?: object}} config
 * @param {ReturnType<typeof formFromConfig>} values
 * @returns {{account: object, global: object, errors: Record<string, string>}}
 */
export function settingsChanges(config, values) {
  const before = formFromConfig(config);
  const errors = {};
  const account = {};
  const global = {};

  if (config.account) {
    if (values.plan !== before.plan && PLANS.includes(values.plan)) account.plan = values.plan;
    if (showsAllowance(values, config.account) && values.allowance !== before.allowance) {
      // Blank after a value was set is an error too: the helper cannot unset an allowance.
      const allowance = parseNumber(values.allowance, { min: 0, above: true, max: 1e9 });
      if (allowance === undefined || Number.isNaN(allowance)) errors.allowance = "popup_error_allowance";
      else account.allowance = allowance;
    }
    if (values.period && values.period !== before.period) account.period = values.period;
    if (values.reset_time !== before.reset_time) {
      if (isClockTime(values.reset_time)) account.reset_time = values.reset_time;
      else errors.reset_time = "popup_error_reset_time";
    }
    if (values.billing_day !== before.billing_day) {
      const day = parseNumber(values.billing_day, { min: 1, max: 31, integer: true });
      if (day === undefined || Number.isNaN(day)) errors.billing_day = "popup_error_billing_day";
      else account.billing_day = day;
    }
    if (values.reserve !== before.reserve) {
      const reserve = parseNumber(values.reserve, { min: 0, max: 100 });
      if (reserve === undefined || Number.isNaN(reserve)) errors.reserve = "popup_error_reserve";
      else account.reserve = reserve;
    }
  }

  if (values.language !== before.language) global.language = values.language;
  for (const flag of ["confirm_before_heavy", "notifications", "reset_nudge"]) {
    if (values[flag] !== before[flag]) global[flag] = values[flag];
  }
  const thresholds = parseThresholds(values.notify_thresholds);
  if (thresholds.error) errors.notify_thresholds = thresholds.error;
  else if (thresholds.value.join() !== parseThresholds(before.notify_thresholds).value?.join()) {
    global.notify_thresholds = thresholds.value;
  }
  const alternatives = parseAlternatives(values.alternatives);
  if (alternatives.error) errors.alternatives = alternatives.error;
  else if (JSON.stringify(alternatives.value) !== JSON.stringify(before.alternatives)) {
    global.alternatives = alternatives.value;
  }
  return { account, global, errors };
}

/**
 * The helper's `invalid` problems by form field: "notify_thresholds.0" and
 * "alternatives.2.url" belong to their list's field; "" (the request as a whole) to "form".
 * @returns {Record<string, string>} field → the helper's (English) problem text
 */
export function problemsByField(error) {
  const byField = {};
  for (const { field = "", problem = "" } of error?.params?.problems ?? []) {
    const name = field.split(".")[0] || "form";
    byField[name] = byField[name] ? `${byField[name]}; ${problem}` : problem;
  }
  if (!Object.keys(byField).length && error) byField.form = error.message ?? error.code;
  return byField;
}

// ---- DOM ---------------------------------------------------------------------------

/** Reads the form's current values in the shape `formFromConfig` makes. */
export function readForm(form) {
  const field = (name) => form.elements.namedItem(name);
  return {
    plan: field("plan").value,
    allowance: field("allowance").value,
    period: field("period").value,
    reset_time: field("reset_time").value,
    billing_day: field("billing_day").value,
    reserve: field("reserve").value,
    language: field("language").value,
    confirm_before_heavy: field("confirm_before_heavy").checked,
    notifications: field("notifications").checked,
    notify_thresholds: field("notify_thresholds").value,
    alternatives: [...form.querySelectorAll("#alternatives .alternative")].map((row) => ({
      name: row.querySelector("[name=alt_name]").value,
      url: row.querySelector("[name=alt_url]").value,
    })),
    reset_nudge: field("reset_nudge").checked,
  };
}

/**
 * Shows `config` in the form, with learned values marked and the reset time in local time.
 * @param {HTMLFormElement} form #settings-form
 */
export function fillForm(form, config, { t, lang }) {
  const values = formFromConfig(config);
  const field = (name) => form.elements.namedItem(name);
  for (const name of ["plan", "allowance", "period", "reset_time", "billing_day", "reserve",
    "language", "notify_thresholds"]) {
    field(name).value = values[name];
  }
  field("confirm_before_heavy").checked = values.confirm_before_heavy;
  field("notifications").checked = values.notifications;
  field("reset_nudge").checked = values.reset_nudge;
  fill(form.querySelector("#alternatives"), values.alternatives.map((alt) => alternativeRow(alt, t)));

  form.querySelector("#account-settings").hidden = !config.account;
  form.querySelector("#account-settings-none").hidden = Boolean(config.account);
  const learned = new Set(config.account?.learned ?? []);
  for (const badge of form.querySelectorAll("[data-learned-for]")) {
    badge.hidden = !learned.has(badge.dataset.learnedFor);
  }
  showFieldErrors(form, {});
  updateDependentFields(form, config, { t, lang });
}

/** Keeps the allowance fields and the local reset time in step with what the user typed. */
export function updateDependentFields(form, config, { t, lang }) {
  const values = readForm(form);
  form.querySelector("#allowance-fields").hidden = !showsAllowance(values, config.account);
  const local = utcClockToLocal(values.reset_time, lang);
  form.querySelector("#reset-local").textContent = local ? t("popup_reset_local", [local]) : "";
}

/** One row of the alternatives list (name, https URL, remove). */
export function alternativeRow({ name = "", url = "" }, t) {
  const row = h("li", { class: "alternative" },
    h("input", { name: "alt_name", value: name, "aria-label": t("popup_alternative_name"),
      placeholder: t("popup_alternative_name"), maxlength: MAX_NAME }),
    h("input", { name: "alt_url", type: "url", value: url, "aria-label": t("popup_alternative_url"),
      placeholder: "https://", maxlength: MAX_URL }),
    h("button", { type: "button", class: "icon", "aria-label": t("popup_alternative_remove"),
      onclick: () => row.remove() }, "×"));
  return row;
}
