import type { Issue, ReportRecord } from './record.ts';
import {
  APPEAL_COLUMN_NAMES,
  APPEAL_GROUP_NAMES,
  PROACTIVE_2019_ROWS,
  PROACTIVE_COLUMN_NAMES,
  PROACTIVE_ROWS,
  REQUEST_COLUMN_NAMES,
  type RequestRow,
  requestRowName,
} from './template.ts';

/** How a record and its issues read to a person: the CLI's output and the supervisors' notifications. */
export const STATUS_NAMES: Record<ReportRecord['status'], string> = {
  VALID: '通过',
  INVALID: '不通过',
  FAILED: '无法处理',
};
const SECTION_NAMES = ['全文', '第一部分', '第二部分', '第三部分', '第四部分', '第五部分', '第六部分'];

/** Where an issue is, in the words of the template: 第三部分 · （七）总计 · 自然人. */
export function locationOf(issue: Issue): string {
  const parts = [SECTION_NAMES[issue.section] ?? `第${issue.section}部分`];
  if (issue.table === 'requests' && issue.row !== undefined)
    parts.push(requestRowName(issue.row as RequestRow));
  else if (issue.row !== undefined) {
    const row = [...PROACTIVE_ROWS, ...PROACTIVE_2019_ROWS].find((r) => r.key === issue.row);
    parts.push(row?.name ?? issue.row);
  }
  if (issue.group !== undefined)
    parts.push(APPEAL_GROUP_NAMES[issue.group as keyof typeof APPEAL_GROUP_NAMES] ?? issue.group);
  if (issue.column !== undefined) {
    const names: Record<string, string> =
      issue.table === 'proactive'
        ? PROACTIVE_COLUMN_NAMES
        : { ...REQUEST_COLUMN_NAMES, ...APPEAL_COLUMN_NAMES };
    parts.push(names[issue.column] ?? issue.column);
  }
  return parts.join(' · ');
}

/** The human form of a record: a header line, then one line per issue, errors first. */
export function formatRecord(file: string, record: ReportRecord): string {
  const lines = [
    `${file}`,
    `  机关 ${record.agency ?? '（未识别）'}  年度 ${record.year ?? '（未识别）'}  状态 ${STATUS_NAMES[record.status]} ${record.status}` +
      (record.status === 'FAILED' ? '' : `  错误 ${record.summary.errors}  警告 ${record.summary.warnings}`),
  ];
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const ordered = [...record.issues].sort((a, b) => rank[a.severity] - rank[b.severity]);
  for (const issue of ordered) {
    const mark = { error: '✗', warning: '⚠', info: 'ℹ' }[issue.severity];
    lines.push(`  ${mark} ${issue.code}  [${locationOf(issue)}]  ${issue.message}`);
  }
  return `${lines.join('\n')}\n`;
}
