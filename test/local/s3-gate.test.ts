import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CopyObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3PostSigner } from '../../functions/adapters/s3-post-signer.ts';
import { uploadKey } from '../../functions/api/upload-keys.ts';
import { startS3rver } from '../../local/emulators.ts';
import { writeRawObjects } from '../support/raw-objects.ts';

/**
 * The local S3 refuses what S3 refuses: every condition of the pre-signed POST the API hands out, anonymous
 * access, keys outside the policy or outside the store's folder, and bodies over the policy's size. Each
 * refusal answers with S3's XML error and stores nothing.
 */
const BUCKET = 'report-uploads';
const PDF = 'application/pdf';
const MB = 1024 * 1024;
let root: string;
let s3: Awaited<ReturnType<typeof startS3rver>>;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 's3-gate-'));
  s3 = await startS3rver(BUCKET, path.join(root, 's3'));
});
afterAll(() => s3?.stop());

interface Answer {
  status: number;
  body: string;
  /** Whether every byte of the request body was sent before the server closed the connection. */
  sentAll: boolean;
}

/** A raw HTTP request; the answer counts even when the server closes the connection mid-body. */
function send(
  method: string,
  url: string,
  headers: Record<string, string | number>,
  body: Iterable<Buffer> = [],
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sentAll = false;
    let answer: Omit<Answer, 'sentAll'> | null = null;
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        answer = { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
      });
      res.on('error', () => {});
    });
    req.on('close', () =>
      answer === null ? reject(new Error('no answer')) : resolve({ ...answer, sentAll }),
    );
    req.on('error', () => {});
    const write = async () => {
      for (const chunk of body) {
        if (req.destroyed) return;
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      sentAll = !req.destroyed;
      req.end();
    };
    void write();
  });
}

/** A large file as one chunk sent `times` times, so the test itself never holds it. */
interface Repeated {
  chunk: Buffer;
  times: number;
}

/** The multipart form of an S3 POST: the fields, then the file, split in chunks of `chunk` bytes. */
function form(fields: Record<string, string>, file: Buffer | Repeated, type = PDF, chunk = 256 * 1024) {
  const boundary = `----gate-${randomUUID()}`;
  const head = Object.entries(fields)
    .map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
    .join('');
  const parts = [
    Buffer.from(`${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.pdf"\r\n`),
    Buffer.from(`Content-Type: ${type}\r\n\r\n`),
  ];
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  function* body() {
    yield* parts;
    if (Buffer.isBuffer(file)) {
      for (let i = 0; i < file.length; i += chunk) yield file.subarray(i, i + chunk);
    } else for (let i = 0; i < file.times; i++) yield file.chunk;
    yield tail;
  }
  return { parts, body: body(), contentType: `multipart/form-data; boundary=${boundary}` };
}

const post = (url: string, fields: Record<string, string>, file: Buffer | Repeated, type?: string) => {
  const f = form(fields, file, type);
  return send('POST', url, { 'content-type': f.contentType }, f.body);
};

/** A pre-signed POST as the API hands it out, for a fresh key of `agency`. */
async function presigned(agency = 'huaian-gov', maxBytes = MB) {
  const key = uploadKey(agency, 2023, randomUUID(), '年报.pdf');
  const signed = await new S3PostSigner(s3.s3, BUCKET).presignPost({
    key,
    contentType: PDF,
    minBytes: 1,
    maxBytes,
    expiresSeconds: 600,
  });
  return { key, ...signed };
}

async function stored(prefix = ''): Promise<string[]> {
  const out = await s3.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '');
}

const pdf = Buffer.from('%PDF-1.4\n% a report\n');
const code = (body: string) => /<Code>([^<]+)<\/Code>/.exec(body)?.[1];

describe('the signed POST the API hands out', () => {
  it('stores the file as sent (204, S3’s default), readable through the signed path', async () => {
    const { url, fields, key } = await presigned();
    const answer = await post(url, fields, pdf);
    expect(answer.status).toBe(204);
    const object = await s3.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(object.ContentType).toBe(PDF);
    expect(Buffer.from(await (object.Body?.transformToByteArray() ?? new Uint8Array()))).toEqual(pdf);
  });

  it('is refused once expired (403 AccessDenied)', async () => {
    const key = uploadKey('huaian-gov', 2023, randomUUID(), 'old.pdf');
    const { url, fields } = await createPresignedPost(s3.s3, {
      Bucket: BUCKET,
      Key: key,
      Fields: { 'Content-Type': PDF },
      Conditions: [['eq', '$Content-Type', PDF]],
      Expires: -60,
    });
    const answer = await post(url, fields, pdf);
    expect([answer.status, code(answer.body)]).toEqual([403, 'AccessDenied']);
    expect(answer.body).toContain('Policy expired');
    expect(await stored(key)).toEqual([]);
  });

  it('is refused with a tampered signature or a tampered policy (403 SignatureDoesNotMatch)', async () => {
    const { url, fields, key } = await presigned();
    const signature = fields['X-Amz-Signature'] ?? '';
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;
    const tampered = await post(url, { ...fields, 'X-Amz-Signature': flipped }, pdf);
    expect([tampered.status, code(tampered.body)]).toEqual([403, 'SignatureDoesNotMatch']);

    const policy = JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8'));
    policy.conditions = policy.conditions.map((c: unknown) =>
      Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', 1, 10 * 1024 * MB] : c,
    );
    const widened = Buffer.from(JSON.stringify(policy)).toString('base64');
    const forged = await post(url, { ...fields, Policy: widened }, pdf);
    expect([forged.status, code(forged.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(await stored(key)).toEqual([]);
  });

  it.each([
    ['another key of the same agency', (k: string) => k.replace(/[^/]+$/, 'other.pdf')],
    [
      'a key in another agency’s prefix',
      (k: string) => k.replace('incoming/huaian-gov/', 'incoming/nanjing-gov/'),
    ],
    ['a forged extraction', (k: string) => k.replace(/^incoming\//, 'extracted/')],
    [
      'a key that climbs out with ../',
      (k: string) => `${k.split('/').slice(0, 2).join('/')}/../../../../escaped`,
    ],
  ])('is refused for %s (403 AccessDenied, policy condition)', async (_name, change) => {
    const { url, fields, key } = await presigned();
    const target = change(key);
    const answer = await post(url, { ...fields, key: target }, pdf);
    expect([answer.status, code(answer.body)]).toEqual([403, 'AccessDenied']);
    expect(answer.body).toContain('Policy Condition failed');
    expect(await stored(target)).toEqual([]);
    expect(await stored(key)).toEqual([]);
  });

  it('is refused for a wrong content type, or without the encryption field (403)', async () => {
    const { url, fields, key } = await presigned();
    const wrongType = await post(url, { ...fields, 'Content-Type': 'text/html' }, pdf, 'text/html');
    expect([wrongType.status, code(wrongType.body)]).toEqual([403, 'AccessDenied']);
    expect(wrongType.body).toContain('$Content-Type');
    const { 'x-amz-server-side-encryption': _dropped, ...unencrypted } = fields;
    const noSse = await post(url, unencrypted, pdf);
    expect([noSse.status, code(noSse.body)]).toEqual([403, 'AccessDenied']);
    expect(noSse.body).toContain('x-amz-server-side-encryption');
    expect(await stored(key)).toEqual([]);
  });

  it('is refused with a field the policy does not name (403 Extra input fields)', async () => {
    const { url, fields, key } = await presigned();
    const answer = await post(url, { ...fields, 'x-amz-meta-note': 'hi' }, pdf);
    expect([answer.status, code(answer.body)]).toEqual([403, 'AccessDenied']);
    expect(answer.body).toContain('Extra input fields: x-amz-meta-note');
    expect(await stored(key)).toEqual([]);
  });

  it('is refused outside content-length-range (400 EntityTooLarge / EntityTooSmall)', async () => {
    const { url, fields, key } = await presigned('huaian-gov', 1000);
    const large = await post(url, fields, Buffer.alloc(1001, 1));
    expect([large.status, code(large.body)]).toEqual([400, 'EntityTooLarge']);
    const empty = await post(url, fields, Buffer.alloc(0));
    expect([empty.status, code(empty.body)]).toEqual([400, 'EntityTooSmall']);
    const exact = await post(url, fields, Buffer.alloc(1000, 1));
    expect(exact.status).toBe(204);
    expect(await stored(key)).toEqual([key]);
  });

  it('stops reading a file over 50 MB, answers EntityTooLarge, keeps nothing and still serves', async () => {
    const { url, fields, key } = await presigned('huaian-gov', 50 * MB);
    const answer = await post(url, fields, { chunk: Buffer.alloc(MB, 7), times: 300 });
    expect([answer.status, code(answer.body)]).toEqual([400, 'EntityTooLarge']);
    expect(answer.sentAll).toBe(false);
    expect(await stored(key)).toEqual([]);
    const next = await presigned();
    expect((await post(next.url, next.fields, pdf)).status).toBe(204);
  });

  it('answers a POST that is not a well-formed form with S3’s errors', async () => {
    const { url, fields } = await presigned();
    const notForm = await send('POST', url, { 'content-type': 'application/json' }, [Buffer.from('{}')]);
    expect([notForm.status, code(notForm.body)]).toEqual([412, 'PreconditionFailed']);
    const broken = await send('POST', url, { 'content-type': 'multipart/form-data; boundary=x' }, [
      Buffer.from('--x\r\nno header here\r\n\r\n'),
    ]);
    expect([broken.status, code(broken.body)]).toEqual([400, 'MalformedPOSTRequest']);
    const noFile = form(fields, pdf);
    const fieldsOnly = Buffer.from(
      Buffer.concat(noFile.parts.slice(0, 1))
        .toString()
        .replace(/--[^\r]+\r\nContent-Disposition: form-data; name="file".*$/s, ''),
    );
    const boundary = noFile.contentType.split('boundary=')[1];
    const missing = await send('POST', url, { 'content-type': noFile.contentType }, [
      fieldsOnly,
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    expect([missing.status, code(missing.body)]).toEqual([400, 'InvalidArgument']);
    const huge = await send('POST', url, { 'content-type': 'multipart/form-data; boundary=x' }, [
      Buffer.from(`--x\r\nContent-Disposition: form-data; name="pad"\r\n\r\n${'a'.repeat(30_000)}\r\n`),
    ]);
    expect([huge.status, code(huge.body)]).toEqual([400, 'MaxPostPreDataLengthExceeded']);
  });
});

describe('anything but the signed POST and the signed SDK', () => {
  it.each([
    ['GET', 'object'],
    ['HEAD', 'object'],
    ['PUT', 'object'],
    ['DELETE', 'object'],
    ['GET', 'bucket (list)'],
    ['GET', 'service (list buckets)'],
  ])('anonymous %s of the %s is refused (403 AccessDenied)', async (method, what) => {
    const { key } = await presigned();
    await s3.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: pdf }));
    const url =
      what === 'object'
        ? `${s3.endpoint}/${BUCKET}/${key}`
        : what.startsWith('bucket')
          ? `${s3.endpoint}/${BUCKET}`
          : `${s3.endpoint}/`;
    const answer = await send(
      method,
      url,
      method === 'PUT' ? { 'content-length': 3 } : {},
      method === 'PUT' ? [Buffer.from('bad')] : [],
    );
    expect(answer.status).toBe(403);
    if (method !== 'HEAD') expect(code(answer.body)).toBe('AccessDenied');
    const object = await s3.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await (object.Body?.transformToByteArray() ?? new Uint8Array()))).toEqual(pdf);
  });

  it('a forged Authorization header is refused (403 SignatureDoesNotMatch), nothing written', async () => {
    const key = `extracted/huaian-gov/${randomUUID()}.json`;
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const answer = await send(
      'PUT',
      `${s3.endpoint}/${BUCKET}/${key}`,
      {
        authorization: `AWS4-HMAC-SHA256 Credential=${process.env.AWS_ACCESS_KEY_ID}/${date.slice(0, 8)}/local/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
        'x-amz-date': date,
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        'content-length': 2,
      },
      [Buffer.from('{}')],
    );
    expect([answer.status, code(answer.body)]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(await stored(key)).toEqual([]);
  });

  it('a key with a .. segment is refused even when signed, and nothing lands outside the store', async () => {
    const climbing = `incoming/huaian-gov/../../../escaped-${randomUUID()}`;
    await expect(
      s3.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: climbing, Body: pdf })),
    ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    expect(existsSync(path.join(root, path.basename(climbing)))).toBe(false);
    expect(existsSync(path.join(root, `${path.basename(climbing)}._S3rver_object`))).toBe(false);
  });

  it('a signed copy whose source key climbs out of the store is refused, and nothing is copied in (issue 22 gap)', async () => {
    // A file laid out as the store lays out objects, beside the store's folder rather than in it.
    writeRawObjects(root, 'outside', [{ key: 'secret.txt', body: "not the bucket's" }]);
    const Key = `incoming/huaian-gov/2024/copied-${randomUUID()}.txt`;
    await expect(
      s3.s3.send(
        new CopyObjectCommand({ Bucket: BUCKET, Key, CopySource: `${BUCKET}/../../outside/secret.txt` }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    expect(await stored(Key)).toEqual([]);
  });

  it('a key the store cannot write (a name over 233 bytes) is 400 KeyTooLongError, and the gate goes on', async () => {
    const long = `incoming/huaian-gov/2023/${'政'.repeat(80)}.pdf`;
    await expect(
      s3.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: long, Body: pdf })),
    ).rejects.toMatchObject({
      name: 'KeyTooLongError',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await stored('incoming/huaian-gov/2023/政')).toEqual([]);
  });

  it('a path that does not decode is answered (400 InvalidURI), and the gate goes on', async () => {
    const answer = await send('GET', `${s3.endpoint}/${BUCKET}/%E0`, {});
    expect([answer.status, code(answer.body)]).toEqual([400, 'InvalidURI']);
    expect(await stored('nothing/')).toEqual([]);
  });
});
