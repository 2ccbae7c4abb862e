import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExtractedDocument, extractDocument } from '../../functions/extract/index.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  checkDocument,
  OTHER_SUB_ROWS,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  ReportRecord,
  type RequestRow,
} from '../../functions/report/index.ts';
import {
  consistentAppeals,
  consistentRequests,
  type ReportSpec,
  renderReport,
} from '../support/report-builder.ts';

/** Property tests: the parser on any input, and the validator on generated reports. */
const check = async (text: string) => {
  const bytes = new TextEncoder().encode(text);
  return checkDocument({ file: 'generated.txt', bytes }, await extractDocument(bytes));
};

const count = fc.integer({ min: 0, max: 400 });
const six = fc.array(count, { minLength: 6, maxLength: 6 });
const spec = fc
  .record({
    results: fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 6, maxLength: 6 }), {
      minLength: 21,
      maxLength: 21,
    }),
    carriedFrom: six,
    carriedNext: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 6, maxLength: 6 }),
    appeals: fc.array(fc.array(count, { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
    year: fc.integer({ min: 2021, max: 2026 }),
  })
  .map(
    (r): ReportSpec => ({
      agency: '临江市桥东区人力资源和社会保障局',
      year: r.year,
      requests: consistentRequests(r.results, r.carriedFrom, r.carriedNext),
      appeals: consistentAppeals(r.appeals),
    }),
  );

const TEMPLATE_WORDS = [
  '一、总体情况',
  '三、收到和处理政府信息公开申请情况',
  '四、结转下年度继续办理',
  '（七）总计',
  '行政复议',
  '结果维持',
  '规章',
  '行政许可',
  '801000081',
  '0',
  '/',
  '—',
  '三、',
  '2023年',
  '共收到政府信息公开申请6件',
  '- 3 -',
  '',
];

describe('the parser never throws', () => {
  it('on arbitrary text through the text extractor', async () => {
    const text = fc.array(
      fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom(...TEMPLATE_WORDS)),
      { maxLength: 80 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(text, { maxLength: 40 }), async (lines) => {
        const body = lines.map((cells) => cells.join('\t')).join('\n');
        let doc: ExtractedDocument;
        try {
          doc = await extractDocument(new TextEncoder().encode(body));
        } catch {
          return; // empty or binary-looking input is the extractor's FILE_EMPTY/UNSUPPORTED_TYPE
        }
        const record = checkDocument({ file: 'x.txt', bytes: new Uint8Array() }, doc);
        expect(ReportRecord.safeParse(record).success).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('on arbitrary cells at arbitrary positions', () => {
    const cell = fc.record({
      text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...TEMPLATE_WORDS)),
      x0: fc.double({ min: -50, max: 700, noNaN: true }),
      x1: fc.double({ min: -50, max: 700, noNaN: true }),
    });
    const line = fc.record({ table: fc.boolean(), cells: fc.array(cell, { maxLength: 18 }) });
    const format = fc.constantFrom('pdf', 'docx', 'html', 'text') as fc.Arbitrary<
      ExtractedDocument['format']
    >;
    fc.assert(
      fc.property(format, fc.array(fc.array(line, { maxLength: 40 }), { maxLength: 3 }), (f, pages) => {
        const doc: ExtractedDocument = {
          format: f,
          warnings: [],
          pages: pages.map((lines, i) => ({ number: i + 1, lines })),
        };
        const record = checkDocument({ file: 'x', bytes: new Uint8Array() }, doc);
        expect(ReportRecord.safeParse(record).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('generated reports', () => {
  it('a consistent report passes with every number read back', async () => {
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        const record = await check(renderReport(s));
        expect(record.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(record.status).toBe('VALID');
        for (const row of REQUEST_ROW_KEYS.filter((k) => k !== 'otherTotal2019')) {
          expect(record.requests?.[row]).toEqual(s.requests[row]);
        }
        expect(record.appeals).toEqual(s.appeals);
        expect(record.year).toBe(s.year);
      }),
      { numRuns: 60 },
    );
  });

  const rows = REQUEST_ROW_KEYS.filter((k) => k !== 'otherTotal2019' && !OTHER_SUB_ROWS.includes(k));
  it('changing one requests cell raises the right code at the right row and column', async () => {
    await fc.assert(
      fc.asyncProperty(
        spec,
        fc.constantFrom(...rows),
        fc.constantFrom(...REQUEST_COLUMNS),
        fc.integer({ min: 1, max: 9 }),
        async (s, row: RequestRow, column, delta) => {
          const original = s.requests[row][column] as number;
          s.requests[row][column] = original + delta;
          const record = await check(renderReport(s));
          const at = (code: string, r: string, c: string) =>
            record.issues.some(
              (i) => i.code === code && i.row === r && i.column === c && i.severity === 'error',
            );
          // The row no longer adds up to its total.
          expect(at('REQUESTS_ROW_TOTAL', row, 'total')).toBe(true);
          // And the column rule that involves the changed cell fails in that column.
          if (row === 'newReceived' || row === 'carriedOverFromLastYear' || row === 'carriedOverToNextYear') {
            expect(at('REQUESTS_BALANCE', 'carriedOverToNextYear', column)).toBe(true);
          } else {
            expect(at('REQUESTS_RESULT_TOTAL', 'resultTotal', column)).toBe(true);
          }
          expect(record.status).toBe('INVALID');
        },
      ),
      { numRuns: 80 },
    );
  });

  it('changing one appeals cell raises APPEALS_GROUP_TOTAL for its group only', async () => {
    await fc.assert(
      fc.asyncProperty(
        spec,
        fc.constantFrom(...APPEAL_GROUPS),
        fc.constantFrom(...APPEAL_COLUMNS),
        fc.integer({ min: 1, max: 9 }),
        async (s, group, column, delta) => {
          s.appeals[group][column] = (s.appeals[group][column] as number) + delta;
          const record = await check(renderReport(s));
          const errors = record.issues.filter((i) => i.severity === 'error');
          expect(errors.map((i) => [i.code, i.group])).toEqual([['APPEALS_GROUP_TOTAL', group]]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('blanking one cell raises CELL_MISSING there and no arithmetic error', async () => {
    await fc.assert(
      fc.asyncProperty(
        spec,
        fc.constantFrom(...rows),
        fc.constantFrom(...REQUEST_COLUMNS),
        async (s, row, column) => {
          s.requests[row][column] = null;
          const record = await check(renderReport(s));
          const errors = record.issues.filter((i) => i.severity === 'error');
          expect(errors.map((i) => [i.code, i.row, i.column])).toEqual([['CELL_MISSING', row, column]]);
          expect(record.requests?.[row]?.[column]).toBeNull();
        },
      ),
      { numRuns: 60 },
    );
  });
});
