import { STATUS_NAMES } from '../report/describe.ts';
import type { Status } from '../report/record.ts';
import { deadlineOf } from './deadline.ts';
import type { Agency, Registry } from './registry.ts';
import { agenciesUnder, findOffice } from './supervision.ts';

/**
 * The status of a reporting year for a supervising office: each agency under it, with how its latest
 * upload for that year stands and whether it came in time. Domain only: the store is behind
 * {@link SubmissionReader}, read once per agency, so the cost follows the office's own agencies.
 */

/** What the store keeps of an agency's latest upload for a year (the item's top-level attributes). */
export interface Submission {
  status: Status;
  /** When S3 received the upload (ISO 8601): the publication time. */
  uploadedAt: string;
  errors: number;
  warnings: number;
  /** Distinct codes of errors, then warnings. */
  mainCodes: string[];
  objectKey: string;
}

export interface SubmissionReader {
  /** The agency's latest upload declared for (or read as) that year, or null when there is none. */
  latestSubmission(agencyId: string, year: number): Promise<Submission | null>;
}

export const SUBMISSION_STATES = ['NOT_SUBMITTED', 'FAILED', 'INVALID', 'VALID'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/**
 * ON_TIME / LATE: uploaded before / after the deadline (the latest upload's time, as LATE_PUBLICATION
 * judges it); OVERDUE: nothing uploaded and the deadline has passed; OPEN: nothing yet, still in time.
 */
export const TIMINGS = ['ON_TIME', 'LATE', 'OVERDUE', 'OPEN'] as const;
export type Timing = (typeof TIMINGS)[number];

/**
 * What supervisors read for each state, timing and kind: the CSV, the CLI and the page use these. A state
 * with an upload is its record's status, in the record's words (STATUS_NAMES, report/describe.ts).
 */
export const STATE_LABELS: Record<SubmissionState, string> = {
  NOT_SUBMITTED: '未提交',
  FAILED: STATUS_NAMES.FAILED,
  INVALID: STATUS_NAMES.INVALID,
  VALID: STATUS_NAMES.VALID,
};
export const TIMING_LABELS: Record<Timing, string> = {
  ON_TIME: '按时',
  LATE: '逾期提交',
  OVERDUE: '逾期未提交',
  OPEN: '未到截止日期',
};
export const KIND_LABELS: Record<Agency['kind'], string> = { government: '人民政府', department: '部门' };

export interface AgencyYearStatus {
  agencyId: string;
  name: string;
  kind: Agency['kind'];
  /** The offices directly above it. */
  supervisedBy: string[];
  status: SubmissionState;
  deadline: string;
  timing: Timing;
  /** LATE or OVERDUE. */
  late: boolean;
  uploadedAt: string | null;
  errors: number;
  warnings: number;
  mainCodes: string[];
  objectKey: string | null;
}

export interface OfficeYearStatus {
  officeId: string;
  officeName: string;
  year: number;
  /** When the status was computed; OVERDUE depends on it. */
  asOf: string;
  counts: Record<SubmissionState, number> & { total: number; late: number };
  agencies: AgencyYearStatus[];
}

/** Status of one agency, given its latest submission (or none) and the time of asking. */
export function agencyYearStatus(
  agency: Agency,
  year: number,
  submission: Submission | null,
  now: Date,
): AgencyYearStatus {
  const deadline = deadlineOf(agency, year);
  const timing: Timing =
    submission === null
      ? now > deadline
        ? 'OVERDUE'
        : 'OPEN'
      : new Date(submission.uploadedAt) > deadline
        ? 'LATE'
        : 'ON_TIME';
  return {
    agencyId: agency.id,
    name: agency.name,
    kind: agency.kind,
    supervisedBy: agency.supervisedBy,
    status: submission?.status ?? 'NOT_SUBMITTED',
    deadline: deadline.toISOString(),
    timing,
    late: timing === 'LATE' || timing === 'OVERDUE',
    uploadedAt: submission?.uploadedAt ?? null,
    errors: submission?.errors ?? 0,
    warnings: submission?.warnings ?? 0,
    mainCodes: submission?.mainCodes ?? [],
    objectKey: submission?.objectKey ?? null,
  };
}

export class UnknownOfficeError extends Error {
  override name = 'UnknownOfficeError';
}

/**
 * Every agency under the office with its status for the year. Reads run `concurrency` at a time: a
 * province's office has thousands of agencies, and each read is one small query.
 */
export async function officeYearStatus(
  registry: Registry,
  officeId: string,
  year: number,
  reader: SubmissionReader,
  options: { now?: Date; concurrency?: number } = {},
): Promise<OfficeYearStatus> {
  const office = findOffice(registry, officeId);
  if (office === null) throw new UnknownOfficeError(`unknown office: ${officeId}`);
  const now = options.now ?? new Date();
  const agencies = agenciesUnder(registry, officeId);
  const rows: AgencyYearStatus[] = new Array(agencies.length);
  let next = 0;
  const worker = async () => {
    while (next < agencies.length) {
      const i = next++;
      const agency = agencies[i];
      if (agency === undefined) return;
      rows[i] = agencyYearStatus(agency, year, await reader.latestSubmission(agency.id, year), now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 16, agencies.length) }, worker));
  const counts = { NOT_SUBMITTED: 0, FAILED: 0, INVALID: 0, VALID: 0, total: rows.length, late: 0 };
  for (const row of rows) {
    counts[row.status]++;
    if (row.late) counts.late++;
  }
  return { officeId, officeName: office.name, year, asOf: now.toISOString(), counts, agencies: rows };
}
