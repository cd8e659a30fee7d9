/**
 * Numbers, durations and reset times for people, in English and Japanese. A leaf
 * module shared by popup, content and background. It carries its own few words
 * because chrome.i18n follows the browser's language, while the user may pick
 * another one in the settings.
 */

const LOCALES = { en: "en-US", ja: "ja-JP" };

/** Same shapes as the helper's i18n catalog (native_host/i18n.py, "time."). */
const WORDS = {
  en: {
    seconds: "{s} s",
    minutes: "{m} min",
    hours: "{h} h",
    hoursMinutes: "{h} h {m} min",
    days: "{d} d",
    daysHours: "{d} d {h} h",
    resetIn: "in {duration} ({clock})",
    resetImminent: "within a minute ({clock})",
  },
  ja: {
    seconds: "{s}秒",
    minutes: "{m}分",
    hours: "{h}時間",
    hoursMinutes: "{h}時間{m}分",
    days: "{d}日",
    daysHours: "{d}日{h}時間",
    resetIn: "{duration}後（{clock}）",
    resetImminent: "1分以内（{clock}）",
  },
};

/** Shown where a value is unknown (no tally yet, a bad date). */
export const UNKNOWN = "—";

function words(lang) {
  return WORDS[lang] ?? WORDS.en;
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

/**
 * "1,234", or "12.5" when the value has a fraction (one decimal at most);
 * UNKNOWN when it is not a finite number.
 */
export function formatCredits(value, lang) {
  if (typeof value !== "number" || !Number.isFinite(value)) return UNKNOWN;
  const rounded = Math.round(value * 10) / 10;
  const digits = Number.isInteger(rounded) ? 0 : 1;
  return new Intl.NumberFormat(LOCALES[lang] ?? LOCALES.en, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(rounded);
}

/**
 * A short amount for a chart's scale: "500", "1.5K" / 「1.5万」 (the language's own
 * compact form), one decimal at most.
 */
export function formatCreditsShort(value, lang) {
  if (typeof value !== "number" || !Number.isFinite(value)) return UNKNOWN;
  return new Intl.NumberFormat(LOCALES[lang] ?? LOCALES.en, {
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(value);
}

/**
 * At most four characters for the toolbar badge, in any language: 999, 1.2k, 12k, 123k,
 * 1.2M. Rounded down: the badge never shows more credits than there are.
 */
export function formatBadgeCredits(value) {
  const whole = Math.max(0, Math.floor(value));
  for (const [size, suffix] of [[1e6, "M"], [1e3, "k"]]) {
    if (whole >= size) {
      const scaled = whole / size;
      const shown = scaled < 10 ? Math.floor(scaled * 10) / 10 : Math.floor(scaled);
      return `${shown}${suffix}`;
    }
  }
  return String(whole);
}

/**
 * "3 h 20 min" / 「3時間20分」, like the helper's i18n.duration: seconds under a
 * minute, then minutes, hours, days. Rounded up, so a countdown never reads "0 min"
 * and never promises a reset sooner than it comes.
 */
export function formatDuration(seconds, lang) {
  const w = words(lang);
  const whole = Math.max(0, Math.ceil(seconds));
  if (whole < 60) return fill(w.seconds, { s: whole });
  const totalMinutes = Math.ceil(whole / 60);
  if (totalMinutes < 60) return fill(w.minutes, { m: totalMinutes });
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours < 24) {
    return fill(minutes ? w.hoursMinutes : w.hours, { h: hours, m: minutes });
  }
  const totalHours = Math.ceil(whole / 3600);
  const days = Math.floor(totalHours / 24);
  const restHours = totalHours % 24;
  return fill(restHours ? w.daysHours : w.days, { d: days, h: restHours });
}

const pad = (n) => String(n).padStart(2, "0");

/** Local "09:00", with the local date in front when a day or more away. */
function localClock(date, seconds) {
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (seconds < 86_400) return time;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/**
 * An instant as the LOCAL clock time: "15:40", or "2026-12-20 15:40" when it is a day or
 * more after `nowMs`; UNKNOWN for a bad date.
 */
export function formatClock(iso, nowMs) {
  const date = new Date(iso ?? NaN);
  if (Number.isNaN(date.getTime())) return UNKNOWN;
  return localClock(date, (date.getTime() - nowMs) / 1000);
}

/**
 * When the credits reset, relative to `nowMs` plus the LOCAL clock time:
 * "in 3 h 20 min (09:00)" / 「3時間20分後（09:00）」. A reset already due reads
 * "within a minute": the helper has not rolled the period over yet.
 */
export function formatReset(resetAtIso, nowMs, lang) {
  const resetAt = new Date(resetAtIso ?? NaN);
  if (Number.isNaN(resetAt.getTime())) return UNKNOWN;
  const seconds = (resetAt.getTime() - nowMs) / 1000;
  const w = words(lang);
  const clock = localClock(resetAt, seconds);
  if (seconds < 60) return fill(w.resetImminent, { clock });
  return fill(w.resetIn, { duration: formatDuration(seconds, lang), clock });
}

/**
 * The language to show: the setting ("en", "ja"), or for "auto" (and anything
 * else) the browser's: "ja…" → "ja", otherwise "en".
 */
export function pickLanguage(setting, uiLanguage) {
  if (setting === "en" || setting === "ja") return setting;
  return String(uiLanguage ?? "").toLowerCase().startsWith("ja") ? "ja" : "en";
}
