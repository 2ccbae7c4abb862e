import type { Issue, ReportRecord } from '../report/index.ts';
import { REQUEST_COLUMN_NAMES, REQUEST_COLUMNS, severityOf } from '../report/index.ts';
import { contentRepeatedIssues } from '../report/rules/content-repeated.ts';
import { stockFlowIssues } from '../report/rules/stock-flow.ts';
import { unusualChangeIssues } from '../report/rules/unusual-change.ts';

/**
 * Every check of this year's record against the same body's previous-year record: carry-over (error),
 * stock and flow of documents and copied narrative (warnings), unusual year-over-year changes (info).
 */
export function crossYearIssues(current: ReportRecord, previous: ReportRecord | null): Issue[] {
  const findings = [
    ...stockFlowIssues(current, previous),
    ...contentRepeatedIssues(current, previous),
    ...unusualChangeIssues(current, previous),
  ];
  return [
    ...carryoverIssues(current, previous),
    ...findings.map((f) => ({ ...f, severity: severityOf(f.code, f.table) })),
  ];
}

/** Part of every carry-over finding's message: how re-evaluation knows its own OCR_UNCERTAIN from the report's. */
const CARRYOVER_WORDS = '年度报告的结转下年度继续办理';

type Doubt = NonNullable<ReportRecord['source']['ocr']>['doubtful'][number];

/** The record's doubtful OCR reading of a 第三部分 cell (source.ocr.doubtful), if it has one. */
function doubtAt(record: ReportRecord, row: string, column: string): Doubt | undefined {
  return record.source.ocr?.doubtful.find(
    (d) => d.table === 'requests' && d.row === row && d.column === column,
  );
}

/**
 * This year's 二、上年结转 must equal last year's 四、结转下年度继续办理, column by column, for one body.
 * Cells either side that are not numbers are left to the per-report findings. When either number was read
 * by OCR with low confidence (issue 24), the mismatch may be our misread: an OCR_UNCERTAIN warning naming
 * the doubtful cells with their pages, never the agency's error; two confident readings keep the error.
 */
export function carryoverIssues(current: ReportRecord, previous: ReportRecord | null): Issue[] {
  const now = current.requests?.carriedOverFromLastYear;
  const before = previous?.requests?.carriedOverToNextYear;
  if (now == null || before == null || previous === null) return [];
  const issues: Issue[] = [];
  for (const column of REQUEST_COLUMNS) {
    const a = now[column];
    const b = before[column];
    if (typeof a !== 'number' || typeof b !== 'number' || a === b) continue;
    const lastYear = previous.year ?? '上一';
    const message = `第三部分表格"${REQUEST_COLUMN_NAMES[column]}"列：上年结转（${a}）不等于${lastYear}${CARRYOVER_WORDS}（${b}）`;
    const place = {
      section: 3,
      table: 'requests',
      row: 'carriedOverFromLastYear',
      column,
      expected: b,
      actual: a,
    } as const;
    const mine = doubtAt(current, 'carriedOverFromLastYear', column);
    const theirs = doubtAt(previous, 'carriedOverToNextYear', column);
    if (mine === undefined && theirs === undefined) {
      issues.push({
        code: 'CARRYOVER_MISMATCH',
        severity: severityOf('CARRYOVER_MISMATCH'),
        ...place,
        message,
      });
      continue;
    }
    const read = (d: Doubt, report: string, row: string) =>
      `${report}第${d.page}页"${row}"行"${REQUEST_COLUMN_NAMES[column]}"列（读作"${d.text}"，识别置信度 ${d.confidence.toFixed(2)}）`;
    const doubts = [
      ...(mine ? [read(mine, '本报告', '二、上年结转')] : []),
      ...(theirs ? [read(theirs, `${lastYear}年度报告`, '四、结转下年度继续办理')] : []),
    ];
    issues.push({
      code: 'OCR_UNCERTAIN',
      severity: severityOf('OCR_UNCERTAIN', 'requests'),
      ...place,
      // The cells of this record the view can frame; last year's doubtful cell is named in the message.
      cells: [{ row: 'carriedOverFromLastYear', column, ...(mine ? { page: mine.page } : {}) }],
      message: `${message}；其中${doubts.join('、')}由文字识别（OCR）读出且把握不大，可能是识别有误而非报告有误，请对照原件核对这些单元格`,
    });
  }
  return issues;
}

/** A finding carryoverIssues makes (the error, or its OCR_UNCERTAIN): what re-evaluation replaces. */
export function isCarryoverFinding(i: Issue): boolean {
  if (i.code === 'CARRYOVER_MISMATCH') return true;
  return (
    i.code === 'OCR_UNCERTAIN' && i.row === 'carriedOverFromLastYear' && i.message.includes(CARRYOVER_WORDS)
  );
}
