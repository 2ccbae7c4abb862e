import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractDocument } from '../../functions/extract/index.ts';
import { checkDocument, type Issue } from '../../functions/report/index.ts';
import { CHROMIUM, launchChromium, pageTestsCanRun } from '../support/chromium.ts';
import { listFixtures, type Truth } from '../support/fixtures.ts';
import { toCrawledPage } from '../support/forms.ts';
import { type PrintSetup, printSetup, printText } from '../support/printed-pdf.ts';
import { renderReport } from '../support/report-builder.ts';
import { type ReportDraws, reportDraws, specOf, truthOfSpec } from '../support/report-draws.ts';
import { scoreRecord } from '../support/score.ts';
import EXAMPLES from './crawled-pdf-examples.json' with { type: 'json' };

/**
 * Issue 23's class "crawled text hard-wrapped and printed to PDF", as a property: a crawled page (the
 * report on one line, cells run together) of a generated report or of a clean seed or synthetic report,
 * hard-wrapped at any count of columns or not at all, printed by Chromium as a <pre> page on any paper, in
 * any font and type size, breaking inside words or not. The precision rule of the developers' guide:
 * - no number is ever misread: every number read is the one printed;
 * - printing loses nothing: every number the crawled page gives as text, its printout gives too;
 * - no error on these clean reports: cells run together that more than one split fits stay open as
 *   TABLE_UNREADABLE (a warning, our reading's limit), and each such finding names a row, group or cell
 *   that is open, and every open cell is named by one.
 *
 * Printing is slow (about a second a page set), so the runs are few and the seed fixed; the examples are
 * counterexamples the property found, replayed first (crawled-pdf-examples.json says what each broke).
 */
const available = pageTestsCanRun('the crawled-text-printed-to-PDF property');
let browser: Browser | undefined;
let page: Page;
beforeAll(async () => {
  if (!available) return;
  browser = await launchChromium();
  page = await browser.newPage();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

type Source = { draws: ReportDraws } | { fixture: string };
interface Case {
  source: Source;
  setup: PrintSetup;
}

// Clean seeds and synthetic reports (no issue expected) as their tab-separated text.
const CLEAN = listFixtures().filter(
  (f) =>
    /^(?:seeds|synthetic)\//.test(f.name) && f.file.endsWith('.txt') && f.truth.expectedIssues.length === 0,
);
const source: fc.Arbitrary<Source> = fc.oneof(
  { weight: 3, arbitrary: reportDraws.map((draws) => ({ draws })) },
  { weight: 1, arbitrary: fc.constantFrom(...CLEAN.map((f) => f.name)).map((fixture) => ({ fixture })) },
);

function reportOf(s: Source): { text: string; truth: Truth } {
  if ('draws' in s) {
    const spec = specOf(s.draws);
    return { text: renderReport(spec), truth: truthOfSpec(spec) };
  }
  const f = CLEAN.find((x) => x.name === s.fixture);
  if (f === undefined) throw new Error(`no clean fixture ${s.fixture}`);
  return { text: readFileSync(f.path, 'utf8'), truth: f.truth };
}

/** The place a TABLE_UNREADABLE names, in scoreRecord's terms (`requests.granted`, `appeals.review`). */
function placeOf(i: Issue): string {
  const table = i.table ?? { 2: 'proactive', 3: 'requests', 4: 'appeals' }[i.section ?? 0] ?? '';
  const at = [table, i.row ?? i.group, i.column].filter((p) => p !== undefined);
  return at.join('.');
}
const within = (place: string, named: string) => place === named || place.startsWith(`${named}.`);

const check = async (file: string, bytes: Uint8Array) =>
  checkDocument({ file, bytes }, await extractDocument(bytes));

/** The crawled page read as text, and printed as the case says and read as a PDF. */
async function readPrinted({ source: s, setup }: Case) {
  const { text, truth } = reportOf(s);
  const crawled = toCrawledPage(text, text.split('\n')[0] ?? '', () => false);
  const bytes = await printText(page, crawled, setup);
  return {
    record: await check('printed.pdf', bytes),
    asText: await check('crawled.txt', new TextEncoder().encode(crawled)),
    truth,
  };
}

describe.runIf(available || process.env.CI)(
  'crawled text hard-wrapped and printed to PDF by Chromium',
  () => {
    it('never misreads a number, raises no error, and names every cell it leaves open', async () => {
      expect(available, `no Chromium at ${CHROMIUM}: apt-get install chromium`).toBe(true);
      const examples = EXAMPLES.map((e): [Case] => [
        {
          source: e.draws === undefined ? { fixture: e.fixture ?? '' } : { draws: e.draws },
          setup: e.setup as PrintSetup,
        },
      ]);
      await fc.assert(
        fc.asyncProperty(fc.record({ source, setup: printSetup }), async (c) => {
          const { record, asText, truth } = await readPrinted(c);
          const score = scoreRecord(record, truth);
          expect(score.wrong).toEqual([]);
          // Printing loses nothing the text had: a cell open in the printout is open in the text too.
          const openAsText = scoreRecord(asText, truth).open;
          expect(score.open.filter((p) => !openAsText.includes(p))).toEqual([]);
          const errors = record.issues.filter((i) => i.severity === 'error');
          expect(errors).toEqual([]);
          const unreadable = record.issues.filter((i) => i.code === 'TABLE_UNREADABLE').map(placeOf);
          // Each finding names open cells only; each open cell is named.
          for (const named of unreadable)
            expect(
              score.open.some((p) => within(p, named)),
              `${named} in ${score.open.join(' ')}`,
            ).toBe(true);
          for (const p of score.open)
            expect(
              unreadable.some((named) => within(p, named)),
              `${p} in ${unreadable.join(' ')}`,
            ).toBe(true);
        }),
        // No shrinking: each step prints again, and the first counterexample says enough.
        { seed: 20261202, numRuns: 10, examples, endOnFailure: true },
      );
    }, 300_000);
  },
);

/**
 * A report's own tab-separated text printed as a <pre> page at 16 px, breaking inside words: its table rows
 * are wider than the page, so the printer wraps each and the extraction puts its cells back on one line,
 * starting again at the left margin. Such a row was taken for prose that reached the margin and joined with
 * the next row (ROW_MISSING on clean reports; 159 of 197 numbers read on clean-none-granted).
 */
describe.runIf(available || process.env.CI)('a tab-separated report printed as a <pre> page', () => {
  it.each([
    ['synthetic/clean-none-granted', 'A5', 'monospace', 194],
    ['synthetic/clean-four-applicant-kinds', 'A4', "'Noto Sans CJK SC', sans-serif", 197],
  ] as const)(
    '%s on %s in %s: no error, no misread, %i numbers read',
    async (name, paper, font, read) => {
      const { text, truth } = reportOf({ fixture: name });
      const setup: PrintSetup = { wrap: null, page: paper, font, size: 16, unit: 'px', breakAll: true };
      const record = await check('printed.pdf', await printText(page, text, setup));
      const score = scoreRecord(record, truth);
      expect(score.wrong).toEqual([]);
      expect(record.issues.filter((i) => i.severity === 'error')).toEqual([]);
      // Measured: table 二's rows under a header wrapped at A5 (现行有效 / 件数) are lost, a warning each.
      expect(score.exact).toBeGreaterThanOrEqual(read);
    },
    60_000,
  );
});
