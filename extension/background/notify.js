/**
 * Notifications when credits run low, once when they come back, and once before a daily
 * reset that would leave many credits unused (docs/EXTENSION.md, "Notifications").
 * `notificationsDue` and `nudgeDue` decide (pure, tested); `notifyTally` keeps what was
 * sent in storage.local, so a restarted worker does not repeat itself.
 *
 * Record per account: {period_start, sent: [thresholds notified in that period],
 * low: whether a low notice went out since the last "credits are back",
 * nudged: the period_start of the last reset nudge}.
 */
import { formatCredits, formatReset } from "../shared/format.js";

export const NOTIFIED_KEY = "notified";

/** Percent of the allowance left, or null when the allowance is unknown. */
function percentLeft(tally) {
  if (!(tally.allowance > 0) || typeof tally.remaining !== "number") return null;
  return (tally.remaining / tally.allowance) * 100;
}

/**
 * What to notify for `tally`, given the account's `record` (or undefined).
 * Each threshold (percent left) notifies at most once per period; crossing several
 * at once gives one notice, for the lowest. "Credits are back" follows a low notice
 * once remaining is above the top threshold again: after a reset or a top-up.
 * @returns {{notices: Array<{kind: "low", threshold: number, percent: number} | {kind: "back"}>, record: object}}
 */
export function notificationsDue(tally, thresholds, record) {
  const periodStart = tally.period?.start ?? null;
  const next =
    record?.period_start === periodStart
      ? { ...record, sent: [...record.sent] }
      : { period_start: periodStart, sent: [], low: record?.low ?? false };
  const percent = percentLeft(tally);
  if (percent === null || thresholds.length === 0) return { notices: [], record: next };
  const crossed = thresholds
    .filter((threshold) => percent <= threshold && !next.sent.includes(threshold))
    .sort((a, b) => a - b);
  if (crossed.length > 0) {
    next.sent.push(...crossed);
    next.low = true;
    return { notices: [{ kind: "low", threshold: crossed[0], percent }], record: next };
  }
  if (next.low && percent > Math.max(...thresholds)) {
    next.low = false;
    return { notices: [{ kind: "back" }], record: next };
  }
  return { notices: [], record: next };
}

/**
 * The reset nudge for `tally`, given the account's `record`: due when the helper says so
 * (`pace.nudge`, docs/PROTOCOL.md "Pace") and not yet sent this period. Tallies without a
 * pace (replies to events, pushes) never nudge.
 * @returns {{notices: Array<{kind: "nudge"}>, record: object | undefined}}
 */
export function nudgeDue(tally, record) {
  const periodStart = tally.period?.start ?? null;
  if (tally.pace?.nudge !== true || record?.nudged === periodStart) return { notices: [], record };
  return { notices: [{ kind: "nudge" }], record: { ...record, nudged: periodStart } };
}

/**
 * When to ask for status so the reset nudge can be decided: the earliest `pace.nudge_at`
 * still ahead of `nowMs` among `tallies` (by account), or null.
 */
export function nextNudgeCheck(tallies, nowMs) {
  const ahead = Object.values(tallies)
    .map((tally) => Date.parse(tally.pace?.nudge_at ?? ""))
    .filter((when) => when > nowMs);
  return ahead.length > 0 ? Math.min(...ahead) : null;
}

/** The notification for one notice, localized with `t` (shared/i18n.js). */
function noticeContent(notice, tally, { lang, nowMs, t }) {
  const credits = formatCredits(tally.remaining, lang);
  if (notice.kind === "nudge") {
    return {
      title: t("notify_nudge_title"),
      message: t("notify_nudge_message", [tally.account, credits, formatReset(tally.reset_at, nowMs, lang)]),
    };
  }
  if (notice.kind === "back") {
    return {
      title: t("notify_back_title"),
      message: t("notify_back_message", [tally.account, credits]),
    };
  }
  return {
    title: t("notify_low_title", [String(notice.threshold)]),
    message: t("notify_low_message", [
      tally.account,
      credits,
      formatCredits(tally.allowance, lang),
      formatReset(tally.reset_at, nowMs, lang),
    ]),
  };
}

/**
 * Shows what `tally` calls for under the helper's settings (`notifications` and
 * `notify_thresholds` for low credits, `reset_nudge` for the nudge) and remembers it.
 */
export async function notifyTally(tally, config, { storage, notifications, iconUrl, lang, nowMs, t }) {
  const low = config.notifications !== false;
  const nudge = config.reset_nudge !== false;
  if (!low && !nudge) return;
  const stored = (await storage.get(NOTIFIED_KEY))[NOTIFIED_KEY] ?? {};
  let record = stored[tally.account];
  const notices = [];
  if (low) {
    const due = notificationsDue(tally, config.notify_thresholds ?? [], record);
    notices.push(...due.notices);
    record = due.record;
  }
  if (nudge) {
    const due = nudgeDue(tally, record);
    notices.push(...due.notices);
    record = due.record;
  }
  if (record !== stored[tally.account]) {
    await storage.set({ [NOTIFIED_KEY]: { ...stored, [tally.account]: record } });
  }
  for (const notice of notices) {
    await notifications.create(`credit-guard:${tally.account}:${notice.kind}`, {
      type: "basic",
      iconUrl,
      ...noticeContent(notice, tally, { lang, nowMs, t }),
    });
  }
}
