import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Extractor } from '../../functions/extract/index.ts';
import {
  checkDocument,
  findingFingerprint,
  ISSUE_CODES,
  type Issue,
  withIssues,
} from '../../functions/report/index.ts';
import { fixturePath } from '../support/fixtures.ts';

/**
 * A finding's fingerprint is what a reviewer's decision is keyed by: the same report must give the same
 * fingerprints however it is uploaded, and a finding about another value or place must not inherit it.
 */
const extractor = new Extractor();
afterAll(() => extractor.close());

async function fingerprintsOf(file: string): Promise<string[]> {
  const bytes = readFileSync(fixturePath(file));
  const record = checkDocument({ file, bytes }, await extractor.extract(bytes));
  return record.issues.map((i) => `${i.code} ${i.fingerprint}`).sort();
}

describe('findingFingerprint', () => {
  it.each(['synthetic/requests-result-total-broken-social-welfare', 'synthetic/requests-balance-broken'])(
    'is the same for %s as PDF, DOCX, HTML and TXT, and on re-extraction',
    async (base) => {
      const pdf = await fingerprintsOf(`${base}.pdf`);
      expect(pdf.length).toBeGreaterThan(3);
      for (const p of pdf) expect(p).toMatch(/^[A-Z_]+ [0-9a-f]{16}$/);
      expect(await fingerprintsOf(`${base}.pdf`)).toEqual(pdf);
      for (const ext of ['docx', 'html', 'txt']) expect(await fingerprintsOf(`${base}.${ext}`)).toEqual(pdf);
    },
  );

  it('gives every finding of a report its own fingerprint', async () => {
    const all = await fingerprintsOf('synthetic/requests-result-total-broken-social-welfare.pdf');
    expect(new Set(all.map((p) => p.split(' ')[1])).size).toBe(all.length);
  });

  const issue = fc.record({
    code: fc.constantFrom(...ISSUE_CODES),
    severity: fc.constantFrom('error' as const, 'warning' as const, 'info' as const),
    section: fc.integer({ min: 0, max: 6 }),
    row: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }),
    column: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }),
    expected: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    actual: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    message: fc.string({ minLength: 1, maxLength: 20 }),
  });
  const clean = (i: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(i).filter(([, v]) => v !== undefined)) as Issue;

  it('ignores the wording and the severity', () => {
    fc.assert(
      fc.property(issue, fc.string({ minLength: 1 }), (i, message) => {
        const a = clean(i);
        const b = clean({ ...i, message, severity: i.severity === 'error' ? 'warning' : 'error' });
        expect(findingFingerprint(b)).toBe(findingFingerprint(a));
      }),
    );
  });

  it('differs when a value or a place differs', () => {
    fc.assert(
      fc.property(issue, fc.integer({ min: 1, max: 100 }), (i, delta) => {
        const a = clean(i);
        const moreActual = { ...a, actual: (a.actual ?? 0) + delta };
        const otherExpected = { ...a, expected: (a.expected ?? 0) + delta };
        const otherSection = { ...a, section: (a.section + 1) % 7 };
        const otherRow = { ...a, row: `${a.row ?? ''}x` };
        const otherCells = { ...a, cells: [{ row: 'r', column: String(delta) }] };
        const fp = findingFingerprint(a);
        for (const other of [moreActual, otherExpected, otherSection, otherRow, otherCells]) {
          expect(findingFingerprint(other)).not.toBe(fp);
        }
      }),
    );
  });

  it('is set on every finding a record gains later (the pipeline appends cross-year findings)', async () => {
    const bytes = readFileSync(fixturePath('synthetic/clean-three-applicant-kinds.pdf'));
    const record = checkDocument({ file: 'x.pdf', bytes }, await extractor.extract(bytes));
    const later = withIssues(record, [
      { code: 'CARRYOVER_MISMATCH', severity: 'error', section: 3, expected: 4, actual: 5, message: 'm' },
    ]);
    expect(later.issues.length).toBeGreaterThan(0);
    for (const i of later.issues) expect(i.fingerprint).toBe(findingFingerprint(i));
  });
});
