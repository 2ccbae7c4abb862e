import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Extractor } from '../../functions/extract/index.ts';
import { checkDocument, ReportRecord } from '../../functions/report/index.ts';
import { CHECKED_ELSEWHERE, listFixtures } from '../support/fixtures.ts';
import { matchesExpected } from '../support/score.ts';

/**
 * `check` over every fixture in all four formats, and the Chromium printouts of a selection of them,
 * against its truth file: every number, the year and agency, every expected issue at its location, and
 * no error the truth does not allow.
 *
 * CHECKED_ELSEWHERE names the fixtures a suite of their own checks against their truth (with the reason).
 */
const extractor = new Extractor();
afterAll(() => extractor.close());

const REVIEWER_CODES = new Set(['SECTION_EMPTY', 'FEE_STATEMENT_MISSING']);

describe.each(
  listFixtures()
    .filter((f) => !CHECKED_ELSEWHERE.has(f.file))
    .map((f) => [f.file, f] as const),
)('check %s', (_name, fixture) => {
  it('reads every number, the year and the agency, and reports exactly the expected issues', async () => {
    const bytes = readFileSync(fixture.path);
    const record = checkDocument({ file: fixture.file, bytes }, await extractor.extract(bytes));
    const { truth } = fixture;
    expect(ReportRecord.parse(record)).toEqual(record);

    expect(record.requests).toMatchObject(truth.requests);
    expect(record.appeals).toEqual(truth.appeals);
    expect(record.proactive).toEqual(truth.proactive);
    expect(record.year).toBe(truth.year);
    expect(record.template).toBe(truth.template);
    expect(record.agency).toBe(truth.agency);
    if (truth.sectionsPresent !== undefined) {
      expect(record.sections.filter((s) => s.found).map((s) => s.number)).toEqual(truth.sectionsPresent);
    }

    const allowed = new Set(truth.expectedIssues.flatMap((e) => [e.code, ...(e.alsoAccepted ?? [])]));
    for (const expected of truth.expectedIssues) {
      expect(
        record.issues.some((i) => matchesExpected(i, expected)),
        `${expected.code} ${JSON.stringify(expected)} in ${JSON.stringify(record.issues, null, 1)}`,
      ).toBe(true);
    }
    const unexpected = record.issues.filter((i) => i.severity === 'error' && !allowed.has(i.code));
    expect(unexpected).toEqual([]);
    // Precision of the reviewers' checks (issue 13): none where the truth expects none; no truth
    // expects a narrative count of 行政复议/诉讼 or of table 二 to differ.
    const reviewers = record.issues.filter(
      (i) =>
        (REVIEWER_CODES.has(i.code) && !allowed.has(i.code)) ||
        (i.code === 'NARRATIVE_MISMATCH' && i.table !== 'requests'),
    );
    expect(reviewers).toEqual([]);
    const expectsError = record.issues.some((i) => i.severity === 'error');
    expect(record.status).toBe(expectsError ? 'INVALID' : 'VALID');
  });
});

it("seed 002's blank 行政复议 group is CELL_MISSING and null, not zeros, in every format", async () => {
  for (const f of listFixtures().filter((x) => x.name === 'seeds/002_7bf1580f9ef3f488')) {
    const bytes = readFileSync(f.path);
    const record = checkDocument({ file: f.file, bytes }, await extractor.extract(bytes));
    expect(record.appeals?.review, f.file).toEqual({
      upheld: null,
      corrected: null,
      other: null,
      pending: null,
      total: null,
    });
    expect(
      record.issues.filter((i) => i.code === 'CELL_MISSING').map((i) => [i.group, i.column]),
      f.file,
    ).toEqual([['review', undefined]]);
    expect(record.status).toBe('INVALID');
  }
});
