import { csvCell } from '../api/status-csv.ts';
import { REVIEW_STATUS_LABELS } from '../pipeline/review.ts';
import { STATE_LABELS } from '../pipeline/year-status.ts';
import { pageVocabulary } from '../report/page-vocabulary.ts';
import { cellIn, fieldOf, isObject } from '../report/table-cells.ts';
import { EXCLUSION_LABELS, EXCLUSION_REASONS, type OfficeSummary } from './summary.ts';

/**
 * The 汇总 as CSV in the template's layout, the way an office pastes it into its own report: tables 二, 三
 * and 四 with the template's Chinese row and column names (page-vocabulary.ts, derived from template.ts),
 * then the bodies counted and those left out. UTF-8 with BOM and CRLF, as the status CSV.
 */
type Line = (string | number)[];

const num = (v: unknown): string | number => (typeof v === 'number' ? v : '');

export function summaryCsv(summary: OfficeSummary): string {
  const v = pageVocabulary();
  const words = v.templates[summary.template];
  const t = summary.tables;
  const lines: Line[] = [
    [`${summary.officeName}（${summary.officeId}）${summary.year}年度政府信息公开工作年度报告汇总表`],
    [
      '机关总数',
      summary.counts.bodies,
      '计入汇总',
      summary.counts.included,
      ...EXCLUSION_REASONS.flatMap((k) => [EXCLUSION_LABELS[k], summary.counts[k]]),
    ],
    [],
    [v.sections[1]?.title ?? ''],
  ];
  const proactive = summary.template === '2019' ? t.proactive2019 : t.proactive;
  for (const row of words.proactive) {
    if (row.columns === null) lines.push([row.name, row.header ?? '', num(cellIn(proactive, row.key, null))]);
    else {
      lines.push([words.proactiveRowHeader, ...row.columns.map((c) => c.name)]);
      lines.push([row.name, ...row.columns.map((c) => num(cellIn(proactive, row.key, c.key)))]);
    }
  }
  lines.push([], [v.sections[2]?.title ?? ''], ['', ...words.requests.columns.map((c) => c.name)]);
  for (const row of words.requests.rows) {
    // A row no counted body printed (otherTotal2019 when all used the 2021 row set) is left out.
    if (!isObject(fieldOf(t.requests, row.key))) continue;
    lines.push([row.name, ...words.requests.columns.map((c) => num(cellIn(t.requests, row.key, c.key)))]);
  }
  lines.push([], [v.sections[3]?.title ?? '']);
  lines.push(words.appeals.groups.flatMap((g) => words.appeals.columns.map((c) => `${g.name}·${c.name}`)));
  lines.push(
    words.appeals.groups.flatMap((g) =>
      words.appeals.columns.map((c) => num(cellIn(t.appeals, g.key, c.key))),
    ),
  );
  if (summary.issues.length > 0) {
    lines.push([], ['合计校验'], ...summary.issues.map((i) => [i.code, i.message]));
  }
  lines.push([], ['机关标识', '机关名称', '是否计入', '状态', '审核状态', '原因', '文件']);
  for (const b of summary.included) {
    lines.push([
      b.agencyId,
      b.name,
      '计入',
      STATE_LABELS[b.status],
      b.reviewStatus === null ? '' : REVIEW_STATUS_LABELS[b.reviewStatus],
      '',
      b.objectKey,
    ]);
  }
  for (const b of summary.excluded) {
    lines.push([
      b.agencyId,
      b.name,
      '未计入',
      b.status === null ? STATE_LABELS.NOT_SUBMITTED : STATE_LABELS[b.status],
      b.reviewStatus === null ? '' : REVIEW_STATUS_LABELS[b.reviewStatus],
      EXCLUSION_LABELS[b.reason],
      b.objectKey ?? '',
    ]);
  }
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export const summaryCsvFileName = (summary: OfficeSummary) =>
  `summary-${summary.officeId}-${summary.year}.csv`;
