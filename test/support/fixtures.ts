import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The report fixtures copied from shared/fixtures into test/fixtures: every seed, synthetic and real
 * report with its truth file. FIXTURES_DIR points the suite at another copy (e.g. ../shared/fixtures).
 */
const OWN_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const FIXTURES_DIR = process.env.FIXTURES_DIR ?? OWN_FIXTURES;

/**
 * The repository names each fixture after what it exercises (`synthetic/requests-balance-broken`); the shared
 * copy keeps the sequence names it was made with (`synthetic/007`). test/fixtures/names.json maps old to new,
 * one entry per base name (`group/base`, the extensions and `.truth.json` follow the base).
 */
export const RENAMED: Readonly<Record<string, string>> = JSON.parse(
  readFileSync(path.join(OWN_FIXTURES, 'names.json'), 'utf8'),
);
const FORMER = new Map(Object.entries(RENAMED).map(([old, current]) => [current, old]));

/** `group/base` and the rest (`.source.pdf`, `.truth.json`): the first dot ends a fixture's base name. */
function splitName(relative: string): [string, string] {
  const slash = relative.lastIndexOf('/');
  const dot = relative.indexOf('.', slash + 1);
  return dot < 0 ? [relative, ''] : [relative.slice(0, dot), relative.slice(dot)];
}

/**
 * A fixture's name in this repository for a file named either way (`synthetic/007.pdf` →
 * `synthetic/requests-balance-broken.pdf`); a name the map does not hold stays as it is.
 */
export function currentName(relative: string): string {
  const [base, rest] = splitName(relative);
  return `${RENAMED[base] ?? base}${rest}`;
}

/** The copy a group is read from: the Chromium printouts are this repository's own, never FIXTURES_DIR's. */
const rootOf = (group: string): string => (group === 'chromium' ? OWN_FIXTURES : FIXTURES_DIR);

/**
 * The path of a fixture named as this repository names it (`fixturePath('synthetic',
 * 'requests-balance-broken.pdf')`) in FIXTURES_DIR: under that name, else under its former name (a copy that
 * keeps the old names). A file under neither name gets the path under the current name, so a missing file
 * stays a missing file.
 */
export function fixturePath(...parts: string[]): string {
  const relative = parts.join('/');
  return resolveFixture(rootOf(relative.slice(0, relative.indexOf('/'))), relative);
}

/** fixturePath's lookup in one copy of the fixtures (`root`), by the current name, else by the former one. */
export function resolveFixture(root: string, relative: string): string {
  const named = path.join(root, relative);
  if (existsSync(named)) return named;
  const [base, rest] = splitName(relative);
  const former = FORMER.get(base);
  const old = former === undefined ? undefined : path.join(root, `${former}${rest}`);
  return old !== undefined && existsSync(old) ? old : named;
}

export type Counts = Record<string, number | null>;

export interface Truth {
  agency: string;
  year: number;
  template: '2021' | '2019';
  sectionsPresent?: number[];
  /** The form a re-laid fixture is in (test/fixtures/forms/), and the fixture it was made from. */
  form?: string;
  source?: string;
  /**
   * The form loses what no reader can get back (blank cells a stream drops, cells a crawler ran
   * together): numbers may be left open, never misread; forms.test.ts holds each class to its share.
   */
  lossy?: boolean;
  /** The form has no table rows for extraction to keep: the report stage rebuilds them (cell streams, crawled pages). */
  rowsRebuilt?: boolean;
  proactive: Record<string, Counts | number | null> | null;
  /** Table 二 on the 2019 template (the record's `proactive2019`), when the report is on it. */
  proactive2019?: Record<string, Counts | null> | null;
  requests: Record<string, Counts | null>;
  appeals: Record<string, Counts>;
  expectedIssues: Array<{
    code: string;
    alsoAccepted?: string[];
    section?: number;
    row?: string;
    column?: string;
    group?: string;
    table?: string;
  }>;
}

export interface Fixture {
  /** e.g. synthetic/requests-balance-broken, whatever the name of the copy it was read from */
  name: string;
  /** e.g. synthetic/requests-balance-broken.pdf or seeds/seed-zhenxing-2023-row-broken.source.pdf */
  file: string;
  path: string;
  truth: Truth;
}

/**
 * Fixtures the end-to-end and extraction checks cannot hold to their whole truth, each with the test
 * that checks it in depth. The crawled page: it has no table cells for extraction to keep, and section
 * 2's 693665 (69|3|665) has no arithmetic to split it by (its copies in test/fixtures/forms/ are marked
 * lossy and swept with the rest).
 */
export const CHECKED_ELSEWHERE: ReadonlyMap<string, string> = new Map([
  ['real/pingtan-2021.txt', 'test/report/crawled.test.ts'],
]);

/** The forms re-laid from the fixtures (scripts/make-form-fixtures.ts), one folder a class. */
const FORMS = path.join(OWN_FIXTURES, 'forms');
export const FORM_GROUPS: readonly string[] = existsSync(FORMS)
  ? readdirSync(FORMS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `forms/${d.name}`)
      .sort()
  : [];

/**
 * The fixtures with their truth: seeds, synthetic, real and the Chromium printouts; with `forms` also the
 * re-laid forms (the sweeps of test/report/fixtures.test.ts and test/extract/fixtures.test.ts take them).
 */
export function listFixtures(options: { forms?: boolean } = {}): Fixture[] {
  const fixtures: Fixture[] = [];
  const groups = ['seeds', 'synthetic', 'real', 'chromium', ...(options.forms === true ? FORM_GROUPS : [])];
  for (const group of groups) {
    // The Chromium printouts and the forms are this repository's own: never from FIXTURES_DIR.
    const dir = path.join(group.startsWith('forms/') ? OWN_FIXTURES : rootOf(group), group);
    const inGroup: Fixture[] = [];
    for (const entry of readdirSync(dir)) {
      if (entry.endsWith('.truth.json')) continue;
      // One truth for a report in several files: NAME.pdf, NAME.source.pdf, NAME.office.pdf, NAME.chromium.pdf.
      const base = entry.replace(/(\.source|\.office|\.chromium)?\.(pdf|docx|html|txt)$/, '');
      const truth = JSON.parse(readFileSync(path.join(dir, `${base}.truth.json`), 'utf8')) as Truth;
      inGroup.push({
        name: currentName(`${group}/${base}`),
        file: currentName(`${group}/${entry}`),
        path: path.join(dir, entry),
        truth,
      });
    }
    // Sorted by the current names, so a copy under the old names lists in the same order.
    fixtures.push(...inGroup.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)));
  }
  return fixtures;
}

// The template's keys, as the pipeline defines them.
export { APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_COLUMNS } from '../../functions/report/template.ts';
