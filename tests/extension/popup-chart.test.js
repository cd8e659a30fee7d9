import test from "node:test";
import assert from "node:assert/strict";
import { dailySeries, niceMax, chartSvg, chartSummary, renderChart, CHART_DAYS } from "../../extension/popup/chart.js";

const NOW = Date.parse("2026-11-24T21:00:00Z");
const t = (key, subs = []) => `${key}(${subs.join("|")})`;
const env = { t, lang: "en" };

test("dailySeries: 30 UTC days ending today, gaps as 0, repeats added, outsiders dropped", () => {
  const series = dailySeries([
    { date: "2026-11-24", used: 40 },
    { date: "2026-11-24", used: 2 },
    { date: "2026-11-10", used: 15 },
    { date: "2026-10-01", used: 99 },
    { date: "2026-11-25", used: 5 },
    { date: "2026-11-20", used: -3 },
  ], NOW);
  assert.equal(series.length, CHART_DAYS);
  assert.equal(series[0].date, "2026-10-26");
  assert.equal(series.at(-1).date, "2026-11-24");
  assert.equal(series.at(-1).used, 42);
  assert.equal(series.find((d) => d.date === "2026-11-10").used, 15);
  assert.equal(series.reduce((sum, d) => sum + d.used, 0), 57);
});

test("niceMax: 1, 2 or 5 times a power of ten, never below 1", () => {
  assert.deepEqual([0, 0.4, 1, 7, 42, 100, 101, 1200, 48800].map(niceMax),
    [1, 1, 1, 10, 50, 100, 200, 2000, 50000]);
});

test("chartSvg: one bar per day scaled to the top of the axis, today marked", () => {
  const series = dailySeries([{ date: "2026-11-24", used: 50 }, { date: "2026-11-23", used: 25 }], NOW);
  const svg = chartSvg(series, env);
  const bars = [...svg.matchAll(/<rect class="(bar[^"]*)"[^>]*y="([\d.]+)"[^>]*height="([\d.]+)"[^>]*data-date="([\d-]+)"/g)];
  assert.equal(bars.length, CHART_DAYS);
  const today = bars.at(-1);
  const yesterday = bars.at(-2);
  assert.equal(today[1], "bar today");
  assert.equal(today[4], "2026-11-24");
  assert.equal(Number(yesterday[3]) * 2, Number(today[3]), "half the credits, half the height");
  assert.equal(Number(today[3]), 102, "50 is the top of a 0–50 scale: the full plot height");
  assert.equal(Number(bars[0][3]), 0);
  assert.match(svg, />50<\/text>/);
  assert.match(svg, />25<\/text>/);
});

test("chartSvg is accessible: role img, an aria-label summary and a title first", () => {
  const series = dailySeries([{ date: "2026-11-20", used: 80 }, { date: "2026-11-24", used: 10.5 }], NOW);
  const svg = chartSvg(series, env);
  assert.match(svg, /^<svg [^>]*role="img"/);
  assert.match(svg, /aria-label="popup_chart_summary\(30\|90\.5\|11\/20\|80\)"/);
  assert.match(svg, /^<svg[^>]*><title>popup_chart_title\(30\)<\/title>/);
});

test("chartSummary says so when nothing was used", () => {
  const series = dailySeries([], NOW);
  assert.equal(chartSummary(series, env), "popup_chart_summary_none(30)");
  assert.equal([...chartSvg(series, env).matchAll(/<rect /g)].length, CHART_DAYS);
});

test("chartSvg escapes what it writes", () => {
  const series = dailySeries([], NOW);
  const svg = chartSvg(series, { t: () => `<script>"&'`, lang: "en" });
  assert.ok(!svg.includes("<script>"));
  assert.match(svg, /&#60;script&#62;&#34;&#38;&#39;/);
});

test("renderChart: without history from the helper, the empty-state note instead of a chart", () => {
  const el = { dataset: {}, textContent: "" };
  renderChart(el, null, { t, lang: "en", nowMs: NOW });
  assert.equal(el.dataset.state, "empty");
  assert.equal(el.textContent, "popup_chart_empty()");
});

test("renderChart: the chart is parsed as SVG in its own document and moved in, never set as HTML", () => {
  // Node has no DOMParser: record what the popup's would be asked (the real one runs in
  // tests/e2e/test_popup.py, which finds the drawn svg).
  const parsed = [];
  globalThis.DOMParser = class {
    parseFromString(markup, type) {
      parsed.push({ markup, type });
      return { documentElement: { parsedRoot: markup } };
    }
  };
  try {
    const children = [];
    const el = {
      dataset: {},
      ownerDocument: { importNode: (node, deep) => ({ imported: node, deep }) },
      replaceChildren: (...nodes) => children.splice(0, children.length, ...nodes),
    };
    const history = [{ date: "2026-11-24", used: 3 }];
    renderChart(el, history, { t, lang: "en", nowMs: NOW });
    const markup = chartSvg(dailySeries(history, NOW), env);
    assert.equal(el.dataset.state, "chart");
    assert.deepEqual(parsed, [{ markup, type: "image/svg+xml" }]);
    assert.deepEqual(children, [{ imported: { parsedRoot: markup }, deep: true }]);
    assert.equal("innerHTML" in el, false);
  } finally {
    delete globalThis.DOMParser;
  }
});

test("chartSvg: a scale of 0–1 (nothing used) has no half line", () => {
  const svg = chartSvg(dailySeries([], NOW), env);
  assert.equal([...svg.matchAll(/<line class="grid"/g)].length, 2);
  assert.ok(!svg.includes(">0.5<"));
});
