import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { s3Client } from '../../functions/adapters/clients.ts';
import { S3PostSigner } from '../../functions/adapters/s3-post-signer.ts';
import { keyForUploadId, safeFileName, uploadIdFor, uploadKey } from '../../functions/api/upload-keys.ts';
import { DEFAULT_UPLOAD_POLICY, type PostSigner } from '../../functions/api/uploads.ts';
import { createApiHandler } from '../../functions/handlers/api-handler.ts';
import { parseUploadKey } from '../../functions/pipeline/keys.ts';
import type { ReportRecord } from '../../functions/report/index.ts';

/** The upload API's handler on API Gateway HTTP API (payload 2.0) events with JWT authorizer claims. */
function event(
  routeKey: string,
  claims: Record<string, string>,
  options: { body?: unknown; id?: string } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1] ?? '/',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method: routeKey.split(' ')[0] ?? 'GET',
        path: '/uploads',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.1',
        userAgent: 'test',
      },
      requestId: 'r',
      routeKey,
      stage: '$default',
      time: '20/Jan/2024:02:00:00 +0000',
      timeEpoch: 1705716000000,
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
    ...(options.id === undefined ? {} : { pathParameters: { id: options.id } }),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
  };
}

const logger = new Logger({ logLevel: 'SILENT' });
const signed: Parameters<PostSigner['presignPost']>[0][] = [];
const signer: PostSigner = {
  presignPost: async (r) => {
    signed.push(r);
    return { url: 'https://bucket.s3.example.com/', fields: { key: r.key } };
  },
};
const stored = new Map<string, ReportRecord>();
const handler = createApiHandler({
  signer,
  records: { current: async (key) => stored.get(key) ?? null },
  // GET /uploads (the listing) is tested against s3rver in list-uploads.test.ts.
  lister: { list: async () => [] },
  policy: DEFAULT_UPLOAD_POLICY,
  // No decisions recorded: reviews are tested against dynalite in test/api/review.test.ts.
  reviews: {
    decisions: async () => [],
    decide: async () => {
      throw new Error('the upload routes never decide');
    },
  },
  logger,
});
const claims = (agencyId: string) => ({ sub: 'u-1', 'custom:agencyId': agencyId });

describe('POST /uploads', () => {
  it("builds the key from the caller's claim, never from the request", async () => {
    const res = await handler(
      event('POST /uploads', claims('huaian-gov'), {
        body: {
          fileName: '../../hongze-gov/2024/年报 (终稿).pdf',
          year: 2024,
          contentType: 'application/pdf',
        },
      }),
    );
    expect(res.statusCode).toBe(201);
    const body = JSON.parse(String(res.body));
    expect(body.key).toMatch(/^incoming\/huaian-gov\/2024\/[0-9a-f-]{36}-年报_\(终稿\)\.pdf$/);
    expect(keyForUploadId('huaian-gov', body.uploadId)).toBe(body.key);
    expect(signed.at(-1)).toMatchObject({
      contentType: 'application/pdf',
      minBytes: 1,
      maxBytes: 50 * 1024 * 1024,
    });
    expect(signed.at(-1)?.expiresSeconds).toBeLessThanOrEqual(900);
  });

  it('refuses a caller without an agency claim, unknown types and malformed bodies', async () => {
    expect((await handler(event('POST /uploads', { sub: 'x' }, { body: {} }))).statusCode).toBe(403);
    expect((await handler(event('POST /uploads', claims('../x'), { body: {} }))).statusCode).toBe(403);
    const exe = await handler(
      event('POST /uploads', claims('huaian-gov'), {
        body: { fileName: 'a.exe', year: 2024, contentType: 'application/x-msdownload' },
      }),
    );
    expect(exe.statusCode).toBe(415);
    const extra = await handler(
      event('POST /uploads', claims('huaian-gov'), {
        body: { fileName: 'a.pdf', year: 2024, contentType: 'application/pdf', key: 'incoming/other/x' },
      }),
    );
    expect(extra.statusCode).toBe(400);
  });

  it('the real signer puts the size range, the content type and encryption in the policy', async () => {
    const real = new S3PostSigner(s3Client({ AWS_REGION: 'cn-north-1' }), 'uploads');
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'secret';
    const post = await real.presignPost({
      key: 'incoming/a/2024/k.pdf',
      contentType: 'application/pdf',
      minBytes: 1,
      maxBytes: 1000,
      expiresSeconds: 3600,
    });
    const policy = JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, 1000],
        ['eq', '$Content-Type', 'application/pdf'],
        ['eq', '$x-amz-server-side-encryption', 'AES256'],
        { key: 'incoming/a/2024/k.pdf' },
      ]),
    );
    const expires = new Date(policy.expiration).getTime() - Date.now();
    expect(expires).toBeLessThanOrEqual(900_000);
  });
});

describe('upload keys (property)', () => {
  it("no file name escapes the caller's prefix", () => {
    const name = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      fc
        .array(
          fc.constantFrom(
            '..',
            '/',
            '\\',
            '%2F',
            '.',
            'incoming',
            'other-agency',
            '年报',
            ' ',
            '\u0000',
            '\u202e',
          ),
          { maxLength: 20 },
        )
        .map((p) => p.join('')),
    );
    fc.assert(
      fc.property(
        name,
        fc.uuid({ version: 4 }),
        fc.integer({ min: 2008, max: 2100 }),
        (fileName, uuid, year) => {
          const key = uploadKey('huaian-gov', year, uuid, fileName);
          expect(key.startsWith(`incoming/huaian-gov/${year}/${uuid}-`)).toBe(true);
          expect(key.split('/')).toHaveLength(4);
          expect(parseUploadKey(key)?.agencyId).toBe('huaian-gov');
          expect(keyForUploadId('huaian-gov', uploadIdFor(key))).toBe(key);
          expect(safeFileName(fileName)).not.toMatch(/^\.|[/\\]/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("no id opens another agency's key", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        const id = Buffer.from(raw).toString('base64url');
        const key = keyForUploadId('huaian-gov', id);
        if (key !== null) expect(parseUploadKey(key)?.agencyId).toBe('huaian-gov');
      }),
    );
  });
});

describe('GET /uploads/{id}', () => {
  it("returns PENDING, then the record's status and issues, for the caller's agency only", async () => {
    const res = await handler(
      event('POST /uploads', claims('huaian-gov'), {
        body: { fileName: 'r.pdf', year: 2024, contentType: 'application/pdf' },
      }),
    );
    const { uploadId, key } = JSON.parse(String(res.body));
    const pending = await handler(event('GET /uploads/{id}', claims('huaian-gov'), { id: uploadId }));
    expect(JSON.parse(String(pending.body)).status).toBe('PENDING');
    stored.set(key, {
      status: 'INVALID',
      agency: '淮安市人民政府',
      year: 2024,
      summary: { errors: 1, warnings: 0 },
      failure: null,
      issues: [
        {
          code: 'CELL_MISSING',
          severity: 'error',
          section: 4,
          group: 'review',
          message: '第四部分表格"行政复议"各项均为空',
        },
      ],
    } as ReportRecord);
    const done = JSON.parse(
      String((await handler(event('GET /uploads/{id}', claims('huaian-gov'), { id: uploadId }))).body),
    );
    expect(done).toMatchObject({ status: 'INVALID', issues: [{ code: 'CELL_MISSING' }] });

    // Another agency presenting the same id reads its own prefix, where nothing is: not found, never the record.
    const other = await handler(event('GET /uploads/{id}', claims('hongze-gov'), { id: uploadId }));
    expect(JSON.parse(String(other.body)).status).toBe('PENDING');
    expect(JSON.parse(String(other.body)).key.startsWith('incoming/hongze-gov/')).toBe(true);
    expect(
      (await handler(event('GET /uploads/{id}', claims('hongze-gov'), { id: 'Li4vLi4v' }))).statusCode,
    ).toBe(404);
  });
});
