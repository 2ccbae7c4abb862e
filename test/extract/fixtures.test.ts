import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Extractor, type Line } from '../../functions/extract/index.ts';
import { isNumericCell } from '../../functions/extract/pdf/layout.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  CHECKED_ELSEWHERE,
  type Counts,
  listFixtures,
  REQUEST_COLUMNS,
  type Truth,
} from '../support/fixtures.ts';

/**
 * Over every fixture in every format: each table row of the truth file comes out with its numbers in
 * order in one line of the extraction (blank cells are simply absent from the sequence).
 */
const extractor = new Extractor();
afterAll(() => extractor.close());

const numbersOf = (line: Line): number[] =>
  line.cells
    .map((c) => c.text.trim())
    .filter((t) => t !== '' && isNumericCell(t) && /\d/.test(t))
    .map((t) => Number(t.replace(/[,，]/g, '')));

function containsRun(haystack: number[], needle: number[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

interface Expectation {
  row: string;
  numbers: number[];
  /** For one-number rows, a label the same line must carry (a lone number proves nothing). */
  label?: string;
}

const present = (values: Array<number | null | undefined>): number[] =>
  values.filter((v): v is number => typeof v === 'number');

function expectations(truth: Truth): Expectation[] {
  const out: Expectation[] = [];
  const proactive = truth.proactive ?? {};
  for (const key of ['regulations', 'normativeDocuments']) {
    const row = proactive[key] as Counts | null | undefined;
    if (row) out.push({ row: `proactive.${key}`, numbers: present([row.issued, row.repealed, row.inForce]) });
  }
  const singles: Record<string, string> = {
    licensing: '行政许可',
    penalties: '行政处罚',
    coercion: '行政强制',
    feesTenThousandYuan: '行政事业性收费',
  };
  for (const [key, label] of Object.entries(singles)) {
    const value = proactive[key];
    if (typeof value === 'number') out.push({ row: `proactive.${key}`, numbers: [value], label });
  }
  for (const [key, row] of Object.entries(truth.requests)) {
    if (!row) continue;
    const numbers = present(REQUEST_COLUMNS.map((c) => row[c]));
    if (numbers.length > 0) out.push({ row: `requests.${key}`, numbers });
  }
  const appeals = present(APPEAL_GROUPS.flatMap((g) => APPEAL_COLUMNS.map((c) => truth.appeals[g]?.[c])));
  out.push({ row: 'appeals', numbers: appeals });
  return out;
}

describe('extraction keeps every table row of every fixture in one line', () => {
  // real/pingtan-2021.txt is a crawled page whose table cells run together with no separator at all
  // (`21710000218`): no extraction can keep its cells apart; the report stage solves them (issue 11 item 5).
  // Forms whose rows the report stage rebuilds (a cell a line, crawled pages: forms.test.ts) have none either.
  const fixtures = listFixtures({ forms: true }).filter(
    (f) => f.file !== 'real/pingtan-2021.txt' && f.truth.rowsRebuilt !== true,
  );
  it('has the fixtures in the repo', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(29 * 4);
  });

  // A crawled page has no cells to keep: its rows are cut and split by the parser (crawled.test.ts).
  it.each(fixtures.filter((f) => !CHECKED_ELSEWHERE.has(f.file)).map((f) => [f.file, f] as const))(
    '%s',
    async (_file, fixture) => {
      const doc = await extractor.extract(readFileSync(fixture.path));
      const lines = doc.pages.flatMap((p) => p.lines);
      const missing = expectations(fixture.truth).filter(
        ({ numbers, label }) =>
          !lines.some((line) => {
            const cellTexts = line.cells.map((c) => c.text.replace(/\s/g, ''));
            // A text file printed to PDF can render the tab between a label and its one number with zero
            // width ("行政事业性收费0"): the number is still on its row's line, glued to the label.
            if (label !== undefined && cellTexts.some((t) => t.endsWith(`${label}${numbers[0]}`)))
              return true;
            if (!containsRun(numbersOf(line), numbers)) return false;
            return label === undefined || cellTexts.some((t) => t.includes(label));
          }),
      );
      expect(missing).toEqual([]);
    },
  );
});
