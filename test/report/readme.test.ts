import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CODES,
  type CodeSpec,
  ISSUE_CODES,
  IssueCode,
  SEVERITIES,
  severityOf,
} from '../../functions/report/index.ts';
import {
  GENERATED_FILES,
  GENERATED_PARTS,
  hasMarkers,
  withGeneratedParts,
} from '../../scripts/readme-tables.ts';
import { REPO_ROOT } from '../../scripts/write-schema.ts';
import { markdownFiles } from '../support/markdown.ts';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('the catalogue of finding codes', () => {
  it("is the docs' code and key tables (run npm run schema after changing it)", () => {
    for (const [file, parts] of Object.entries(GENERATED_FILES)) {
      const text = read(file);
      expect(text, file).toBe(withGeneratedParts(text, parts));
    }
    const codePages = read('docs/extraction.md') + read('docs/findings.md');
    for (const code of ISSUE_CODES) expect(codePages).toContain(`\`${code}\``);
  });

  it('places every generated table in exactly one page, and nowhere else', () => {
    const placed = Object.values(GENERATED_FILES).flat();
    expect([...placed].sort()).toEqual(Object.keys(GENERATED_PARTS).sort());
    for (const file of markdownFiles()) {
      const own = GENERATED_FILES[file] ?? [];
      for (const name of Object.keys(GENERATED_PARTS)) {
        if (!own.includes(name)) expect(hasMarkers(read(file), name), `${file} holds ${name}`).toBe(false);
      }
    }
  });

  it('refuses a page whose markers are missing or doubled', () => {
    const text = read('docs/findings.md');
    expect(() =>
      withGeneratedParts(text.replace('<!-- end generated:finding-codes -->', ''), ['finding-codes']),
    ).toThrow(/missing/);
    expect(() => withGeneratedParts(`${text}\n${text}`, ['finding-codes'])).toThrow(/twice/);
  });

  it("is the record's enum, and every entry is complete", () => {
    expect(IssueCode.options).toEqual(Object.keys(CODES));
    for (const [code, spec] of Object.entries<CodeSpec>(CODES)) {
      expect(SEVERITIES, code).toContain(spec.severity);
      expect(spec.meaning, code).toMatch(/\p{Script=Han}/u);
      expect(spec.readme.length, code).toBeGreaterThan(0);
      if (spec.sections !== 'any') for (const n of spec.sections) expect(n).toBeGreaterThanOrEqual(0);
    }
  });

  it('keeps the one severity exception: a left-out requests row is an error, a proactive one a warning', () => {
    expect(severityOf('ROW_MISSING', 'requests')).toBe('error');
    expect(severityOf('ROW_MISSING', 'proactive')).toBe('warning');
    expect(severityOf('CELL_MISSING', 'requests')).toBe('error');
    expect(severityOf('FILE_CORRUPT')).toBe('error');
    expect(severityOf('LATE_PUBLICATION')).toBe('warning');
  });
});
