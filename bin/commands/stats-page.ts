import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ExcludedBody, OfficeSummary } from '../../functions/analytics/summary.ts';
import { EXCLUSION_LABELS, EXCLUSION_REASONS } from '../../functions/analytics/summary.ts';
import { summaryRecord } from '../../functions/analytics/summary-record.ts';
import { REVIEW_STATUS_LABELS } from '../../functions/pipeline/review.ts';
import { STATE_LABELS } from '../../functions/pipeline/year-status.ts';
import { pageVocabulary } from '../../functions/report/page-vocabulary.ts';
import { cellIn, fieldOf, isObject } from '../../functions/report/table-cells.ts';
import { render } from '../../local/web/report-view.js';
import { renderTable } from './table.ts';

/**
 * The 汇总 for people: a self-contained page in the report view's table layout (`stats --summary --html`,
 * style inlined, no script), and the terminal's text.
 */
const WEB = path.join(import.meta.dirname, '..', '..', 'local', 'web');
const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

function indicatorLines(s: OfficeSummary): [string, string][] {
  return [
    ['本年新收申请', String(s.indicators.requestsReceived ?? '—')],
    ['实质公开率（予以公开＋部分公开）÷办理结果总计', percent(s.indicators.disclosureRate)],
    ['复议纠错率（结果纠正÷行政复议总计）', percent(s.indicators.reviewCorrectionRate)],
    ['诉讼纠错率（结果纠正÷行政诉讼总计）', percent(s.indicators.litigationCorrectionRate)],
  ];
}

const bodyState = (b: Pick<ExcludedBody, 'status' | 'reviewStatus'>) =>
  [
    b.status === null ? STATE_LABELS.NOT_SUBMITTED : STATE_LABELS[b.status],
    b.reviewStatus === null ? '' : REVIEW_STATUS_LABELS[b.reviewStatus],
  ]
    .filter((x) => x !== '')
    .join(' · ');

export function summaryPage(summary: OfficeSummary, generatedAt = new Date()): string {
  const css = readFileSync(path.join(WEB, 'report-view.css'), 'utf8');
  const c = summary.counts;
  const bodies = [
    ...summary.included.map(
      (b) =>
        `<tr><td>${esc(b.name)}<br><code>${esc(b.agencyId)}</code></td><td>计入</td><td>${esc(bodyState(b))}</td><td></td></tr>`,
    ),
    ...summary.excluded.map(
      (b) =>
        `<tr class="excluded"><td>${esc(b.name)}<br><code>${esc(b.agencyId)}</code></td><td>未计入</td><td>${esc(bodyState(b))}</td><td>${esc(EXCLUSION_LABELS[b.reason])}</td></tr>`,
    ),
  ].join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(summary.officeName)}${summary.year}年度汇总表</title>
<style>
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.4rem; } table.bodies { border-collapse: collapse; width: 100%; } table.bodies td, table.bodies th { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; }
tr.excluded { color: #8a4b00; } dl.indicators { display: grid; grid-template-columns: auto auto; gap: .2rem 1rem; }
${css}
</style>
</head>
<body>
<h1>${esc(summary.officeName)} ${summary.year}年度政府信息公开工作年度报告汇总表</h1>
<p>汇总范围：本机构监督的全部 ${c.bodies} 个机关（含下级机构所监督的），每个机关取本年度最新的合格或审核通过的报告；计入 ${c.included} 个，未计入 ${c.bodies - c.included} 个（${EXCLUSION_REASONS.map(
    (k) => `${EXCLUSION_LABELS[k]} ${c[k]}`,
  ).join('，')}）。生成于 ${esc(generatedAt.toISOString())}。</p>
<dl class="indicators">${indicatorLines(summary)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('')}</dl>
<div class="report">${render(summaryRecord(summary), pageVocabulary(), { idPrefix: 'summary' })}</div>
<h2>机关</h2>
<table class="bodies"><thead><tr><th>机关</th><th>是否计入</th><th>状态</th><th>未计入原因</th></tr></thead><tbody>${bodies}</tbody></table>
</body>
</html>
`;
}

export function summaryText(summary: OfficeSummary): string {
  const v = pageVocabulary().templates[summary.template];
  const c = summary.counts;
  const out = [
    `${summary.officeName}（${summary.officeId}）${summary.year}年度汇总：机关 ${c.bodies} 个，计入 ${c.included}，未提交 ${c.NOT_SUBMITTED}，无法读取 ${c.FAILED}，有错误未审核通过 ${c.NOT_ACCEPTED}`,
    ...indicatorLines(summary).map(([k, val]) => `  ${k}：${val}`),
  ];
  const requests = summary.tables.requests;
  const rows = v.requests.rows.flatMap((r) =>
    isObject(fieldOf(requests, r.key))
      ? [[r.name, ...v.requests.columns.map((col) => String(cellIn(requests, r.key, col.key) ?? '—'))]]
      : [],
  );
  out.push(
    '',
    '三、收到和处理政府信息公开申请情况',
    renderTable(['', ...v.requests.columns.map((col) => col.name)], rows),
  );
  out.push(
    '',
    '四、政府信息公开行政复议、行政诉讼情况',
    renderTable(
      ['', ...v.appeals.columns.map((col) => col.name)],
      v.appeals.groups.map((g) => [
        g.name,
        ...v.appeals.columns.map((col) => String(cellIn(summary.tables.appeals, g.key, col.key) ?? '—')),
      ]),
    ),
  );
  out.push('', summary.issues.length === 0 ? '合计校验：各项合计相符' : '合计校验：');
  for (const i of summary.issues) out.push(`  ✗ ${i.code}  ${i.message}`);
  if (summary.excluded.length > 0) {
    out.push('', '未计入的机关：');
    for (const b of summary.excluded) {
      const state = b.status === null ? '' : `（最近上传：${bodyState(b)}）`;
      out.push(`  ${b.agencyId}  ${b.name}  ${EXCLUSION_LABELS[b.reason]}${state}`);
    }
  }
  out.push('', '--csv 输出完整的表二、三、四；--html OUT 按报告模板版式输出。');
  return `${out.join('\n')}\n`;
}
