import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PRE_DATA_BYTES, readPostForm } from '../../local/multipart.ts';
import { S3Refusal } from '../../local/s3-refusal.ts';

/** The gate's streaming form reader: however the body is cut into chunks, the same fields and file bytes. */
const BOUNDARY = '----b0undary';

function body(fields: [string, string][], file: Uint8Array, boundary = BOUNDARY): Buffer {
  const head = fields
    .map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
    .join('');
  return Buffer.concat([
    Buffer.from(
      `${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

/** The body in chunks cut at `cuts`, read as the gate reads it. */
async function read(
  bytes: Buffer,
  cuts: number[],
  contentType = `multipart/form-data; boundary=${BOUNDARY}`,
) {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))]
    .sort((a, b) => a - b)
    .concat(bytes.length)) {
    chunks.push(bytes.subarray(at, cut));
    at = cut;
  }
  let files = 0;
  const { fields, file } = await readPostForm(Readable.from(chunks), contentType, async (form, part) => {
    files++;
    const data: Buffer[] = await part.stream.toArray();
    return { fields: form.map(([n, v]) => [n, v]), file: Buffer.concat(data) };
  });
  return { fields, file, files };
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

describe('readPostForm', () => {
  it('reads the same fields and file bytes however the body is chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
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
        async (fields, file, cuts) => {
          // A body cannot contain its own delimiter (senders pick a boundary that does not occur), nor
          // begin with the boundary: the CRLF ending its part's headers would make it a delimiter.
          fc.pre(!Buffer.concat([Buffer.from('\r\n'), file]).includes(Buffer.from(`\r\n--${BOUNDARY}`)));
          const clean = fields.map(([n, v]) => [n, v.replace(/\r|\n|-/g, '')] as [string, string]);
          const out = await read(body(clean, file), cuts);
          expect(out.fields).toEqual(clean);
          expect(out.file).toEqual(Buffer.from(file));
          expect(out.files).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a form whose fields before the file pass 20 KB, a body cut short, a part without a name', async () => {
    const big = body([['pad', 'a'.repeat(MAX_PRE_DATA_BYTES)]], Buffer.from('x'));
    await expect(read(big, [])).rejects.toThrow(
      expect.objectContaining({ code: 'MaxPostPreDataLengthExceeded' }),
    );
    const whole = body([['key', 'k']], Buffer.from('some bytes'));
    await expect(read(whole.subarray(0, whole.length - 12), [])).rejects.toThrow(
      expect.objectContaining({ code: 'IncompleteBody' }),
    );
    const nameless = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nv\r\n--${BOUNDARY}--\r\n`,
    );
    await expect(read(nameless, [])).rejects.toThrow(S3Refusal);
  });

  it('takes the boundary from the content type, quoted or not, and nothing but multipart/form-data', async () => {
    const fields: [string, string][] = [['key', 'k']];
    const file = Buffer.from('%PDF');
    expect((await read(body(fields, file, 'abc'), [], 'multipart/form-data; boundary=abc')).fields).toEqual(
      fields,
    );
    expect(
      (await read(body(fields, file, 'a b'), [], 'multipart/form-data; charset=utf-8; boundary="a b"'))
        .fields,
    ).toEqual(fields);
    for (const type of ['application/x-www-form-urlencoded', undefined]) {
      const form = readPostForm(Readable.from([body(fields, file)]), type, async () => {});
      await expect(form).rejects.toThrow(expect.objectContaining({ code: 'PreconditionFailed' }));
    }
  });
});
