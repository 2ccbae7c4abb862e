import type { Issue, ReportRecord } from '../report/index.ts';
import { severityOf } from '../report/index.ts';
import { chinaDay } from './china-time.ts';
import type { Agency } from './registry.ts';

/**
 * When the agency's report on `year` is due (条例第四十九条): 31 January of the next year for a
 * department, 31 March for a people's government's own report, end of that day in China (UTC+8). The one
 * rule that the lateness finding, the supervision status and the reminder calendar all read.
 */
export function deadlineOf(agency: Pick<Agency, 'kind'>, year: number): Date {
  const day = agency.kind === 'government' ? `${year + 1}-03-31` : `${year + 1}-01-31`;
  return new Date(`${day}T23:59:59.999+08:00`);
}

/** LATE_PUBLICATION when the upload arrived after the deadline; nothing when the body's kind is unknown. */
export function latenessIssues(record: ReportRecord, agency: Agency | null): Issue[] {
  const uploaded = record.upload?.eventTime;
  if (record.year === null || agency === null || uploaded === undefined) return [];
  const deadline = deadlineOf(agency, record.year);
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
