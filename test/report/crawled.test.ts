import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../functions/extract/index.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  checkDocument,
  REQUEST_COLUMNS,
  type ReportRecord,
} from '../../functions/report/index.ts';
import { fixturePath, listFixtures, type Truth } from '../support/fixtures.ts';
import { toCrawledPage, wrapAtMargin } from '../support/forms.ts';

/**
 * Web pages saved as text by a crawler: a header block, the page's navigation, then the report on one
 * long line with every table's cells run together. The real page (pingtan-2021) and crawler-style copies
 * of the seeds and synthetic reports (their tab-separated text with the tabs and line breaks removed).
 *
 * The headings sit inside the paragraph (`…23165370。一、总体情况2021年，…`): they are found there and put on
 * lines of their own (issue 23 item 4), so each section's text, the narrative counts and the fee
 * statement are read as on any other report. test/fixtures/forms/ holds more such pages (crawled, crawled-wrapped, crawled-pdf).
 */
async function check(text: string, file = 'crawled.txt'): Promise<ReportRecord> {
  const bytes = new TextEncoder().encode(text);
  return checkDocument({ file, bytes }, await extractDocument(bytes));
}

interface Score {
  exact: number;
  open: number;
  wrong: string[];
}

/** Every requests and appeals number of the truth: read exactly, left open (null), or misread. */
function score(record: ReportRecord, truth: Truth): Score {
  const s: Score = { exact: 0, open: 0, wrong: [] };
  const tally = (where: string, want: number | null | undefined, got: number | null | undefined) => {
    if (want === null || want === undefined) return;
    if (got === want) s.exact++;
    else if (got === null || got === undefined) s.open++;
    else s.wrong.push(`${where}: ${got} for ${want}`);
  };
  for (const [row, cells] of Object.entries(truth.requests)) {
    for (const c of REQUEST_COLUMNS)
      tally(`requests.${row}.${c}`, cells?.[c], record.requests?.[row as never]?.[c]);
  }
  for (const g of APPEAL_GROUPS)
    for (const c of APPEAL_COLUMNS) tally(`appeals.${g}.${c}`, truth.appeals[g]?.[c], record.appeals?.[g][c]);
  return s;
}

describe('pingtan-2021: a real crawled page', () => {
  const file = fixturePath('real', 'pingtan-2021.txt');
  const truth = JSON.parse(readFileSync(fixturePath('real', 'pingtan-2021.truth.json'), 'utf8')) as Truth;

  it('reads every number of the requests and appeals tables, and says once per table that it recovered them', async () => {
    const record = await check(readFileSync(file, 'utf8'), 'pingtan-2021.txt');
    const s = score(record, truth);
    expect(s.wrong).toEqual([]);
    expect(s.exact).toBe(175 + 15);
    const recovered = record.issues.filter((i) => i.code === 'ROW_RECOVERED');
    expect(recovered.map((i) => [i.section, i.row, i.severity])).toEqual([
      [3, undefined, 'warning'],
      [4, undefined, 'warning'],
    ]);
    const arithmetic = record.issues.filter((i) => /^REQUESTS_|^APPEALS_/.test(i.code));
    expect(arithmetic).toEqual([]);
  });

  it('finds the six headings inside the paragraph, names the agency and raises no error', async () => {
    const record = await check(readFileSync(file, 'utf8'), 'pingtan-2021.txt');
    expect(record.sections.filter((s) => s.found).map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(record.agency).toBe(truth.agency);
    expect(record.year).toBe(truth.year);
    expect(record.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // The fee statement and section 五 are read from their own lines, not from the one long line.
    expect(record.issues.map((i) => i.code)).not.toContain('SECTION_EMPTY');
    expect(record.issues.map((i) => i.code)).not.toContain('FEE_STATEMENT_MISSING');
  });

  it('reads the proactive rows the digits allow and leaves 69|3|665 open rather than guess', async () => {
    const record = await check(readFileSync(file, 'utf8'), 'pingtan-2021.txt');
    expect(record.proactive).toEqual({
      ...truth.proactive,
      normativeDocuments: { issued: null, repealed: null, inForce: null },
    });
    expect(
      record.issues.filter((i) => i.code === 'TABLE_UNREADABLE').map((i) => [i.row, i.severity]),
    ).toEqual([['normativeDocuments', 'warning']]);
    // No arithmetic runs through table 二: its open cells ask for a check and leave the report VALID.
    expect(record.status).toBe('VALID');
  });
});

const TABLE_DEFECTS = /^(REQUESTS_|APPEALS_|CELL_MISSING|CELL_INVALID)/;
const variants = listFixtures().filter((f) => f.file.endsWith('.txt') && !f.file.startsWith('real/'));

describe('crawler-style copies of the seeds and synthetic reports', () => {
  const clean = variants.filter((f) => !f.truth.expectedIssues.some((e) => TABLE_DEFECTS.test(e.code)));

  it.each([
    ['no separator at all', () => false],
    ['spaces kept on every third line', (i: number) => i % 3 === 0],
  ] as const)('a consistent table is read exactly or left open, never misread (%s)', async (_name, keep) => {
    let exact = 0;
    let open = 0;
    for (const f of clean) {
      const text = readFileSync(f.path, 'utf8');
      const record = await check(toCrawledPage(text, f.truth.agency, keep));
      const s = score(record, f.truth);
      expect(s.wrong, f.file).toEqual([]);
      exact += s.exact;
      open += s.open;
    }
    // Measured: every number of every clean fixture comes back (see the report of issue 11 item 5).
    expect(exact / (exact + open)).toBeGreaterThanOrEqual(0.99);
  });

  it('a table with a real defect still reads, and the defect is reported, not hidden by a convenient split', async () => {
    for (const f of variants.filter((x) =>
      x.truth.expectedIssues.some((e) => /^(REQUESTS_|APPEALS_)/.test(e.code)),
    )) {
      const record = await check(toCrawledPage(readFileSync(f.path, 'utf8'), f.truth.agency, () => false));
      const codes = record.issues.map((i) => i.code);
      const expected = f.truth.expectedIssues.filter((e) => /^(REQUESTS_|APPEALS_)/.test(e.code));
      for (const e of expected) {
        expect(
          codes.includes(e.code as never) || codes.includes('TABLE_UNREADABLE'),
          `${f.file} ${e.code} in ${codes.join(' ')}`,
        ).toBe(true);
      }
    }
  });
});

describe('a crawled page wrapped right after a heading number', () => {
  it('joins the number and the heading again (`…四、` / `政府信息公开行政复议、行政诉讼情况`)', async () => {
    const f = variants[0];
    if (f === undefined) throw new Error('no variant');
    const page = toCrawledPage(readFileSync(f.path, 'utf8'), f.truth.agency, () => false);
    // The heading's 17 characters fill a 35-column line on their own when the margin falls right after its
    // number: spaces before the number move it there.
    const heading = '政府信息公开行政复议、行政诉讼情况';
    for (let spaces = 0; spaces < 36; spaces++) {
      const crawled = page.replace(`四、${heading}`, `${' '.repeat(spaces)}四、${heading}`);
      const wrapped = wrapAtMargin(crawled, 35);
      if (!wrapped.includes(`四、\n${heading}\n`)) continue;
      const flat = await check(crawled);
      expect(flat.sections.filter((s) => s.found).map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
      const record = await check(wrapped);
      expect(record.sections.filter((s) => s.found).map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(record.issues.map((i) => i.code)).toEqual(flat.issues.map((i) => i.code));
      return;
    }
    throw new Error('no number of spaces puts 四、 at the margin');
  });
});
