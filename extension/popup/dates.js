/**
 * Dates and clock times for people, in their own time zone. The helper speaks UTC
 * (instants with `Z`, reset times as UTC "HH:MM"); the popup shows local time beside it.
 * `timeZone` is a parameter only so tests can pin it.
 */

const HH_MM = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

/** True for a 24-hour "HH:MM" (00:00–23:59), the helper's reset_time format. */
export function isClockTime(text) {
  return HH_MM.test(text);
}

/**
 * The local clock time of a UTC "HH:MM" on the day of `nowMs` (time zones with DST
 * shift it through the year, so the day matters).
 * @returns {string} e.g. "09:00", or "" when `utc` is not HH:MM
 */
export function utcClockToLocal(utc, lang, nowMs = Date.now(), timeZone = undefined) {
  const match = HH_MM.exec(utc);
  if (!match) return "";
  const day = new Date(nowMs);
  const instant = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(),
    Number(match[1]), Number(match[2]));
  return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone })
    .format(instant);
}

/**
 * A period `{start, end}` as a short local range, e.g. "Nov 24, 09:00 – Nov 25, 09:00".
 * `end` is exclusive, which is also the reset instant people expect to see.
 */
export function formatPeriod(period, lang, timeZone = undefined) {
  if (!period?.start || !period?.end) return "";
  const format = new Intl.DateTimeFormat(lang, {
    month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone,
  });
  return format.formatRange(new Date(period.start), new Date(period.end));
}

/**
 * A past instant for people, in local time: "01:02" when it is today, "Dec 3, 01:02"
 * (「12月3日 01:02」) earlier this year, with the year before that; "" for no date.
 */
export function formatSeen(iso, lang, nowMs = Date.now(), timeZone = undefined) {
  const when = new Date(iso ?? NaN);
  if (Number.isNaN(when.getTime())) return "";
  const day = (ms) => new Intl.DateTimeFormat("en-CA", { timeZone }).format(ms);
  const year = (ms) => day(ms).slice(0, 4);
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone };
  if (day(when) !== day(nowMs)) Object.assign(options, { month: "short", day: "numeric" });
  if (year(when) !== year(nowMs)) options.year = "numeric";
  return new Intl.DateTimeFormat(lang, options).format(when);
}
