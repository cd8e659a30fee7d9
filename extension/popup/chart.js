/**
 * The 30-day chart: credits used per day, as an inline SVG string built by pure
 * functions (tested in node). Days are UTC calendar dates ("YYYY-MM-DD"), the days the
 * helper's `history` is proposed to carry; Free credits also reset at 00:00 UTC.
 * Colours come from popup.css through classes, so light and dark mode both work.
 */
import { formatCredits, formatCreditsShort } from "../shared/format.js";

export const CHART_DAYS = 30;

const WIDTH = 340;
const HEIGHT = 132;
const PLOT = { left: 34, right: 4, top: 8, bottom: 22 };
const DAY_MS = 86_400_000;

/**
 * The last `days` UTC dates up to `nowMs`, oldest first, each with the credits used
 * that day: missing days are 0, repeated dates add up, dates outside are left out.
 * @param {Array<{date: string, used: number}>} history
 * @returns {Array<{date: string, used: number}>}
 */
export function dailySeries(history, nowMs, days = CHART_DAYS) {
  const today = Date.UTC(...utcParts(nowMs));
  const series = Array.from({ length: days }, (_, i) => ({
    date: new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10),
    used: 0,
  }));
  const byDate = new Map(series.map((day) => [day.date, day]));
  for (const entry of history) {
    const day = byDate.get(entry?.date);
    if (day && Number.isFinite(entry.used) && entry.used > 0) day.used += entry.used;
  }
  return series;
}

function utcParts(ms) {
  const d = new Date(ms);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}

/** The top of the scale: the smallest 1, 2 or 5 × 10ⁿ at or above `max` (at least 1). */
export function niceMax(max) {
  if (!(max > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((top) => top >= max);
}

/** One sentence for screen readers: the total and the busiest day. */
export function chartSummary(series, { t, lang }) {
  const total = series.reduce((sum, day) => sum + day.used, 0);
  if (total === 0) return t("popup_chart_summary_none", [String(series.length)]);
  const busiest = series.reduce((best, day) => (day.used > best.used ? day : best));
  return t("popup_chart_summary", [String(series.length), formatCredits(total, lang),
    dayLabel(busiest.date, lang), formatCredits(busiest.used, lang)]);
}

function dayLabel(date, lang) {
  return new Intl.DateTimeFormat(lang, { month: "numeric", day: "numeric", timeZone: "UTC" })
    .format(new Date(`${date}T00:00:00Z`));
}

function escapeXml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The chart as SVG markup: one bar per day (the last one, today, marked), a scale with
 * 0, half (when whole) and top, and date labels at both ends and the middle.
 * @param {Array<{date: string, used: number}>} series from `dailySeries`
 * @param {{t: Function, lang: string}} env
 */
export function chartSvg(series, { t, lang }) {
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const top = niceMax(Math.max(0, ...series.map((day) => day.used)));
  const slot = plotWidth / series.length;
  const baseline = PLOT.top + plotHeight;
  const title = t("popup_chart_title", [String(series.length)]);

  // Credits are counted in whole units, so a 0–1 scale gets no 0.5 line.
  const ticks = top >= 2 ? [0, top / 2, top] : [0, top];
  const grid = ticks.map((value) => {
    const y = (baseline - (value / top) * plotHeight).toFixed(1);
    return `<line class="grid" x1="${PLOT.left}" x2="${WIDTH - PLOT.right}" y1="${y}" y2="${y}"/>`
      + `<text class="axis" x="${PLOT.left - 4}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatCreditsShort(value, lang))}</text>`;
  });
  const bars = series.map((day, i) => {
    const height = (day.used / top) * plotHeight;
    const x = (PLOT.left + i * slot + slot * 0.15).toFixed(1);
    const cls = i === series.length - 1 ? "bar today" : "bar";
    return `<rect class="${cls}" x="${x}" y="${(baseline - height).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${height.toFixed(1)}" data-date="${day.date}" data-used="${day.used}">`
      + `<title>${escapeXml(`${dayLabel(day.date, lang)}: ${formatCredits(day.used, lang)}`)}</title></rect>`;
  });
  const labelled = [0, Math.floor(series.length / 2), series.length - 1];
  const dates = labelled.map((i, n) => {
    const x = (PLOT.left + (i + 0.5) * slot).toFixed(1);
    const anchor = ["start", "middle", "end"][n];
    return `<text class="axis" x="${x}" y="${HEIGHT - 6}" text-anchor="${anchor}">${escapeXml(dayLabel(series[i].date, lang))}</text>`;
  });

  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(chartSummary(series, { t, lang }))}">`
    + `<title>${escapeXml(title)}</title>${grid.join("")}${bars.join("")}${dates.join("")}</svg>`;
}

/**
 * Puts the chart (or, without history from the helper, a short note) into `el`.
 * @param {HTMLElement} el the #chart container
 * @param {Array<{date: string, used: number}>|null} history
 */
export function renderChart(el, history, { t, lang, nowMs }) {
  if (!Array.isArray(history)) {
    el.dataset.state = "empty";
    el.textContent = t("popup_chart_empty");
    return;
  }
  el.dataset.state = "chart";
  // Parsed as SVG (strict XML) in a detached document, then moved in, rather than set as
  // HTML (web-ext lint rightly flags innerHTML with built markup): chartSvg escapes every
  // text, so only its own elements come out.
  const parsed = new DOMParser().parseFromString(chartSvg(dailySeries(history, nowMs), { t, lang }), "image/svg+xml");
  el.replaceChildren(el.ownerDocument.importNode(parsed.documentElement, true));
}
