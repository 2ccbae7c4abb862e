import type { AgencyYearStatus, OfficeYearStatus, SubmissionState, Timing } from '../pipeline/year-status.ts';

/**
 * The year's status as CSV for supervisors' spreadsheets: UTF-8 with a byte-order mark (Excel reads
 * Chinese correctly only with it), CRLF line ends, Chinese headers and labels, codes kept as codes.
 */
const STATE_LABEL: Record<SubmissionState, string> = {
  NOT_SUBMITTED: '未提交',
  FAILED: '无法读取',
  INVALID: '有错误',
  VALID: '合格',
};
const TIMING_LABEL: Record<Timing, string> = {
  ON_TIME: '按时',
  LATE: '逾期提交',
  OVERDUE: '逾期未提交',
  OPEN: '未到截止日期',
};
const KIND_LABEL = { government: '人民政府', department: '部门' } as const;

/** Beijing time as `YYYY-MM-DD HH:mm` (what a clerk compares with the deadline). */
export function chinaTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}

export const STATUS_CSV_COLUMNS: ReadonlyArray<[string, (r: AgencyYearStatus) => string | number]> = [
  ['机关标识', (r) => r.agencyId],
  ['机关名称', (r) => r.name],
  ['类别', (r) => KIND_LABEL[r.kind]],
  ['状态', (r) => STATE_LABEL[r.status]],
  ['状态代码', (r) => r.status],
  ['截止时间', (r) => chinaTime(r.deadline)],
  ['最近上传时间', (r) => (r.uploadedAt === null ? '' : chinaTime(r.uploadedAt))],
  ['是否按时', (r) => TIMING_LABEL[r.timing]],
  ['错误数', (r) => r.errors],
  ['警告数', (r) => r.warnings],
  ['主要问题代码', (r) => r.mainCodes.join(' ')],
];

const cell = (v: string | number): string => {
  const s = String(v);
  // A leading = + - @ would be read by a spreadsheet as a formula.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function statusCsv(status: OfficeYearStatus): string {
  const lines = [
    STATUS_CSV_COLUMNS.map(([name]) => name),
    ...status.agencies.map((r) => STATUS_CSV_COLUMNS.map(([, get]) => get(r))),
  ].map((row) => row.map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export const statusCsvFileName = (status: OfficeYearStatus) =>
  `supervision-${status.officeId}-${status.year}.csv`;
