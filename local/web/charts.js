/**
 * The supervisor page's charts (issue 26), drawn with Apache ECharts served by the local server from the
 * installed package (/vendor/echarts.esm.min.mjs: nothing is fetched from the internet):
 *
 * 1. 提交进度: how many bodies have uploaded, day by day (Beijing time), against the deadlines;
 * 2. 各下级机构报送情况: each sub-office's bodies by status (合格 / 有错误 / 无法读取 / 未提交);
 * 3. 常见问题: the codes found in most bodies' latest reports, named in Chinese;
 * 4. 历年指标: 实质公开率 and 复议纠错率 of the office's 汇总 over the last five years.
 *
 * Data: the year's status the page already has (GET /supervision/{year}), the template vocabulary
 * (/template-vocabulary.json, for the codes' Chinese names) and the 汇总 (GET /summary/{year}) of each year.
 * Each chart is a focusable figure: its container has an aria-label (ECharts' own description, in Chinese),
 * ←/→ move the tooltip over its points, and a table of the same numbers is under it. SVG renderer, so the
 * labels are text; it redraws at the page's width (375 px phones included).
 */
import * as echarts from '/vendor/echarts.esm.min.mjs';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
const DAY_MS = 86_400_000;
const CHINA_MS = 8 * 3_600_000;
/** The China-time day of an instant, as a UTC midnight timestamp (the time axis shows days). */
const chinaDay = (iso) => Math.floor((new Date(iso).getTime() + CHINA_MS) / DAY_MS) * DAY_MS;
const dayText = (t) => new Date(t).toISOString().slice(0, 10);
const percent = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const STATES = ['VALID', 'INVALID', 'FAILED', 'NOT_SUBMITTED'];
const COLORS = { VALID: '#1a7f37', INVALID: '#b35900', FAILED: '#cf222e', NOT_SUBMITTED: '#6e7781' };

const charts = new Map();
let vocabulary = null;

const STYLE = `
#charts { margin-top: 1.5rem; }
#charts .chart-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); gap: 1rem; }
#charts figure { margin: 0; min-width: 0; }
#charts figcaption { font-weight: bold; margin-bottom: .3rem; }
#charts .chart { width: 100%; height: 260px; }
#charts .chart:focus { outline: 3px solid #0969da; outline-offset: 2px; }
#charts .chart-help { color: #555; font-size: .9rem; }
#charts table.chart-data { font-size: .85rem; }`;

/** The section's markup: four figures, each with a chart, its description and its numbers. */
function skeleton(root) {
  if (!document.getElementById('charts-style')) {
    const style = document.createElement('style');
    style.id = 'charts-style';
    style.textContent = STYLE;
    document.head.append(style);
  }
  const figure = (id, title) => `<figure class="chart-figure" data-chart="${id}">
  <figcaption id="${id}-title">${esc(title)}</figcaption>
  <div class="chart" id="${id}" data-title="${esc(title)}" role="img" tabindex="0"
       aria-describedby="chart-help-text" aria-keyshortcuts="ArrowLeft ArrowRight"></div>
  <details><summary>数据表</summary><div id="${id}-table"></div></details>
</figure>`;
  root.innerHTML = `<h2 id="charts-heading">图表</h2>
<p id="chart-help-text" class="chart-help">用 Tab 键选中图表，← → 键逐个查看数据点；每个图表下方“数据表”列出同样的数字。</p>
<div class="chart-figures">
${figure('chart-progress', '提交进度（北京时间，按日累计）')}
${figure('chart-offices', '各下级机构报送情况')}
${figure('chart-codes', '常见问题（涉及机关数）')}
${figure('chart-years', '历年指标（汇总表）')}
</div>`;
}

function table(id, head, rows) {
  const el = document.getElementById(`${id}-table`);
  el.innerHTML = `<table class="chart-data"><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** One chart in its container: created once, options replaced, keyboard stepping through `points`. */
function draw(id, option, points) {
  const el = document.getElementById(id);
  let chart = charts.get(id);
  if (!chart) {
    chart = echarts.init(el, null, { renderer: 'svg', locale: 'ZH' });
    charts.set(id, chart);
    el.addEventListener('keydown', (event) => {
      const state = el.__points;
      if (!state || state.count === 0 || (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft')) return;
      event.preventDefault();
      state.at = (state.at + (event.key === 'ArrowRight' ? 1 : state.count - 1)) % state.count;
      chart.dispatchAction({ type: 'showTip', seriesIndex: state.series, dataIndex: state.at });
    });
    el.addEventListener('blur', () => chart.dispatchAction({ type: 'hideTip' }));
  }
  el.__points = { ...points, at: -1 };
  chart.setOption(
    {
      // ECharts writes the chart's description (in Chinese, from the locale) as the container's aria-label;
      // the hidden title names the chart in it.
      aria: { enabled: true },
      title: { text: el.dataset.title, show: false },
      animation: false,
      textStyle: { fontFamily: '"Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
      tooltip: { trigger: 'axis', confine: true },
      ...option,
    },
    true,
  );
}

function progressChart(status) {
  const uploaded = status.agencies.filter((a) => a.uploadedAt !== null).map((a) => chinaDay(a.uploadedAt));
  uploaded.sort((a, b) => a - b);
  const days = [...new Set(uploaded)];
  const cumulative = days.map((d) => [d, uploaded.filter((u) => u <= d).length]);
  const deadlines = [...new Set(status.agencies.map((a) => chinaDay(a.deadline)))];
  const kinds = (d) =>
    [
      ...new Set(
        status.agencies.filter((a) => chinaDay(a.deadline) === d).map((a) => status.labels.kind[a.kind]),
      ),
    ].join('、');
  draw(
    'chart-progress',
    {
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true, formatter: '{MM}-{dd}' } },
      yAxis: {
        type: 'value',
        name: '已提交机关数',
        nameTextStyle: { align: 'left' },
        minInterval: 1,
        max: status.counts.total,
      },
      series: [
        {
          name: '已提交',
          type: 'line',
          step: 'end',
          data: cumulative,
          markLine: {
            symbol: 'none',
            label: { formatter: (p) => `${p.name}截止`, position: 'insideEndTop' },
            lineStyle: { color: '#cf222e', type: 'dashed' },
            data: deadlines.map((d) => ({ name: kinds(d), xAxis: d })),
          },
        },
      ],
    },
    { series: 0, count: cumulative.length },
  );
  table(
    'chart-progress',
    ['日期', '累计已提交'],
    cumulative.map(([d, n]) => [dayText(d), n]),
  );
}

/** Each agency's group: the office directly under this one that it sits beneath, else 本级直属. */
function groupOf(summary, agencyId) {
  return summary.subOffices.find((o) => o.agencyIds.includes(agencyId))?.name ?? '本级直属';
}

function officesChart(status, summary) {
  const groups = [...new Set(status.agencies.map((a) => groupOf(summary, a.agencyId)))];
  const count = (group, state) =>
    status.agencies.filter((a) => a.status === state && groupOf(summary, a.agencyId) === group).length;
  draw(
    'chart-offices',
    {
      grid: { left: 8, right: 16, top: 8, bottom: 40, containLabel: true },
      legend: { type: 'scroll', bottom: 0 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: groups, axisLabel: { width: 110, overflow: 'truncate' } },
      series: STATES.map((state) => ({
        name: status.labels.status[state],
        type: 'bar',
        stack: 'status',
        itemStyle: { color: COLORS[state] },
        data: groups.map((g) => count(g, state)),
      })),
    },
    { series: 0, count: groups.length },
  );
  table(
    'chart-offices',
    ['机构', ...STATES.map((s) => status.labels.status[s])],
    groups.map((g) => [g, ...STATES.map((s) => count(g, s))]),
  );
}

function codesChart(status) {
  const counts = new Map();
  for (const a of status.agencies)
    for (const code of a.mainCodes) counts.set(code, (counts.get(code) ?? 0) + 1);
  const top = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 8)
    .reverse();
  const name = (code) => vocabulary?.codes?.[code]?.meaning ?? code;
  draw(
    'chart-codes',
    {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: top.map(([c]) => name(c)),
        axisLabel: { width: 140, overflow: 'truncate' },
      },
      tooltip: {
        trigger: 'axis',
        confine: true,
        formatter: (p) => `${esc(p[0].name)}<br>${top[p[0].dataIndex][0]}：${p[0].value} 个机关`,
      },
      series: [{ name: '机关数', type: 'bar', data: top.map(([, n]) => n), itemStyle: { color: '#0b5cad' } }],
    },
    { series: 0, count: top.length },
  );
  table(
    'chart-codes',
    ['问题', '代码', '机关数'],
    [...top].reverse().map(([c, n]) => [name(c), c, n]),
  );
}

function yearsChart(summaries) {
  const years = summaries.map((s) => String(s.year));
  draw(
    'chart-years',
    {
      grid: { left: 8, right: 16, top: 24, bottom: 40, containLabel: true },
      legend: { type: 'scroll', bottom: 0 },
      tooltip: { trigger: 'axis', confine: true, valueFormatter: percent },
      xAxis: { type: 'category', data: years },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
      series: [
        {
          name: '实质公开率',
          type: 'line',
          connectNulls: false,
          data: summaries.map((s) => s.indicators.disclosureRate),
        },
        {
          name: '复议纠错率',
          type: 'line',
          connectNulls: false,
          data: summaries.map((s) => s.indicators.reviewCorrectionRate),
        },
      ],
    },
    { series: 0, count: years.length },
  );
  table(
    'chart-years',
    ['年度', '计入机关', '实质公开率', '复议纠错率'],
    summaries.map((s) => [
      s.year,
      `${s.counts.included}/${s.counts.bodies}`,
      percent(s.indicators.disclosureRate),
      percent(s.indicators.reviewCorrectionRate),
    ]),
  );
}

/**
 * Draws the four charts into `root` for the status the page loaded. `fetchJson(path)` fetches with the
 * page's token. The 汇总 of the five years up to `status.year` feed the last chart (and the sub-offices).
 */
export async function drawCharts(root, status, fetchJson) {
  if (!root.querySelector('.chart')) skeleton(root);
  root.hidden = false;
  vocabulary ??= await fetch('/template-vocabulary.json')
    .then((r) => r.json())
    .catch(() => null);
  const office = encodeURIComponent(status.officeId);
  const years = Array.from({ length: 5 }, (_, i) => status.year - 4 + i);
  const summaries = await Promise.all(years.map((y) => fetchJson(`/summary/${y}?office=${office}`)));
  const current = summaries.at(-1);
  progressChart(status);
  if (current) officesChart(status, current);
  codesChart(status);
  yearsChart(summaries.filter((s) => s));
}

// One listener for every chart: they follow the page's width.
addEventListener('resize', () => {
  for (const chart of charts.values()) chart.resize();
});
