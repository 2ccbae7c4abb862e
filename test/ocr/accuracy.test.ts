import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Extractor } from '../../functions/extract/index.ts';
import { checkDocument, ReportRecord } from '../../functions/report/index.ts';
import { cellOutcomes, issueOutcome, listScans } from './accuracy.ts';

/**
 * Scanned reports read by OCR against their truth (issue 24): every number of the three tables exact or
 * its cell flagged, no wrong number taken as read, every expected defect found, no error on a sound
 * report. The default suite reads a representative few (a grey scan, a colour scan with a red seal, a
 * defect); OCR_SWEEP=1 reads every scan, shared and our own (bench/ocr.ts prints the same sweep with
 * times). One file at a time: each is seconds of one core.
 */
const DEFAULT = ['scanned/synthetic-001.colour.pdf', 'scanned/seed-000_e40642799460f372.scan.pdf'];
const scans = listScans().filter((s) => process.env.OCR_SWEEP === '1' || DEFAULT.includes(s.name));
const extractor = new Extractor();
afterAll(() => extractor.close());

describe.each(scans.map((s) => [s.name, s] as const))('OCR of %s', (_name, scan) => {
  it('every number exact or flagged, none wrong; defects found; no error the truth does not allow', {
    timeout: 300_000,
  }, async () => {
    const bytes = new Uint8Array(readFileSync(scan.path));
    const record = checkDocument({ file: scan.name, bytes }, await extractor.extract(bytes));
    expect(ReportRecord.parse(record)).toEqual(record);
    expect(record.source.ocr?.pages.length).toBeGreaterThan(0);
    const cells = cellOutcomes(record, scan.truth);
    expect(cells.filter((c) => c.outcome === 'wrong')).toEqual([]);
    expect(cells.filter((c) => c.outcome === 'exact').length / cells.length).toBeGreaterThanOrEqual(0.97);
    const issues = issueOutcome(record, scan.truth);
    expect(issues.found).toBe(issues.expected);
    expect(issues.falseErrors).toEqual([]);
    expect(record.agency).toBe(scan.truth.agency);
    expect(record.year).toBe(scan.truth.year);
  });
});
