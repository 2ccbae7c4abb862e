import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uploadKey } from '../../functions/api/upload-keys.ts';
import {
  boundName,
  MAX_KEY_BYTES,
  MAX_SEGMENT_BYTES,
  parseUploadKey,
  uploadKeyFor,
  utf8Length,
} from '../../functions/pipeline/keys.ts';
import { MAX_SEGMENT_BYTES as STORE_SEGMENT_BYTES } from '../../local/s3-keys.ts';

/**
 * Names are bounded by bytes, one rule for every key builder: an S3 key ≤ 1024 bytes, each segment (a
 * file or folder name in the local S3) ≤ 200 bytes. Seventy Chinese characters are 210 bytes.
 */
const cjk = fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c));
const anyChar = fc.oneof(
  cjk,
  fc.constantFrom('a', 'Z', '0', '.', ' ', '-', '_', '（', '）', '😀', '\u0301', '年', '报'),
);
const segment = fc
  .array(anyChar, { minLength: 1, maxLength: 160 })
  .map((cs) => cs.join(''))
  .filter((s) => !/^\.+$/.test(s));
const relativePath = fc.array(segment, { minLength: 1, maxLength: 12 }).map((s) => s.join('/'));
const agency = fc.constantFrom('huaian-gov', 'a', 'x'.repeat(64));

const withinBounds = (key: string) => {
  expect(utf8Length(key)).toBeLessThanOrEqual(MAX_KEY_BYTES);
  for (const part of key.split('/')) expect(utf8Length(part)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
};

describe('key bounds (property)', () => {
  it('every key the local run builds fits S3 and a file system, under the agency prefix', () => {
    // What the keys are cut to stays inside what the local store can hold (its gate refuses the rest).
    expect(MAX_SEGMENT_BYTES).toBeLessThanOrEqual(STORE_SEGMENT_BYTES);
    fc.assert(
      fc.property(agency, relativePath, (agencyId, rel) => {
        const key = uploadKeyFor(agencyId, rel);
        withinBounds(key);
        expect(parseUploadKey(key)?.agencyId).toBe(agencyId);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps the relative path: the same name in two folders is two keys; long names stay apart', () => {
    expect(uploadKeyFor('huaian-gov', '2023/年报.docx')).toBe('incoming/huaian-gov/2023/年报.docx');
    expect(uploadKeyFor('huaian-gov', '2024/年报.docx')).toBe('incoming/huaian-gov/2024/年报.docx');
    fc.assert(
      fc.property(agency, relativePath, relativePath, (agencyId, a, b) => {
        fc.pre(a !== b);
        expect(uploadKeyFor(agencyId, a)).not.toBe(uploadKeyFor(agencyId, b));
      }),
      { numRuns: 300 },
    );
  });

  it('cuts on whole characters and keeps the extension; a name that fits is unchanged', () => {
    const long = `${'淮安市人民政府办公室关于'.repeat(6)}政府信息公开工作年度报告.pdf`;
    const cut = boundName(long);
    expect(utf8Length(long)).toBeGreaterThan(MAX_SEGMENT_BYTES);
    expect(utf8Length(cut)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
    expect(cut).toMatch(/^淮安市人民政府.*-[0-9a-f]{8}\.pdf$/);
    expect(cut).not.toContain('\uFFFD');
    expect(boundName('年报.pdf')).toBe('年报.pdf');
    fc.assert(
      fc.property(segment, (name) => {
        const bounded = boundName(name);
        expect(utf8Length(bounded)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
        expect(boundName(bounded)).toBe(bounded);
      }),
    );
  });

  it('the API’s keys obey the same rule: 100 Chinese characters (what it accepts) fit one segment', () => {
    const key = uploadKey(
      'huaian-gov',
      2024,
      '0b6e2c1e-8a4f-4d43-9a59-2f1c0c1f9e11',
      `${'报'.repeat(100)}.pdf`,
    );
    withinBounds(key);
    expect(key).toMatch(/\.pdf$/);
  });
});
