import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { uploadKey } from '../../functions/api/upload-keys.ts';
import { Extractor } from '../../functions/extract/index.ts';
import { declaredYearIssues, declaredYearOfKey } from '../../functions/pipeline/declared-year.ts';
import { checkDocument, ReportRecord, withIssues } from '../../functions/report/index.ts';
import { checkText, sampleText } from '../report/helpers.ts';
import { listFixtures } from '../support/fixtures.ts';

/** DECLARED_YEAR_MISMATCH: the year in the upload key against the year the report states. */
const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('the declared year of a key', () => {
  it('is the year segment of the keys the API hands out, for any agency, year and file name', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/),
        fc.integer({ min: 2008, max: 2100 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        (agency, year, name) => {
          expect(declaredYearOfKey(uploadKey(agency, year, UUID, name))).toBe(year);
        },
      ),
    );
  });

  it('is null for keys without one (a file put under the prefix by hand)', () => {
    expect(declaredYearOfKey('incoming/huaian-gov/年报2023.pdf')).toBeNull();
    expect(declaredYearOfKey('incoming/huaian-gov/drafts/2023.pdf')).toBeNull();
    expect(declaredYearOfKey('incoming/huaian-gov/20234/x.pdf')).toBeNull();
    expect(declaredYearOfKey('elsewhere/huaian-gov/2023/x.pdf')).toBeNull();
  });
});

describe('declaredYearIssues', () => {
  const report2023 = checkText(sampleText({ year: 2023 }));

  it('is silent without a declared year and when the years agree', async () => {
    const record = await report2023;
    expect(record.year).toBe(2023);
    expect(declaredYearIssues(record, null)).toEqual([]);
    expect(declaredYearIssues(record, 2023)).toEqual([]);
  });

  it('warns when they differ, naming both years; the report stays VALID', async () => {
    const record = await report2023;
    const issues = declaredYearIssues(record, 2025);
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'DECLARED_YEAR_MISMATCH',
        severity: 'warning',
        section: 0,
        expected: 2025,
        actual: 2023,
      }),
    ]);
    expect(issues[0]?.message).toContain('2025年');
    expect(issues[0]?.message).toContain('2023年');
    const after = ReportRecord.parse(withIssues(record, issues));
    expect(after.status).toBe('VALID');
    expect(after.summary.warnings).toBe(record.summary.warnings + 1);
    expect(after.year).toBe(2023);
  });

  it('is silent when the report year is unknown (a failed file or no year found)', async () => {
    const noYear = await checkText('这不是一份年度报告，只是一段文字。');
    expect(noYear.year).toBeNull();
    expect(declaredYearIssues(noYear, 2023)).toEqual([]);
    const record = await report2023;
    expect(declaredYearIssues({ ...record, status: 'FAILED' }, 2024)).toEqual([]);
  });
});

describe('precision on the fixtures', () => {
  const extractor = new Extractor();
  afterAll(() => extractor.close());
  // The fast formats of every fixture: the check depends on the year read, which the fixtures suite holds
  // to the truth in every format.
  const fixtures = listFixtures().filter((f) => /\.(txt|html)$/.test(f.file));

  it.each(fixtures.map((f) => [f.file, f] as const))(
    '%s uploaded with its true year raises nothing, with another year a warning',
    async (_name, fixture) => {
      const bytes = readFileSync(fixture.path);
      const record = checkDocument({ file: fixture.file, bytes }, await extractor.extract(bytes));
      expect(declaredYearIssues(record, fixture.truth.year)).toEqual([]);
      expect(declaredYearIssues(record, fixture.truth.year + 1).map((i) => i.code)).toEqual([
        'DECLARED_YEAR_MISMATCH',
      ]);
    },
  );
});
