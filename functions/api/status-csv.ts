import { chinaTime } from '../pipeline/china-time.ts';
import {
  type AgencyYearStatus,
  KIND_LABELS,
  type OfficeYearStatus,
  STATE_LABELS,
  TIMING_LABELS,
} from '../pipeline/year-status.ts';

/**
 * The year's status as CSV for supervisors' spreadsheets: UTF-8 with a byte-order mark (Excel reads
 * Chinese correctly only with it), CRLF line ends, Chinese headers and labels, codes kept as codes.
 */
export const STATUS_CSV_COLUMNS: ReadonlyArray<[string, (r: AgencyYearStatus) => string | number]> = [
  ['机关标识', (r) => r.agencyId],
  ['机关名称', (r) => r.name],
  ['类别', (r) => KIND_LABELS[r.kind]],
  ['状态', (r) => STATE_LABELS[r.status]],
  ['状态代码', (r) => r.status],
  ['截止时间', (r) => chinaTime(r.deadline)],
  ['最近上传时间', (r) => (r.uploadedAt === null ? '' : chinaTime(r.uploadedAt))],
  ['是否按时', (r) => TIMING_LABELS[r.timing]],
  ['错误数', (r) => r.errors],
  ['警告数', (r) => r.warnings],
  ['主要问题代码', (r) => r.mainCodes.join(' ')],
];

export const csvCell = (v: string | number): string => {
  const s = String(v);
  // A leading = + - @ would be read by a spreadsheet as a formula.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function statusCsv(status: Pick<OfficeYearStatus, 'agencies'>): string {
  const lines = [
    STATUS_CSV_COLUMNS.map(([name]) => name),
    ...status.agencies.map((r) => STATUS_CSV_COLUMNS.map(([, get]) => get(r))),
  ].map((row) => row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export const statusCsvFileName = (status: OfficeYearStatus) =>
  `supervision-${status.officeId}-${status.year}.csv`;
