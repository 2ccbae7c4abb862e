import { beforeAll, describe, expect, it } from 'vitest';
import { carryoverIssues } from '../../functions/pipeline/cross-year.ts';
import { reevaluateAgainstPreviousYear } from '../../functions/pipeline/reevaluate.ts';
import type { ReportRecord } from '../../functions/report/index.ts';
import type { OcrDoubt } from '../../functions/report/record.ts';
import { checkText, sampleText } from '../report/helpers.ts';
import { consistentRequests } from '../support/report-builder.ts';

/**
 * CARRYOVER_MISMATCH consults the OCR's doubt like the in-report rules (issue 24): a mismatch between this
 * year's 二、上年结转 and last year's 四、结转下年度继续办理 that rests on a cell read with low confidence on
 * either report is an OCR_UNCERTAIN warning naming the cell and its page, never the agency's error; between
 * two confident readings it stays the error. Re-evaluation replaces the warning as it replaces the error.
 */
const RESULTS = Array.from({ length: 21 }, (_, r) => [r === 0 ? 4 : 0, 0, 0, 0, 0, 0]);
let previous: ReportRecord;
let current: ReportRecord;
let fixedPrevious: ReportRecord;
beforeAll(async () => {
  // Last year carried 1 over (自然人); this year says 3 came over.
  previous = await checkText(
    sampleText({ year: 2023, requests: consistentRequests(RESULTS, [0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]) }),
  );
  fixedPrevious = await checkText(
    sampleText({ year: 2023, requests: consistentRequests(RESULTS, [0, 0, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0]) }),
  );
  current = await checkText(
    sampleText({ year: 2024, requests: consistentRequests(RESULTS, [3, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]) }),
  );
});

/** The record as a scan's would be, with these cells listed as read with low confidence. */
function scanned(record: ReportRecord, doubtful: Array<Partial<OcrDoubt>>): ReportRecord {
  return {
    ...record,
    source: {
      ...record.source,
      ocr: {
        engine: 'onnxruntime-node',
        model: 'test',
        pages: [1, 2, 3],
        meanConfidence: 0.97,
        doubtful: doubtful.map((d) => ({
          table: 'requests',
          page: 2,
          box: [100, 200, 120, 210],
          text: '3',
          confidence: 0.55,
          ...d,
        })),
      },
    },
  };
}

const carryover = (issues: ReportRecord['issues']) =>
  issues.filter((i) => i.row === 'carriedOverFromLastYear' && i.column === 'naturalPerson');

describe('CARRYOVER_MISMATCH on scanned reports', () => {
  it('two confident readings (or doubt elsewhere) keep the error', () => {
    for (const [now, before] of [
      [current, previous],
      [scanned(current, [{ row: 'newReceived', column: 'naturalPerson' }]), scanned(previous, [])],
    ] as const) {
      expect(carryover(carryoverIssues(now, before))).toEqual([
        expect.objectContaining({ code: 'CARRYOVER_MISMATCH', severity: 'error', expected: 1, actual: 3 }),
      ]);
    }
  });

  it("this year's 上年结转 read with low confidence: OCR_UNCERTAIN naming the cell and page", () => {
    const now = scanned(current, [{ row: 'carriedOverFromLastYear', column: 'naturalPerson', page: 2 }]);
    const found = carryover(carryoverIssues(now, previous));
    expect(found).toEqual([
      expect.objectContaining({
        code: 'OCR_UNCERTAIN',
        severity: 'warning',
        section: 3,
        table: 'requests',
        cells: [{ row: 'carriedOverFromLastYear', column: 'naturalPerson', page: 2 }],
      }),
    ]);
    expect(found[0]?.message).toContain('本报告第2页');
    expect(found[0]?.message).toContain('读作"3"');
  });

  it("last year's 结转下年度 read with low confidence: OCR_UNCERTAIN naming last year's page", () => {
    const before = scanned(previous, [
      { row: 'carriedOverToNextYear', column: 'naturalPerson', page: 3, text: '1', confidence: 0.4 },
    ]);
    const found = carryover(carryoverIssues(current, before));
    expect(found.map((i) => [i.code, i.severity])).toEqual([['OCR_UNCERTAIN', 'warning']]);
    expect(found[0]?.message).toContain('2023年度报告第3页');
    expect(found[0]?.cells).toEqual([{ row: 'carriedOverFromLastYear', column: 'naturalPerson' }]);
  });

  it('re-evaluation replaces the OCR_UNCERTAIN of the old context, and keeps the record VALID', () => {
    // The 总计 column differs too (3 against 1): doubtful as well, else it would be the error it is.
    const now = scanned(current, [
      { row: 'carriedOverFromLastYear', column: 'naturalPerson' },
      { row: 'carriedOverFromLastYear', column: 'total' },
    ]);
    const doubted = reevaluateAgainstPreviousYear(now, previous);
    expect(doubted?.status).toBe('VALID');
    expect(carryover(doubted?.issues ?? []).map((i) => i.code)).toEqual(['OCR_UNCERTAIN']);
    expect(doubted?.issues.filter((i) => i.code === 'OCR_UNCERTAIN')).toHaveLength(2);
    const fixed = reevaluateAgainstPreviousYear(doubted as ReportRecord, fixedPrevious);
    expect(carryover(fixed?.issues ?? [])).toEqual([]);
    expect(fixed?.issues).toEqual(now.issues);
  });
});
