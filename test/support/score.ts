import type { Issue, ReportRecord } from '../../functions/report/index.ts';
import { APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_COLUMNS, type Truth } from './fixtures.ts';

/**
 * A record held to its truth file, the way the issue's hidden sets are scored: every number of the three
 * tables read exactly, left open (null where the truth has a number) or misread; the expected issues
 * found at their places; and errors the truth does not allow (on a report whose `expectedIssues` is
 * empty, any error at all).
 */
export interface Score {
  exact: number;
  open: string[];
  wrong: string[];
  /** Expected issues not found at their place. */
  missed: string[];
  /** Errors the truth does not allow. */
  unexpected: string[];
}

type Expected = Truth['expectedIssues'][number];

export function matchesExpected(issue: Issue, expected: Expected): boolean {
  return (
    issue.code === expected.code &&
    (expected.section === undefined || issue.section === expected.section) &&
    (expected.row === undefined || issue.row === expected.row) &&
    (expected.column === undefined || issue.column === expected.column) &&
    (expected.group === undefined || issue.group === expected.group) &&
    (expected.table === undefined || issue.table === expected.table)
  );
}

/** Every number of the truth's tables, by place: `requests.granted.total`, `proactive.licensing`, … */
export function truthNumbers(truth: Truth): Map<string, number> {
  const out = new Map<string, number>();
  for (const [row, cells] of Object.entries(truth.requests)) {
    for (const c of REQUEST_COLUMNS) {
      const v = cells?.[c];
      if (typeof v === 'number') out.set(`requests.${row}.${c}`, v);
    }
  }
  for (const g of APPEAL_GROUPS) {
    for (const c of APPEAL_COLUMNS) {
      const v = truth.appeals[g]?.[c];
      if (typeof v === 'number') out.set(`appeals.${g}.${c}`, v);
    }
  }
  for (const field of ['proactive', 'proactive2019'] as const) {
    for (const [row, value] of Object.entries(truth[field] ?? {})) {
      if (typeof value === 'number') out.set(`${field}.${row}`, value);
      else if (value !== null) {
        for (const [c, v] of Object.entries(value))
          if (typeof v === 'number') out.set(`${field}.${row}.${c}`, v);
      }
    }
  }
  return out;
}

function recordValue(record: ReportRecord, place: string): unknown {
  let at: unknown = record;
  for (const key of place.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export function scoreRecord(record: ReportRecord, truth: Truth): Score {
  const s: Score = { exact: 0, open: [], wrong: [], missed: [], unexpected: [] };
  for (const [place, want] of truthNumbers(truth)) {
    const got = recordValue(record, place);
    if (got === want) s.exact++;
    else if (got === null || got === undefined) s.open.push(place);
    else s.wrong.push(`${place}: ${String(got)} for ${want}`);
  }
  for (const expected of truth.expectedIssues) {
    if (!record.issues.some((i) => matchesExpected(i, expected))) s.missed.push(JSON.stringify(expected));
  }
  const allowed = new Set(truth.expectedIssues.flatMap((e) => [e.code, ...(e.alsoAccepted ?? [])]));
  for (const i of record.issues) {
    if (i.severity === 'error' && !allowed.has(i.code))
      s.unexpected.push(`${i.code} ${i.row ?? i.group ?? ''} ${i.column ?? ''}: ${i.message}`);
  }
  return s;
}

/** The numbers of many scores together. */
export function tally(scores: readonly Score[]): { exact: number; total: number; unexpected: number } {
  let exact = 0;
  let total = 0;
  let unexpected = 0;
  for (const s of scores) {
    exact += s.exact;
    total += s.exact + s.open.length + s.wrong.length;
    unexpected += s.unexpected.length;
  }
  return { exact, total, unexpected };
}
