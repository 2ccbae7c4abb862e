import type { Issue, IssueCode, Severity } from './record.ts';

/** What the list of a record's findings adds up to; every consumer counts and orders them through here. */

/** Errors and warnings; `info` findings are neither (they never make a report INVALID). */
export function summaryOf(issues: readonly Issue[]): { errors: number; warnings: number } {
  const count = (severity: Severity) => issues.filter((i) => i.severity === severity).length;
  return { errors: count('error'), warnings: count('warning') };
}

/** The distinct codes of a record's findings, in the order they first occur. */
export function distinctCodes(issues: readonly Issue[]): IssueCode[] {
  return [...new Set(issues.map((i) => i.code))];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then warnings, then information; document order within each. */
export function errorsFirst(issues: readonly Issue[]): Issue[] {
  return [...issues].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}
