/**
 * The helper's `pace` object (docs/PROTOCOL.md, "Pace") in words, for the popup and the
 * warning dialog: "out around 15:40, 3 h before the reset · 7.5 credits an hour", with
 * the run-out in LOCAL time. A leaf module; the helper decides, this only words it.
 */
import { formatClock, formatCredits, formatDuration } from "./format.js";

/** Message key of each outlook (en and ja in _locales). */
export const OUTLOOK_KEYS = Object.freeze({
  early: "pace_early",
  lasts: "pace_lasts",
  runs_out: "pace_runs_out",
  out: "pace_out",
});

/**
 * The pace line, or "" when there is no pace to show (an older helper, a tally from a
 * push, an outlook this version does not know).
 * @param {object|null|undefined} pace
 * @param {{t: Function, lang: string, nowMs: number}} words
 */
export function paceText(pace, { t, lang, nowMs }) {
  const key = OUTLOOK_KEYS[pace?.outlook];
  if (!key) return "";
  const outlook = pace.outlook === "runs_out"
    ? t(key, [formatClock(pace.runs_out_at, nowMs), formatDuration(pace.before_reset_seconds, lang)])
    : t(key);
  const showsRate = pace.per_hour > 0 && pace.outlook !== "out"; // "0 credits an hour" says nothing
  return showsRate ? `${outlook} · ${t("pace_rate", [formatCredits(pace.per_hour, lang)])}` : outlook;
}
