/**
 * The Status tab. `statusView` turns the background's `status` reply (docs/PROTOCOL.md,
 * plus `helper`) into what is shown, with no DOM and no language, so it is tested in
 * node; `renderStatus` only puts that view on the page.
 */

import { h, fill } from "../shared/dom.js";
import { formatPeriod } from "./dates.js";
import { renderChart } from "./chart.js";
import { paceText } from "../shared/pace.js";

/** Key of `used.by_device` that holds balance drops no device recorded (PROTOCOL.md). */
export const OTHER_DEVICES = "other";

/**
 * How worried to look. `out`: nothing left; `low`: at or under the user's reserve;
 * `mid`: at or under half (or twice the reserve, if that is more); `ok`: above.
 * @param {number} remaining
 * @param {number} allowance
 * @param {number} [reservePercent] the account's `reserve` setting (default 20)
 * @returns {"ok"|"mid"|"low"|"out"}
 */
export function levelOf(remaining, allowance, reservePercent = 20) {
  if (!(remaining > 0)) return "out";
  const percent = percentLeft(remaining, allowance);
  if (percent <= reservePercent) return "low";
  if (percent <= Math.max(50, 2 * reservePercent)) return "mid";
  return "ok";
}

/** Credits left as a percentage of the allowance, 0–100 (bought packs can exceed it). */
export function percentLeft(remaining, allowance) {
  if (!(allowance > 0)) return remaining > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, (remaining / allowance) * 100));
}

/**
 * `used.by_device` as rows, largest first; ties put this device first and "other
 * devices" last. Unknown ids (a device not in `devices`) keep a short id as their name.
 * @returns {Array<{key: string, name: string|null, isThis: boolean, isOther: boolean, credits: number}>}
 */
export function deviceRows(byDevice = {}, devices = {}, thisDeviceId = "") {
  const rank = (row) => (row.isThis ? 0 : row.isOther ? 2 : 1);
  return Object.entries(byDevice)
    .map(([key, credits]) => ({
      key,
      name: key === OTHER_DEVICES ? null : devices[key] ?? key.slice(0, 8),
      isThis: key === thisDeviceId,
      isOther: key === OTHER_DEVICES,
      credits,
    }))
    .sort((a, b) => b.credits - a.credits || rank(a) - rank(b) || a.key.localeCompare(b.key));
}

/** The period's credits: the allowance plus what was topped up (packs), so that "used"
 * plus "left" is the "of N" beside them (PROTOCOL.md, the tally). */
export function periodCredits(tally) {
  return tally.allowance + (tally.topped_up ?? 0);
}

/**
 * Credits used past the period's credits (0 when within them): `remaining` stops at 0,
 * so this is how far usage went beyond it ("over by 107.5").
 */
export function overBy(tally) {
  const over = (tally.used?.total ?? 0) - periodCredits(tally);
  return over >= 0.05 ? over : 0;
}

/** `used.by_operation` as rows, largest first. */
export function operationRows(byOperation = {}) {
  return Object.entries(byOperation)
    .map(([operation, credits]) => ({ operation, credits }))
    .sort((a, b) => b.credits - a.credits || a.operation.localeCompare(b.operation));
}

/** Side quotas (`windows`, e.g. the 5-hour image window) still running at `nowMs`. */
export function windowRows(windows = {}, nowMs = Date.now()) {
  return Object.entries(windows)
    .filter(([, w]) => !w.reset_at || Date.parse(w.reset_at) > nowMs)
    .map(([name, w]) => ({ name, balance: w.balance, resetAt: w.reset_at ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The helper's state as the popup shows it: the `helper.state` answer if there is one,
 * else what the status reply carried, else "missing" when the background could not
 * reach the helper at all.
 */
export function helperView(statusReply, helperReply) {
  const fromStatus = statusReply?.helper ?? {};
  const known = helperReply?.ok !== false && helperReply?.state ? helperReply : fromStatus;
  let state = known.state;
  if (!state) state = statusReply?.error?.code === "helper_unavailable" ? "missing" : "error";
  return {
    state,
    version: known.version ?? null,
    lastError: known.last_error ?? statusReply?.error?.message ?? null,
    missedPreflights: fromStatus.missed_preflights ?? 0,
  };
}

/** The account to show: the one asked for when it has a tally, else the first. */
export function pickAccount(names, wanted) {
  return names.includes(wanted) ? wanted : names[0] ?? null;
}

/**
 * Everything the Status tab shows, from the status reply.
 * @param {object} reply the background's `status` answer
 * @param {{account?: string, reserve?: number, nowMs?: number, helperReply?: object}} [options]
 */
export function statusView(reply, { account, reserve = 20, nowMs = Date.now(), helperReply } = {}) {
  const helper = helperView(reply, helperReply);
  const tallies = reply?.ok ? reply.accounts ?? [] : [];
  const accounts = tallies.map((t) => t.account).sort((a, b) => a.localeCompare(b));
  const chosen = pickAccount(accounts, account);
  const tally = tallies.find((t) => t.account === chosen);
  if (!tally) return { helper, accounts, account: null, tally: null };
  return {
    helper,
    accounts,
    account: chosen,
    tally: {
      remaining: tally.remaining,
      allowance: periodCredits(tally),
      percent: percentLeft(tally.remaining, periodCredits(tally)),
      level: levelOf(tally.remaining, periodCredits(tally), reserve),
      reserve,
      resetAt: tally.reset_at,
      pace: tally.pace ?? null,
      plan: tally.plan,
      period: tally.period,
      usedTotal: tally.used?.total ?? 0,
      over: overBy(tally),
      devices: deviceRows(tally.used?.by_device, reply.devices, reply.device_id),
      operations: operationRows(tally.used?.by_operation),
      windows: windowRows(tally.windows, nowMs),
      observedBalance: tally.observed_balance ?? null,
      observedAt: tally.observed_at ?? null,
      sync: tally.sync ?? "off",
      history: Array.isArray(tally.history) ? tally.history : null,
    },
  };
}

/**
 * Replaces one account's tally inside a status reply (a `tally.changed` push), keeping
 * the rest; an account not yet listed is added.
 */
export function withTally(reply, tally) {
  if (!reply?.ok || !tally?.account) return reply;
  const accounts = reply.accounts ?? [];
  const old = accounts.find((a) => a.account === tally.account);
  const merged = { ...old, ...tally };
  const next = old
    ? accounts.map((a) => (a === old ? merged : a))
    : [...accounts, merged];
  return { ...reply, accounts: next };
}

/**
 * The sentence `key` with its first placeholder emphasized: translated with a marker in
 * place of $1, then split there, so the emphasis survives any word order.
 */
function emphasized(t, key, [first, ...rest]) {
  const marker = "\u0001";
  const [before, after = ""] = t(key, [marker, ...rest]).split(marker);
  return [before, h("strong", {}, first), after];
}

/**
 * Puts a `statusView` on the page.
 * @param {HTMLElement} root the #status-view section
 * @param {ReturnType<typeof statusView>} view
 * @param {{t: Function, fmt: object, lang: string, nowMs: number}} env
 */
export function renderStatus(root, view, { t, fmt, lang, nowMs }) {
  const tally = view.tally;
  root.querySelector("#status-empty").hidden = Boolean(tally);
  root.querySelector("#status-body").hidden = !tally;
  if (!tally) return;

  const credits = (n) => fmt.formatCredits(n, lang);
  fill(root.querySelector("#remaining"),
    ...emphasized(t, "popup_remaining_of", [credits(tally.remaining), credits(tally.allowance)]));

  const progress = root.querySelector("#progress");
  progress.dataset.level = tally.level;
  progress.setAttribute("aria-valuenow", String(Math.round(tally.percent)));
  progress.setAttribute("aria-valuetext",
    t("popup_remaining_of", [credits(tally.remaining), credits(tally.allowance)]));
  progress.firstElementChild.style.width = `${tally.percent}%`;
  const levelNote = root.querySelector("#level-note");
  levelNote.hidden = tally.level === "ok" || tally.level === "mid";
  levelNote.textContent = {
    out: () => (tally.over > 0 ? t("popup_level_over", [credits(tally.over)]) : t("popup_level_out")),
    low: () => t("popup_level_low", [String(tally.reserve)]),
  }[tally.level]?.() ?? "";

  root.querySelector("#reset").textContent = fmt.formatReset(tally.resetAt, nowMs, lang);
  const pace = paceText(tally.pace, { t, lang, nowMs });
  root.querySelector("#pace-row").hidden = !pace;
  root.querySelector("#pace").textContent = pace;
  root.querySelector("#plan").textContent = t(`popup_plan_${tally.plan}`);
  root.querySelector("#period").textContent = formatPeriod(tally.period, lang);
  root.querySelector("#site-balance-row").hidden = tally.observedBalance === null;
  if (tally.observedBalance !== null) {
    root.querySelector("#site-balance").textContent = t("popup_site_balance_at",
      [credits(tally.observedBalance), new Date(tally.observedAt).toLocaleTimeString(lang,
        { hour: "2-digit", minute: "2-digit", hourCycle: "h23" })]);
  }

  root.querySelector("#used-total").textContent = credits(tally.usedTotal);
  fill(root.querySelector("#by-device"), tally.devices.map((row) =>
    usageItem(deviceLabel(row, t), credits(row.credits))));
  root.querySelector("#by-device-none").hidden = tally.devices.length > 0;
  fill(root.querySelector("#by-operation"), tally.operations.map((row) =>
    usageItem(t(`popup_op_${row.operation}`), credits(row.credits))));
  root.querySelector("#by-operation-none").hidden = tally.operations.length > 0;

  const windows = root.querySelector("#windows");
  windows.hidden = tally.windows.length === 0;
  fill(windows, tally.windows.map((w) => h("p", { class: "window", "data-window": w.name },
    w.resetAt
      ? t("popup_window_line", [windowLabel(w.name, t), credits(w.balance), fmt.formatReset(w.resetAt, nowMs, lang)])
      : t("popup_window_line_no_reset", [windowLabel(w.name, t), credits(w.balance)]))));

  renderChart(root.querySelector("#chart"), tally.history, { t, lang, nowMs });
}

function deviceLabel(row, t) {
  if (row.isOther) return t("popup_other_devices");
  return row.isThis ? t("popup_this_device", [row.name]) : row.name;
}

/** The known windows have names ("5-hour window"); others show their own name. */
function windowLabel(name, t) {
  const key = `popup_window_${name}`;
  const text = /^\w+$/.test(name) ? t(key) : key;
  return text === key ? name : text;
}

function usageItem(label, value) {
  return h("li", {}, h("span", { class: "label" }, label), h("span", { class: "value" }, value));
}
