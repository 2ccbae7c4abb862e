/**
 * Parsing, validation and the cross-year checks per report, on documents extracted beforehand: what the
 * parse Lambda spends on a report beyond I/O. Every fixture in every format (seeds, synthetic, real,
 * Chromium printouts); each report is checked against the one before it in the list as "last year", so the
 * cross-year rules (carry-over, stock and flow, repeated content, unusual change) all run on real pairs.
 * Imported by run.ts; returns per-report times so run.ts can set them against raw pdf.js.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type ExtractedDocument, extractDocument } from '../functions/extract/index.ts';
import { crossYearIssues } from '../functions/pipeline/cross-year.ts';
import { checkDocument, type ReportRecord, withIssues } from '../functions/report/index.ts';

const REPORT = /\.(pdf|docx|html|txt)$/;

export interface ParseFigures {
  reports: number;
  /** Milliseconds per report: median and slowest over the reports, each the median of its rounds. */
  checkMedianMs: number;
  checkMaxMs: number;
  crossYearMedianMs: number;
  crossYearMaxMs: number;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timed(rounds: number, run: () => void): number {
  run(); // warm: the first call compiles the code paths
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return medianOf(times);
}

export async function measureParsing(rounds: number): Promise<ParseFigures> {
  const root = path.join(import.meta.dirname, '..', 'test', 'fixtures');
  const docs: { file: string; bytes: Uint8Array; doc: ExtractedDocument }[] = [];
  for (const group of ['seeds', 'synthetic', 'real', 'chromium']) {
    for (const name of readdirSync(path.join(root, group))
      .filter((f) => REPORT.test(f))
      .sort()) {
      const bytes = readFileSync(path.join(root, group, name));
      docs.push({ file: `${group}/${name}`, bytes, doc: await extractDocument(bytes) });
    }
  }
  const checkTimes: number[] = [];
  const crossTimes: number[] = [];
  let previous: ReportRecord | null = null;
  for (const { file, bytes, doc } of docs) {
    let record: ReportRecord = checkDocument({ file, bytes }, doc);
    checkTimes.push(timed(rounds, () => void checkDocument({ file, bytes }, doc)));
    const last = previous;
    crossTimes.push(timed(rounds, () => void withIssues(record, crossYearIssues(record, last))));
    record = withIssues(record, crossYearIssues(record, last));
    previous = record;
  }
  return {
    reports: docs.length,
    checkMedianMs: medianOf(checkTimes),
    checkMaxMs: Math.max(...checkTimes),
    crossYearMedianMs: medianOf(crossTimes),
    crossYearMaxMs: Math.max(...crossTimes),
  };
}
