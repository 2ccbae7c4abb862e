import { describe, expect, it } from 'vitest';
import { castsIn, countCasts } from '../../scripts/count-casts.ts';

/**
 * Type assertions in the shipped code are kept few: each is a claim the compiler cannot check. Issue 21 set
 * the ceiling at half of the 171 counted then (85); values from outside parsed with zod, table cells read
 * through functions/report/table-cells.ts and CDK resources through lib/default-resource.ts brought it to
 * 41; the OCR engine (pixel and tensor code), the local S3's versioned store and the form readers merged
 * after it brought it back to 84, so the ceiling is the issue's 85 again. `node scripts/count-casts.ts
 * --list` shows where each is.
 */
const CEILING = 85;

describe('casts outside test/', () => {
  it('are counted as the compiler parses them: `as T` and `<T>x`, never `as const`', () => {
    const sample = [
      'const a = x as string;',
      'const b = <number>y;',
      "const c = ['a'] as const;",
      'const d = z as unknown as Date;',
      '// not code: q as string',
    ].join('\n');
    expect(castsIn('sample.ts', sample).map((c) => [c.line, c.text])).toEqual([
      [1, 'string'],
      [2, 'number'],
      [4, 'Date'],
      [4, 'unknown'],
    ]);
  });

  it(`stay at most ${CEILING}`, () => {
    const casts = countCasts();
    expect(casts.length).toBeGreaterThan(0);
    expect(casts.length, casts.map((c) => `${c.file}:${c.line} as ${c.text}`).join('\n')).toBeLessThanOrEqual(
      CEILING,
    );
  });
});
