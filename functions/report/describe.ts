import { errorsFirst } from './findings.ts';
import type { Issue, ReportRecord, Severity } from './record.ts';
import { columnName, rowName, SECTIONS, sectionName, type Template } from './template.ts';

/**
 * How a record and its issues read to a person: the CLI's output, the notifications, the pages. The status
 * words are the one vocabulary of a verdict: the supervisors' year table, CSV and 汇总 derive theirs from
 * these (STATE_LABELS in pipeline/year-status.ts adds 未提交), so a record reads the same everywhere. Not
 * 通过: that word belongs to the review (审核通过, page-vocabulary.ts).
 */
export const STATUS_NAMES: Record<ReportRecord['status'], string> = {
  VALID: '合格',
  INVALID: '有错误',
  FAILED: '无法读取',
};
export const SEVERITY_NAMES: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };
const SEVERITY_MARKS: Record<Severity, string> = { error: '✗', warning: '⚠', info: 'ℹ' };
/** 全文, 第一部分 … 第六部分, by section number (template.ts names them). */
export const SECTION_NAMES = [sectionName(0), ...SECTIONS.map((s) => sectionName(s.number))];

/**
 * Where an issue is, in the words of the template: 第三部分 · （七）总计 · 自然人. Row and column names
 * depend on the report's template (section 2 differs); a record without one (FAILED) has no table issues.
 */
export function locationOf(issue: Issue, template: Template | null): string {
  const parts = [sectionName(issue.section)];
  const { table } = issue;
  const on = template ?? '2021';
  if (table !== undefined) {
    if (issue.row !== undefined) parts.push(rowName(on, table, issue.row) ?? issue.row);
    if (issue.group !== undefined) parts.push(rowName(on, 'appeals', issue.group) ?? issue.group);
    if (issue.column !== undefined) parts.push(columnName(on, table, issue.column) ?? issue.column);
  }
  return parts.join(' · ');
}

/**
 * One issue as a line of text: `✗ CODE  [location]  message` on a terminal, `[错误] CODE（location）：message`
 * in a notice to supervisors.
 */
export function issueLine(issue: Issue, template: Template | null, form: 'terminal' | 'notice'): string {
  const where = locationOf(issue, template);
  return form === 'terminal'
    ? `${SEVERITY_MARKS[issue.severity]} ${issue.code}  [${where}]  ${issue.message}`
    : `[${SEVERITY_NAMES[issue.severity]}] ${issue.code}（${where}）：${issue.message}`;
}

/** The human form of a record: a header line, then one line per issue, errors first. */
export function formatRecord(file: string, record: ReportRecord): string {
  const lines = [
    `${file}`,
    `  机关 ${record.agency ?? '（未识别）'}  年度 ${record.year ?? '（未识别）'}  状态 ${STATUS_NAMES[record.status]} ${record.status}` +
      (record.status === 'FAILED' ? '' : `  错误 ${record.summary.errors}  警告 ${record.summary.warnings}`),
  ];
  for (const issue of errorsFirst(record.issues))
    lines.push(`  ${issueLine(issue, record.template, 'terminal')}`);
  return `${lines.join('\n')}\n`;
}
