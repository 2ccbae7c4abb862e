import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Issue, ReportRecord } from '../../functions/report/index.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  REQUEST_COLUMNS,
  REQUEST_ROWS,
  type RequestColumn,
  type RequestRow,
} from '../../functions/report/template.ts';
import { consistentRequests, type ReportSpec } from '../support/report-builder.ts';
import { checkText, codes, sampleSpec, sampleText } from './helpers.ts';

/** Blank cells in bulk: one finding per blank run, every cell's place kept, and a word on blanks as 0. */
const ROWS_2021: RequestRow[] = REQUEST_ROWS.map((r) => r.key);
const ORGANISATIONS: RequestColumn[] = [
  'commercial',
  'research',
  'socialWelfare',
  'legalService',
  'otherOrg',
];
const missing = (r: ReportRecord) => r.issues.filter((i) => i.code === 'CELL_MISSING');

function blank(spec: ReportSpec, rows: readonly RequestRow[], columns: readonly RequestColumn[]): ReportSpec {
  for (const row of rows) for (const column of columns) spec.requests[row][column] = null;
  return spec;
}

/** Every blank cell of the record is in exactly one finding's cells, and every listed cell is blank. */
function expectCellsAccounted(r: ReportRecord, findings: readonly Issue[]): void {
  const listed = findings.flatMap((f) =>
    (f.cells ?? []).map((c) => `${f.table}:${c.row ?? c.group}:${c.column}`),
  );
  expect(new Set(listed).size).toBe(listed.length);
  for (const f of findings) expect(f.count).toBe(f.cells?.length);
  const blanks: string[] = [];
  for (const [row, cells] of Object.entries(r.requests ?? {}))
    for (const [column, v] of Object.entries(cells ?? {}))
      if (v === null) blanks.push(`requests:${row}:${column}`);
  expect(listed.filter((l) => l.startsWith('requests:')).sort()).toEqual(blanks.sort());
}

describe('blank runs in the requests table', () => {
  it('reports the organisation columns left blank as one finding, blank meaning zero', async () => {
    const results = Array.from({ length: 21 }, (_, r) => [r === 0 ? 3 : r === 12 ? 2 : 0, 0, 0, 0, 0, 0]);
    const spec = sampleSpec({
      requests: consistentRequests(results, [1, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]),
    });
    const r = await checkText(sampleText(blank(spec, ROWS_2021, ORGANISATIONS)));
    const found = missing(r);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', section: 3, table: 'requests', count: 125 });
    expect(found[0]?.row).toBeUndefined();
    expect(found[0]?.message).toContain('"商业企业"至"其他"5列均为空（共125个单元格）');
    expect(found[0]?.message).toContain('空白可能表示0');
    expect(r.requests?.granted?.commercial).toBeNull();
    expect(r.requests?.granted?.naturalPerson).toBe(3);
    expectCellsAccounted(r, found);
    // No arithmetic finding rides on the blanks.
    expect(codes(r).filter((c) => c !== 'CELL_MISSING')).toEqual([]);
  });

  it('says so when the arithmetic does not hold with blanks read as 0', async () => {
    const r = await checkText(sampleText(blank(sampleSpec(), ROWS_2021, ['naturalPerson'])));
    const found = missing(r);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ column: 'naturalPerson', count: 25 });
    expect(found[0]?.message).toContain('"自然人"列均为空');
    expect(found[0]?.message).toContain('按0计算时表内勾稽关系也不成立');
    expect(found[0]?.message).not.toContain('空白可能表示0');
  });

  it('reports a whole blank table as one finding of 175 cells', async () => {
    const r = await checkText(sampleText(blank(sampleSpec(), ROWS_2021, REQUEST_COLUMNS)));
    const found = missing(r);
    expect(found.map((f) => [f.table, f.count])).toEqual([['requests', 175]]);
    expect(found[0]?.message).toContain('全部175个单元格均为空');
    expect(codes(r)).not.toContain('ROW_MISSING');
    expect(r.requests?.newReceived).toEqual(Object.fromEntries(REQUEST_COLUMNS.map((c) => [c, null])));
  });

  it('reports a run of blank rows as one finding and a lone blank cell where it is', async () => {
    const spec = blank(
      sampleSpec(),
      ['deniedStateSecret', 'deniedProhibitedByLaw', 'deniedSafetyStability'],
      REQUEST_COLUMNS,
    );
    spec.requests.granted.research = null;
    const r = await checkText(sampleText(spec));
    const found = missing(r);
    expect(found.map((f) => [f.row, f.column, f.count])).toEqual([
      [undefined, undefined, 21],
      ['granted', 'research', 1],
    ]);
    expect(found[0]?.message).toContain(
      '"（三）不予公开 1.属于国家秘密"至"（三）不予公开 3.危及“三安全一稳定”"3行均为空',
    );
    expect(codes(r)).not.toContain('ROW_MISSING');
    expectCellsAccounted(r, found);
  });

  it('groups any blank pattern so that each blank cell is listed exactly once', async () => {
    const cells = ROWS_2021.flatMap((row) => REQUEST_COLUMNS.map((column) => [row, column] as const));
    await fc.assert(
      fc.asyncProperty(fc.subarray(cells, { minLength: 1, maxLength: 60 }), async (chosen) => {
        const spec = sampleSpec();
        for (const [row, column] of chosen) spec.requests[row][column] = null;
        const r = await checkText(sampleText(spec));
        const found = missing(r);
        expectCellsAccounted(r, found);
        expect(found.length).toBeLessThanOrEqual(chosen.length);
        expect(found.reduce((a, f) => a + (f.count ?? 0), 0)).toBe(chosen.length);
      }),
      { numRuns: 40 },
    );
  });
});

describe('blank runs in the appeals table', () => {
  it('reports a blank group as one finding at the group and the whole table as one', async () => {
    const spec = sampleSpec();
    for (const c of APPEAL_COLUMNS) spec.appeals.litigationDirect[c] = null;
    let r = await checkText(sampleText(spec));
    expect(missing(r).map((f) => [f.group, f.column, f.count])).toEqual([['litigationDirect', undefined, 5]]);
    expect(missing(r)[0]?.message).toContain('"行政诉讼（未经复议直接起诉）"各项均为空');
    // The group held 0 0 1 1: blanks as 0 break nothing else, but the group's own total is unknown.
    // Everything blank but one total: the four item columns as one run, the two blank totals as another.
    for (const g of APPEAL_GROUPS) for (const c of APPEAL_COLUMNS) spec.appeals[g][c] = null;
    spec.appeals.litigationAfterReview.total = 0;
    r = await checkText(sampleText(spec));
    expect(missing(r).map((f) => [f.table, f.group, f.column, f.count])).toEqual([
      ['appeals', undefined, undefined, 12],
      ['appeals', undefined, 'total', 2],
    ]);
    expect(missing(r)[0]?.message).toContain('"结果维持"至"尚未审结"4列均为空（共12个单元格）');
    expect(missing(r)[0]?.message).toContain('空白可能表示0');
  });
});

describe('the 2019 template with most cells blank', () => {
  function spec2019(): ReportSpec {
    const results = Array.from({ length: 21 }, (_, r) => [r === 0 ? 2 : 0, 0, 0, 0, 0, 0]);
    return sampleSpec({
      rowSet: '2019',
      requests: consistentRequests(results, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
    });
  }

  it('reads every row with its 总计 column left blank on every outcome row, with no ROW_MISSING', async () => {
    const spec = spec2019();
    const outcome: RequestRow[] = [...ROWS_2021.slice(2, 20), 'otherTotal2019'];
    spec.requests.otherTotal2019 = spec.requests.otherNoCorrection;
    blank(spec, outcome, ['total']);
    const r = await checkText(sampleText(spec));
    expect(r.requests?.granted).toEqual({ ...spec.requests.granted, total: null });
    expect(r.requests?.otherTotal2019?.naturalPerson).toBe(0);
    expect(codes(r)).not.toContain('ROW_MISSING');
    const found = missing(r);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ column: 'total', count: 19 });
    expect(found[0]?.message).toContain('"总计"列自"（一）予以公开"至"（六）其他处理"19行为空');
    // （一）予以公开 holds 2 requests: a blank total there cannot mean 0.
    expect(found[0]?.message).toContain('按0计算时表内勾稽关系也不成立');
  });

  it('reads rows printed with a label and nothing else as blank rows, not missing ones', async () => {
    const spec = spec2019();
    spec.requests.otherTotal2019 = spec.requests.otherNoCorrection;
    const empty: RequestRow[] = ROWS_2021.slice(3, 20).filter((k) => k !== 'otherNoCorrection');
    blank(spec, [...empty, 'otherTotal2019'], REQUEST_COLUMNS);
    const r = await checkText(sampleText(spec));
    expect(codes(r)).not.toContain('ROW_MISSING');
    expect(r.requests?.granted?.naturalPerson).toBe(2);
    expect(r.requests?.deniedStateSecret).toEqual(Object.fromEntries(REQUEST_COLUMNS.map((c) => [c, null])));
    expect(missing(r)).toHaveLength(1);
  });
});
