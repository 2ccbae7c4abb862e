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

/**
 * This year's 二、上年结转 must equal last year's 四、结转下年度继续办理, column by column, for one body.
 * Cells either side that are not numbers are left to the per-report findings.
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
    issues.push({
      code: 'CARRYOVER_MISMATCH',
      severity: severityOf('CARRYOVER_MISMATCH'),
      section: 3,
      table: 'requests',
      row: 'carriedOverFromLastYear',
      column,
      expected: b,
      actual: a,
      message: `第三部分表格"${REQUEST_COLUMN_NAMES[column]}"列：上年结转（${a}）不等于${previous.year ?? '上一'}年度报告的结转下年度继续办理（${b}）`,
    });
  }
  return issues;
}
