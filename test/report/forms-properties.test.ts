import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExtractedDocument, extractDocument, type Line } from '../../functions/extract/index.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  checkDocument,
  REQUEST_COLUMN_NAMES,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  type ReportRecord,
} from '../../functions/report/index.ts';
import {
  type StreamStyle,
  type TableKey,
  toCellStream,
  toCrawledPage,
  toParagraphHtml,
  toRowLines,
  withoutTable,
  wrapAtMargin,
} from '../support/forms.ts';
import { type ReportSpec, renderReport } from '../support/report-builder.ts';
import { reportSpec } from '../support/report-draws.ts';

/**
 * The rules of issue 23's classes of form, as properties over generated consistent reports:
 * - any re-laying of a report's cells into a cell stream reads back the same numbers, with no error;
 * - any margin a crawled page is wrapped at reads back the same table as the page unwrapped;
 * - in a PDF, organisation columns left blank never change the other cells, one finding a blank run;
 * - any tables left out of the text are one TABLE_MISSING each, and no row of theirs is reported.
 */
const check = async (text: string, file = 'generated.txt'): Promise<ReportRecord> => {
  const bytes = new TextEncoder().encode(text);
  return checkDocument({ file, bytes }, await extractDocument(bytes));
};
const errors = (r: ReportRecord) => r.issues.filter((i) => i.severity === 'error');
const tables = (r: ReportRecord) => ({ requests: r.requests, appeals: r.appeals, proactive: r.proactive });

const spec = reportSpec;
const ROWS = REQUEST_ROW_KEYS.filter((k) => k !== 'otherTotal2019');

describe('a table printed one cell per line or paragraph', () => {
  it('reads back every number of any report, in any style, headers spaced out or not', async () => {
    const style = fc.constantFrom<StreamStyle | 'html' | 'rows'>(
      'lines',
      'paragraphs',
      'pipes',
      'padded',
      'html',
      'rows',
    );
    await fc.assert(
      fc.asyncProperty(spec, style, fc.boolean(), async (s, st, spacedHeaders) => {
        const text = renderReport(s);
        const laid =
          st === 'html'
            ? toParagraphHtml(text, spacedHeaders ? 'div' : 'p')
            : st === 'rows'
              ? toRowLines(text, ' ')
              : toCellStream(text, { style: st, spacedHeaders });
        const r = await check(laid);
        expect(errors(r)).toEqual([]);
        for (const row of ROWS) expect(r.requests?.[row], row).toEqual(s.requests[row]);
        expect(r.appeals).toEqual(s.appeals);
      }),
      { numRuns: 40 },
    );
  });
});

describe('a crawled page wrapped at a margin', () => {
  it('reads the same table at any margin as unwrapped, and never a number the report does not print', async () => {
    await fc.assert(
      fc.asyncProperty(spec, fc.integer({ min: 30, max: 160 }), async (s, width) => {
        const text = renderReport(s);
        const crawled = toCrawledPage(text, text.split('\n')[0] ?? '', () => false);
        const flat = await check(crawled);
        const wrapped = await check(wrapAtMargin(crawled, width));
        expect(tables(wrapped)).toEqual(tables(flat));
        expect(wrapped.issues.map((i) => i.code)).toEqual(flat.issues.map((i) => i.code));
        for (const row of ROWS) {
          for (const c of REQUEST_COLUMNS) {
            const got = wrapped.requests?.[row]?.[c];
            if (got !== null && got !== undefined) expect(got, `${row}.${c}`).toBe(s.requests[row][c]);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});

/** Column centres of table 三 in the generated PDF (points), label column on the left. */
const CENTRE = REQUEST_COLUMNS.map((_, k) => 330 + 38 * k);
const cell = (text: string, centre: number, width = 5 * text.length) => ({
  text,
  x0: centre - width / 2,
  x1: centre + width / 2,
});

/**
 * A generated report as a PDF's extraction gives it: table 三's rows with their numbers at the columns'
 * centres and the header words over them (two header lines, as printed), blank cells leaving no text;
 * every other line as one cell.
 */
function positioned(s: ReportSpec, blank: ReadonlySet<number>): ExtractedDocument {
  const lines: Line[] = [];
  let inRequests = false;
  for (const raw of renderReport(s).split('\n')) {
    if (/^三、收到和处理/.test(raw)) inRequests = true;
    if (/^四、政府信息公开行政复议/.test(raw)) inRequests = false;
    const cells = raw.split('\t');
    if (inRequests && cells.length >= 8) {
      const values = cells.slice(-7);
      const label = cells.slice(0, -7).join('').trim();
      lines.push({
        table: true,
        cells: [
          { text: label, x0: 40, x1: 40 + 8 * label.length },
          ...values.flatMap((v, k) =>
            blank.has(k) || v === '' ? [] : [cell(v, CENTRE[k] ?? 0, 5 * v.length)],
          ),
        ],
      });
      continue;
    }
    if (inRequests && cells.some((c) => c.trim() === '自然人')) {
      lines.push({
        table: false,
        cells: [
          cell(REQUEST_COLUMN_NAMES.naturalPerson, CENTRE[0] ?? 0, 27),
          cell('法人或其他组织', 443, 63),
          cell('总计', CENTRE[6] ?? 0, 18),
        ],
      });
      continue;
    }
    if (inRequests && cells.some((c) => c.trim() === '商业企业')) {
      lines.push({
        table: false,
        cells: REQUEST_COLUMNS.slice(1, 6).map((c, k) =>
          cell(REQUEST_COLUMN_NAMES[c], CENTRE[k + 1] ?? 0, 30),
        ),
      });
      continue;
    }
    const values = cells.filter((c) => c.trim() !== '');
    if (values.length === 15 && values.every((v) => /^\d+$/.test(v))) {
      lines.push({ table: true, cells: values.map((v, k) => cell(v, 60 + 32 * k)) });
      continue;
    }
    const text = cells.join(' ').trim();
    if (text !== '')
      lines.push({
        table: cells.length > 1,
        cells: cells.map((c, k) => cell(c.trim(), 60 + 120 * k, 8 * c.length)),
      });
  }
  return { format: 'pdf', pages: [{ number: 1, lines }], warnings: [] };
}

describe('organisation columns left blank in a PDF', () => {
  it('never change the other cells: each is read in its column, the blank ones one CELL_MISSING a run', () => {
    const blanks = fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(spec, blanks, (s, columns) => {
        const blank = new Set(columns);
        const r = checkDocument({ file: 'generated.pdf', bytes: new Uint8Array() }, positioned(s, blank));
        for (const row of ROWS) {
          REQUEST_COLUMNS.forEach((c, k) => {
            expect(r.requests?.[row]?.[c], `${row}.${c}`).toBe(blank.has(k) ? null : s.requests[row][c]);
          });
        }
        expect(r.issues.filter((i) => i.code === 'TABLE_UNREADABLE')).toEqual([]);
        // One finding per run of adjacent blank columns.
        const runs = [...blank].sort((a, b) => a - b).filter((c, k, all) => all[k - 1] !== c - 1).length;
        expect(errors(r).map((i) => i.code)).toEqual(new Array(runs).fill('CELL_MISSING'));
        expect(r.appeals).toEqual(s.appeals);
      }),
      { numRuns: 40 },
    );
  });
});

describe('tables absent from the text (published as images)', () => {
  it('are one TABLE_MISSING each, with no finding per row, and the other tables read as before', async () => {
    const subset = fc.subarray<TableKey>(['proactive', 'requests', 'appeals'], { minLength: 1 });
    await fc.assert(
      fc.asyncProperty(spec, subset, async (s, gone) => {
        let text = renderReport(s);
        for (const t of gone) text = withoutTable(text, t, ['（表格见附图）']);
        const r = await check(text);
        const sections = { proactive: 2, requests: 3, appeals: 4 } as const;
        expect(r.issues.filter((i) => i.code === 'TABLE_MISSING').map((i) => [i.section, i.table])).toEqual(
          gone.map((t) => [sections[t], t]),
        );
        expect(errors(r).filter((i) => i.code !== 'TABLE_MISSING')).toEqual([]);
        if (!gone.includes('requests'))
          for (const row of ROWS) expect(r.requests?.[row]).toEqual(s.requests[row]);
        if (!gone.includes('appeals')) expect(r.appeals).toEqual(s.appeals);
        else
          for (const g of APPEAL_GROUPS) for (const c of APPEAL_COLUMNS) expect(r.appeals?.[g][c]).toBeNull();
      }),
      { numRuns: 30 },
    );
  });
});
