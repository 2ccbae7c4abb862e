import { fingerprinted, type ReportRecord, withIssues } from '../report/index.ts';
import { carryoverIssues, isCarryoverFinding } from './cross-year.ts';

/**
 * Re-evaluates a stored record against the previous year's report, from the stored record alone (it holds
 * the tables): the cross-year carry-over findings of the old context are dropped and those of the new one
 * added. Null when nothing changes (or the record is FAILED and has no tables to compare).
 */
export function reevaluateAgainstPreviousYear(
  record: ReportRecord,
  previous: ReportRecord,
): ReportRecord | null {
  if (record.status === 'FAILED' || record.year === null || previous.year !== record.year - 1) return null;
  const cross = isCarryoverFinding;
  const before = record.issues.filter(cross);
  // Compared as stored: the stored findings carry their fingerprints, fresh ones get theirs here.
  const after = fingerprinted(carryoverIssues(record, previous));
  if (JSON.stringify(before) === JSON.stringify(after)) return null;
  const kept = record.issues.filter((i) => !cross(i));
  const reset: ReportRecord = {
    ...record,
    issues: [],
    summary: { errors: 0, warnings: 0 },
    status: 'VALID',
  };
  return withIssues(reset, [...kept, ...after]);
}

const RANK: Record<ReportRecord['status'], number> = { VALID: 0, INVALID: 1, FAILED: 2 };

/** Whether a status change is one the agency must hear about. */
export const gotWorse = (before: ReportRecord['status'], after: ReportRecord['status']): boolean =>
  RANK[after] > RANK[before];
