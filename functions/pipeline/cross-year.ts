import type { Issue, ReportRecord } from '../report/index.ts';
import { REQUEST_COLUMN_NAMES, REQUEST_COLUMNS, severityOf } from '../report/index.ts';
import { contentRepeatedIssues } from '../report/rules/content-repeated.ts';
import { stockFlowIssues } from '../report/rules/stock-flow.ts';
import { unusualChangeIssues } from '../report/rules/unusual-change.ts';
import { chinaDay } from './china-time.ts';
import type { Agency } from './registry.ts';

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

/**
 * The deadline for the report on year Y: 31 January of Y+1 for a department, 31 March for a people's
 * government's own report, end of that day in China (UTC+8).
 */
export function deadlineFor(year: number, kind: Agency['kind']): Date {
  const day = kind === 'government' ? `${year + 1}-03-31` : `${year + 1}-01-31`;
  return new Date(`${day}T23:59:59.999+08:00`);
}

/** LATE_PUBLICATION when the upload arrived after the deadline; nothing when the body's kind is unknown. */
export function latenessIssues(record: ReportRecord, agency: Agency | null): Issue[] {
  const uploaded = record.upload?.eventTime;
  if (record.year === null || agency === null || uploaded === undefined) return [];
  const deadline = deadlineFor(record.year, agency.kind);
  const at = new Date(uploaded);
  if (!(at > deadline)) return [];
  return [
    {
      code: 'LATE_PUBLICATION',
      severity: severityOf('LATE_PUBLICATION'),
      section: 0,
      message: `${record.year}年度报告应于${chinaDay(deadline)}前公开，实际上传于${chinaDay(at)}`,
    },
  ];
}
