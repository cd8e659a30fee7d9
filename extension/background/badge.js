/**
 * The toolbar badge: credits left on the current account, coloured by how much of
 * the allowance is left, with the account and the next reset in its title.
 * `badgeView` decides (pure, tested); `showBadge` paints.
 */
import { formatBadgeCredits, formatCredits, formatReset } from "../shared/format.js";
import { HELPER_STATE } from "../shared/messages.js";

/** Percent of the allowance left at or under which a level starts, lowest first. */
const LEVELS = [
  { level: "low", atMostPercent: 10 },
  { level: "warn", atMostPercent: 20 },
];

export const LEVEL_COLORS = Object.freeze({
  ok: "#1a7f37",
  warn: "#9a6700",
  low: "#cf222e",
  empty: "#82071e",
  unknown: "#6e7781",
});

/** "ok" | "warn" | "low" | "empty" | "unknown" for a tally (or none). */
export function creditLevel(tally) {
  const remaining = tally?.remaining;
  if (typeof remaining !== "number") return "unknown";
  if (remaining < 1) return "empty";
  if (!(tally.allowance > 0)) return "ok";
  const percent = (remaining / tally.allowance) * 100;
  return LEVELS.find(({ atMostPercent }) => percent <= atMostPercent)?.level ?? "ok";
}

/**
 * {text, color, title} for the badge.
 * @param {object} input
 * @param {object|null} input.tally  the current account's tally, if any
 * @param {object} input.helper  the port's state
 * @param {import("../shared/i18n.js").Translator} input.t
 */
export function badgeView({ tally, helper, lang, nowMs, t }) {
  const helperLine = {
    [HELPER_STATE.MISSING]: () => t("badge_title_helper_missing"),
    [HELPER_STATE.ERROR]: () => t("badge_title_helper_error", [helper.last_error ?? ""]),
  }[helper.state]?.();
  if (!tally) {
    return {
      text: helperLine ? "!" : "",
      color: LEVEL_COLORS.unknown,
      title: helperLine ?? t("badge_title_no_account"),
    };
  }
  const lines = [
    t("badge_title_account", [tally.account]),
    t("badge_title_remaining", [
      formatCredits(tally.remaining, lang),
      formatReset(tally.reset_at, nowMs, lang),
    ]),
  ];
  if (helperLine) lines.push(helperLine);
  return {
    text: formatBadgeCredits(tally.remaining),
    color: LEVEL_COLORS[creditLevel(tally)],
    title: lines.join("\n"),
  };
}

/** Paints a badgeView on the toolbar button. */
export async function showBadge(view, action = chrome.action) {
  await Promise.all([
    action.setBadgeText({ text: view.text }),
    action.setBadgeBackgroundColor({ color: view.color }),
    action.setTitle({ title: view.title }),
  ]);
}
