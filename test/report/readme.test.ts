import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CODES,
  type CodeSpec,
  ISSUE_CODES,
  IssueCode,
  SEVERITIES,
  severityOf,
} from '../../functions/report/index.ts';
import { withGeneratedParts } from '../../scripts/readme-tables.ts';
import { README_FILE } from '../../scripts/write-schema.ts';

describe('the catalogue of finding codes', () => {
  it("is the README's code and key tables (run npm run schema after changing it)", () => {
    const readme = readFileSync(README_FILE, 'utf8');
    expect(readme).toBe(withGeneratedParts(readme));
    for (const code of ISSUE_CODES) expect(readme).toContain(`\`${code}\``);
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
