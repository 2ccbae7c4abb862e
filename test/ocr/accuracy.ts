import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ReportRecord } from '../../functions/report/index.ts';
import { FIXTURES_DIR, type Truth } from '../support/fixtures.ts';

/**
 * Per-cell accuracy of a scanned report's record against its truth (issue 24): each number of the three
 * tables is exact, or flagged (a cell the record lists as doubtful in `source.ocr.doubtful`), or wrong —
 * read as something else and taken as read. Wrong must be zero. Shared by test/ocr and bench/ocr.ts.
 */
export interface Scan {
  name: string;
  path: string;
  truth: Truth;
}

const OWN = path.join(import.meta.dirname, '..', 'fixtures', 'scanned');

/** The shared scans (FIXTURES_DIR/scanned, copied into test/fixtures/scanned) and our own (own/). */
export function listScans(): Scan[] {
  const dirs = [path.join(FIXTURES_DIR, 'scanned'), path.join(OWN, 'own')];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.pdf'))
      .sort()
      .map((f) => ({
        name: path.relative(path.join(dir, '..'), path.join(dir, f)),
        path: path.join(dir, f),
        truth: JSON.parse(readFileSync(path.join(dir, f.replace(/\.pdf$/, '.truth.json')), 'utf8')) as Truth,
      })),
  );
}

export interface CellOutcome {
  key: string;
  truth: number | null;
  read: number | null | undefined;
  outcome: 'exact' | 'flagged' | 'wrong';
}

type Place = { table: string; row?: string; group?: string; column?: string };

function doubtKey(d: Place): string {
  return [d.table, d.row ?? d.group ?? '', d.column ?? ''].join('.');
}

export function cellOutcomes(record: ReportRecord, truth: Truth): CellOutcome[] {
  const doubtful = new Set((record.source.ocr?.doubtful ?? []).map(doubtKey));
  const out: CellOutcome[] = [];
  const walk = (table: string, read: unknown, want: unknown, row?: string): void => {
    if (want === null || typeof want !== 'object') {
      const r = read as number | null | undefined;
      const key = [table, row ?? '', ''].join('.');
      out.push(outcome(key, want as number | null, r, doubtful));
      return;
    }
    for (const [k, v] of Object.entries(want)) {
      if (v !== null && typeof v === 'object') walk(table, (read as Record<string, unknown>)?.[k], v, k);
      else if (row === undefined)
        out.push(
          outcome(
            [table, k, ''].join('.'),
            v as number | null,
            (read as Record<string, number>)?.[k],
            doubtful,
          ),
        );
      else
        out.push(
          outcome(
            [table, row, k].join('.'),
            v as number | null,
            (read as Record<string, number>)?.[k],
            doubtful,
          ),
        );
    }
  };
  walk('proactive', record.proactive ?? record.proactive2019, truth.proactive);
  walk('requests', record.requests, truth.requests);
  walk('appeals', record.appeals, truth.appeals);
  return out;
}

function outcome(
  key: string,
  want: number | null,
  read: number | null | undefined,
  doubtful: Set<string>,
): CellOutcome {
  if (read === want) return { key, truth: want, read, outcome: 'exact' };
  return { key, truth: want, read, outcome: doubtful.has(key) ? 'flagged' : 'wrong' };
}

export interface IssueOutcome {
  /** Expected issues found at their place. */
  found: number;
  expected: number;
  /** Errors the truth does not allow. */
  falseErrors: string[];
}

export function issueOutcome(record: ReportRecord, truth: Truth): IssueOutcome {
  const allowed = new Set(truth.expectedIssues.flatMap((e) => [e.code, ...(e.alsoAccepted ?? [])]));
  const found = truth.expectedIssues.filter((e) =>
    record.issues.some(
      (i) =>
        i.code === e.code &&
        (e.section === undefined || i.section === e.section) &&
        (e.row === undefined || i.row === e.row) &&
        (e.column === undefined || i.column === e.column) &&
        (e.group === undefined || i.group === e.group),
    ),
  ).length;
  const falseErrors = record.issues
    .filter((i) => i.severity === 'error' && !allowed.has(i.code))
    .map((i) => `${i.code} ${i.row ?? i.group ?? ''} ${i.column ?? ''}`.trim());
  return { found, expected: truth.expectedIssues.length, falseErrors };
}
