import type { ReportRecord } from '../report/index.ts';
import { distinctCodes, errorsFirst, issueLine, STATUS_NAMES } from '../report/index.ts';
import { UNVERSIONED } from './keys.ts';
import { fingerprintOf } from './review.ts';
import type { StoredRecord } from './table-layout.ts';

/**
 * The message supervisors receive when a report fails: in Chinese, naming the file and listing the issues
 * with their locations, nothing else of the document. SNS takes 256 KB for message and attributes
 * together; the list is cut well below that and says how many were left out.
 */
export interface Notification {
  subject: string;
  message: string;
  attributes: {
    agencyId: string;
    year: string;
    status: ReportRecord['status'];
    codes: string[];
    /** The same for every send of one record revision's notice: subscribers drop repeats by it. */
    noticeId: string;
    /** Set when an earlier attempt to send this notice may have gone out (see docs/guarantees.md). */
    possibleDuplicate: boolean;
  };
}

export const MAX_MESSAGE_BYTES = 200 * 1024;

/**
 * The findings a notice lists: errors and warnings, less those a reviewer dismissed (their latest decision).
 * Info findings (UNUSUAL_CHANGE) are for the record and the pages, not for a supervisor's inbox.
 */
export function announcedFindings(record: ReportRecord, dismissed: ReadonlySet<string> = new Set()) {
  return record.issues.filter((i) => i.severity !== 'info' && !dismissed.has(fingerprintOf(i)));
}

/**
 * Only reports the agency must act on produce a message, and only while something is left to say: a
 * record whose every error and warning was dismissed is not announced again.
 */
export function needsNotification(record: ReportRecord, dismissed: ReadonlySet<string> = new Set()): boolean {
  return record.status !== 'VALID' && announcedFindings(record, dismissed).length > 0;
}

/** The notice of one stored record revision, rendered from the stored record only. */
export function notificationFor(
  stored: StoredRecord,
  options: { possibleDuplicate?: boolean; dismissed?: ReadonlySet<string> } = {},
): Notification {
  const { record, revision, reevaluatedBecause: because } = stored;
  const file = record.upload?.key ?? record.source.file;
  const version = record.upload?.versionId ? `（版本 ${record.upload.versionId}）` : '';
  const head = [
    record.status === 'FAILED' ? '政府信息公开工作年度报告无法处理' : '政府信息公开工作年度报告校验未通过',
    '',
    `文件：${file}${version}`,
    `机关：${record.agency ?? '（未识别）'}（${record.agencyId ?? '未登记'}）`,
    `年度：${record.year ?? '（未识别）'}`,
    `状态：${STATUS_NAMES[record.status]}（${record.status}）`,
    `问题：错误 ${record.summary.errors} 项，警告 ${record.summary.warnings} 项`,
    ...(because === null
      ? []
      : [
          `复核：收到${because.year}年度报告（${because.objectKey}）后重新核对跨年度数据，结果有变（第 ${revision} 次复核）`,
        ]),
    '',
  ];
  const notified = announcedFindings(record, options.dismissed);
  const leftOut = record.issues.filter((i) => i.severity !== 'info').length - notified.length;
  const ordered = errorsFirst(notified);
  // The counts above are the record's; the list below says why it is shorter.
  const lines =
    leftOut === 0 ? [...head] : [...head, `已核销 ${leftOut} 项（复核认定无需更正，不再列出）`, ''];
  let bytes = Buffer.byteLength(lines.join('\n'));
  let listed = 0;
  for (const issue of ordered) {
    const line = `${listed + 1}. ${issueLine(issue, record.template, 'notice')}`;
    const size = Buffer.byteLength(line) + 1;
    if (bytes + size > MAX_MESSAGE_BYTES - 200) break;
    lines.push(line);
    bytes += size;
    listed++;
  }
  if (listed < ordered.length) lines.push(`……另有 ${ordered.length - listed} 项未列出，请查看完整记录。`);
  const subject =
    `[年报校验] ${record.agency ?? record.agencyId ?? '未识别机关'} ${record.year ?? ''} ${STATUS_NAMES[record.status]}`
      .replace(/\s+/g, ' ')
      .slice(0, 99);
  return {
    subject,
    message: lines.join('\n'),
    attributes: {
      agencyId: record.agencyId ?? 'unknown',
      year: String(record.year ?? 'unknown'),
      status: record.status,
      codes: distinctCodes(notified),
      noticeId: `${file}#${record.upload?.versionId ?? UNVERSIONED}#${revision}`,
      possibleDuplicate: options.possibleDuplicate ?? false,
    },
  };
}
