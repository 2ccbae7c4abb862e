import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryOf, type FormEvent, MAX_PRE_DATA_BYTES, MultipartReader } from '../../local/multipart.ts';
import { S3Refusal } from '../../local/s3-refusal.ts';

/** The gate's streaming form reader: however the body is cut into chunks, the same fields and file bytes. */
const BOUNDARY = '----b0undary';

function body(fields: [string, string][], file: Uint8Array): Buffer {
  const head = fields
    .map(([n, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
    .join('');
  return Buffer.concat([
    Buffer.from(
      `${head}--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

function read(bytes: Buffer, cuts: number[]) {
  const reader = new MultipartReader(BOUNDARY);
  const events: FormEvent[] = [];
  let at = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)]
    .sort((a, b) => a - b)
    .concat(bytes.length)) {
    events.push(...reader.push(bytes.subarray(at, cut)));
    at = cut;
  }
  reader.finish();
  const fields = events.flatMap((e) => (e.type === 'field' ? [[e.name, e.value]] : []));
  const file = Buffer.concat(events.flatMap((e) => (e.type === 'data' ? [e.chunk] : [])));
  return { fields, file, files: events.filter((e) => e.type === 'file').length };
}

// File bytes drawn from pieces that look like the delimiter, so a boundary split over chunks is exercised.
const tricky = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc
        .constantFrom('\r\n', '\r\n--', `\r\n--${BOUNDARY.slice(0, 6)}`, `--${BOUNDARY}`, '--')
        .map((s) => Buffer.from(s)),
    ),
    { maxLength: 30 },
  )
  .map((parts) => Buffer.concat(parts));

describe('MultipartReader', () => {
  it('reads the same fields and file bytes however the body is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('key', 'Policy', 'x-amz-date', 'Content-Type'),
            fc.string({ maxLength: 50 }),
          ),
          {
            maxLength: 4,
          },
        ),
        tricky,
        fc.array(fc.nat({ max: 600 }), { maxLength: 12 }),
        (fields, file, cuts) => {
          // A body cannot contain its own delimiter (senders pick a boundary that does not occur).
          fc.pre(!file.includes(Buffer.from(`\r\n--${BOUNDARY}`)));
          const clean = fields.map(([n, v]) => [n, v.replace(/\r|\n|-/g, '')] as [string, string]);
          const out = read(body(clean, file), cuts);
          expect(out.fields).toEqual(clean);
          expect(out.file).toEqual(Buffer.from(file));
          expect(out.files).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a form whose fields before the file pass 20 KB, a body cut short, a part without a name', () => {
    const big = body([['pad', 'a'.repeat(MAX_PRE_DATA_BYTES)]], Buffer.from('x'));
    expect(() => read(big, [])).toThrow(expect.objectContaining({ code: 'MaxPostPreDataLengthExceeded' }));
    const whole = body([['key', 'k']], Buffer.from('some bytes'));
    expect(() => read(whole.subarray(0, whole.length - 12), [])).toThrow(
      expect.objectContaining({ code: 'IncompleteBody' }),
    );
    const nameless = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nv\r\n--${BOUNDARY}--\r\n`,
    );
    expect(() => read(nameless, [])).toThrow(S3Refusal);
  });

  it('takes the boundary from the content type, quoted or not, and nothing but multipart/form-data', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(boundaryOf('application/x-www-form-urlencoded')).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
  });
});
