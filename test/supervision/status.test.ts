import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRecordStore } from '../../functions/adapters/dynamo-record-store.ts';
import { DynamoReviewStore } from '../../functions/adapters/dynamo-review-store.ts';
import { DynamoSubmissionReader } from '../../functions/adapters/dynamo-submission-reader.ts';
import { STATUS_CSV_COLUMNS } from '../../functions/api/status-csv.ts';
import { createApiHandler } from '../../functions/handlers/api-handler.ts';
import { parseRegistry } from '../../functions/pipeline/registry.ts';
import { type OfficeYearStatus, officeYearStatus } from '../../functions/pipeline/year-status.ts';
import { startDynalite } from '../support/local-aws.ts';
import { uploadRecord } from '../support/submissions.ts';

/**
 * The status of a year for an office, from records stored by the real store on dynalite and read back
 * through the `bySubmission` index, and the API route on top of it with supervisors' and agencies' claims.
 */
const registry = parseRegistry({
  operators: [],
  offices: [
    { id: 'huaian-office', name: '淮安市政务公开办', supervisors: [] },
    { id: 'hongze-office', name: '洪泽区政务公开办', supervisors: [], supervisedBy: ['huaian-office'] },
    { id: 'qinghe-office', name: '清河区政务公开办', supervisors: [], supervisedBy: ['huaian-office'] },
  ],
  agencies: [
    {
      id: 'hongze-gov',
      name: '淮安市洪泽区人民政府',
      kind: 'government',
      supervisors: [],
      supervisedBy: ['huaian-office'],
    },
    {
      id: 'hongze-edu',
      name: '洪泽区教育局',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['hongze-office'],
    },
    {
      id: 'hongze-wsj',
      name: '洪泽区卫生健康委员会',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['hongze-office'],
    },
    {
      id: 'hongze-mz',
      name: '洪泽区民政局',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['hongze-office'],
    },
    {
      id: 'hongze-sj',
      name: '洪泽区审计局',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['hongze-office'],
    },
    {
      id: 'qinghe-gm',
      name: '清河区光明街道办事处',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['qinghe-office'],
    },
  ],
});

let dynamo: Awaited<ReturnType<typeof startDynalite>>;
let store: DynamoRecordStore;
let reader: DynamoSubmissionReader;
beforeAll(async () => {
  dynamo = await startDynalite();
  store = new DynamoRecordStore(dynamo.db, dynamo.tableName);
  reader = new DynamoSubmissionReader(dynamo.db, dynamo.tableName);
});
afterAll(() => dynamo.stop());

const upload = (...args: Parameters<typeof uploadRecord> extends [unknown, ...infer R] ? R : never) =>
  uploadRecord(store, ...args);

const NOW = new Date('2025-06-01T00:00:00+08:00');
beforeAll(async () => {
  // hongze-gov: failed, then a valid upload (a new key) before its 31 March deadline.
  await upload('hongze-gov', 2024, '2025-03-01T10:00:00+08:00', 'failed');
  await upload('hongze-gov', 2024, '2025-03-31T23:59:00+08:00', 'valid');
  // hongze-edu: valid on time, then a failed upload of a new version of the same key: the failure counts.
  const key = await upload('hongze-edu', 2024, '2025-01-20T09:00:00+08:00', 'valid', { versionId: 'v1' });
  await upload('hongze-edu', 2024, '2025-01-25T09:00:00+08:00', 'failed', { key, versionId: 'v2' });
  // hongze-wsj: invalid, one minute into 1 February: late.
  await upload('hongze-wsj', 2024, '2025-02-01T00:00:00+08:00', 'invalid');
  // hongze-mz: a failure, then the same key's next version reads as valid.
  const mz = await upload('hongze-mz', 2024, '2025-01-10T09:00:00+08:00', 'failed', { versionId: 'a' });
  await upload('hongze-mz', 2024, '2025-01-11T09:00:00+08:00', 'valid', { key: mz, versionId: 'b' });
  // hongze-sj: only last year's report; this year nothing.
  await upload('hongze-sj', 2023, '2024-01-05T09:00:00+08:00', 'valid');
  // Another office's agency: never part of hongze's answer.
  await upload('qinghe-gm', 2024, '2025-01-05T09:00:00+08:00', 'valid');
});

describe('status of a year for an office', () => {
  it('each agency below the office with its state, time, lateness and findings', async () => {
    const status = await officeYearStatus(registry, 'huaian-office', 2024, reader, { now: NOW });
    const rows = Object.fromEntries(status.agencies.map((a) => [a.agencyId, a]));
    expect(rows['hongze-gov']).toMatchObject({ status: 'VALID', timing: 'ON_TIME', late: false, errors: 0 });
    expect(rows['hongze-gov']?.uploadedAt).toBe('2025-03-31T15:59:00.000Z');
    expect(rows['hongze-edu']).toMatchObject({
      status: 'FAILED',
      timing: 'ON_TIME',
      mainCodes: ['FILE_ENCRYPTED'],
    });
    expect(rows['hongze-wsj']).toMatchObject({
      status: 'INVALID',
      timing: 'LATE',
      late: true,
      errors: 2,
      mainCodes: ['REQUESTS_BALANCE', 'REQUESTS_ROW_TOTAL'],
    });
    expect(rows['hongze-mz']).toMatchObject({ status: 'VALID', timing: 'ON_TIME', errors: 0, mainCodes: [] });
    expect(rows['hongze-sj']).toMatchObject({ status: 'NOT_SUBMITTED', timing: 'OVERDUE', uploadedAt: null });
    expect(rows['qinghe-gm']).toMatchObject({ status: 'VALID' });
    expect(status.counts).toEqual({ NOT_SUBMITTED: 1, FAILED: 1, INVALID: 1, VALID: 3, total: 6, late: 2 });

    const county = await officeYearStatus(registry, 'hongze-office', 2024, reader, { now: NOW });
    expect(county.agencies.map((a) => a.agencyId)).toEqual([
      'hongze-edu',
      'hongze-wsj',
      'hongze-mz',
      'hongze-sj',
    ]);
    const before = await officeYearStatus(registry, 'hongze-office', 2023, reader, { now: NOW });
    expect(before.counts).toMatchObject({ VALID: 1, NOT_SUBMITTED: 3 });
  });
});

/** The API as API Gateway calls it: claims from the user pool's ID token. */
const handler = createApiHandler({
  signer: { presignPost: async () => ({ url: '', fields: {} }) },
  records: { current: (key) => store.current(key) },
  // The supervision routes list nothing: a lister that says so if it is ever asked.
  lister: {
    list: async () => {
      throw new Error('the supervision routes do not list uploads');
    },
  },
  policy: { minBytes: 1, maxBytes: 1, contentTypes: [], expiresSeconds: 60 },
  get reviews() {
    return new DynamoReviewStore(dynamo.db, dynamo.tableName);
  },
  logger: new Logger({ logLevel: 'SILENT' }),
  supervision: {
    registry,
    get submissions() {
      return reader;
    },
    get reviews() {
      return new DynamoReviewStore(dynamo.db, dynamo.tableName);
    },
    records: { current: (key) => store.current(key) },
    now: () => NOW,
  },
});
const supervisor = (officeId: string) => ({ 'custom:officeId': officeId, 'cognito:groups': '[supervisors]' });
function get(
  path: string,
  claims: Record<string, string>,
  options: { query?: Record<string, string>; accept?: string } = {},
) {
  const [year, agencyId] = path.split('/').slice(2);
  return handler({
    version: '2.0',
    routeKey: agencyId === undefined ? 'GET /supervision/{year}' : 'GET /supervision/{year}/{agencyId}',
    rawPath: path,
    rawQueryString: '',
    headers: options.accept === undefined ? {} : { accept: options.accept },
    queryStringParameters: options.query,
    pathParameters: { year: year ?? '', ...(agencyId === undefined ? {} : { agencyId }) },
    requestContext: {
      routeKey: '',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'test' },
      authorizer: { jwt: { claims, scopes: [] } },
    },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer);
}

describe('GET /supervision/{year}', () => {
  it('answers a supervisor with their subtree, and sub-offices within it on request', async () => {
    const out = await get('/supervision/2024', supervisor('hongze-office'));
    expect(out.statusCode).toBe(200);
    const body = JSON.parse(out.body ?? '') as OfficeYearStatus;
    expect(body.agencies.map((a) => a.agencyId)).toEqual([
      'hongze-edu',
      'hongze-wsj',
      'hongze-mz',
      'hongze-sj',
    ]);
    const sub = await get('/supervision/2024', supervisor('huaian-office'), {
      query: { office: 'qinghe-office' },
    });
    expect(JSON.parse(sub.body ?? '').agencies.map((a: { agencyId: string }) => a.agencyId)).toEqual([
      'qinghe-gm',
    ]);
  });

  it('403 for an office outside the subtree, an agency token, a token without the group or office', async () => {
    const statusOf = async (...args: Parameters<typeof get>) => (await get(...args)).statusCode;
    expect(
      await statusOf('/supervision/2024', supervisor('hongze-office'), {
        query: { office: 'huaian-office' },
      }),
    ).toBe(403);
    expect(
      await statusOf('/supervision/2024', supervisor('hongze-office'), {
        query: { office: 'qinghe-office' },
      }),
    ).toBe(403);
    expect(await statusOf('/supervision/2024', { 'custom:agencyId': 'hongze-edu' })).toBe(403);
    expect(await statusOf('/supervision/2024', { 'custom:officeId': 'hongze-office' })).toBe(403);
    expect(await statusOf('/supervision/2024', { 'cognito:groups': '[supervisors]' })).toBe(403);
    expect(await statusOf('/supervision/2024', supervisor('ghost-office'))).toBe(403);
    expect(await statusOf('/supervision/2024/qinghe-gm', supervisor('hongze-office'))).toBe(403);
    expect(await statusOf('/supervision/2024/hongze-edu', { 'custom:agencyId': 'hongze-edu' })).toBe(403);
    expect(await statusOf('/supervision/20x4', supervisor('hongze-office'))).toBe(400);
  });

  it("an agency's findings for a supervisor above it", async () => {
    const out = await get('/supervision/2024/hongze-wsj', supervisor('huaian-office'));
    expect(out.statusCode).toBe(200);
    const body = JSON.parse(out.body ?? '');
    expect(body.record.status).toBe('INVALID');
    expect(body.record.issues.map((i: { code: string }) => i.code)).toContain('REQUESTS_BALANCE');
    const none = JSON.parse(
      (await get('/supervision/2024/hongze-sj', supervisor('hongze-office'))).body ?? '',
    );
    expect(none).toMatchObject({ submission: null, record: null });
  });

  it('CSV with Accept: text/csv or ?format=csv: BOM, the columns, Chinese intact', async () => {
    for (const options of [{ accept: 'text/csv' }, { query: { format: 'csv' } }]) {
      const out = await get('/supervision/2024', supervisor('hongze-office'), options);
      expect(out.headers?.['content-type']).toBe('text/csv; charset=utf-8');
      const bytes = Buffer.from(out.body ?? '', 'utf8');
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
      expect(lines[0]).toBe(STATUS_CSV_COLUMNS.map(([name]) => name).join(','));
      expect(lines[0]).toBe(
        '机关标识,机关名称,类别,状态,状态代码,截止时间,最近上传时间,是否按时,错误数,警告数,主要问题代码',
      );
      expect(lines).toHaveLength(5);
      expect(lines[2]).toBe(
        'hongze-wsj,洪泽区卫生健康委员会,部门,有错误,INVALID,2025-01-31 23:59,2025-02-01 00:00,逾期提交,2,0,REQUESTS_BALANCE REQUESTS_ROW_TOTAL',
      );
      expect(lines[4]).toBe(
        'hongze-sj,洪泽区审计局,部门,未提交,NOT_SUBMITTED,2025-01-31 23:59,,逾期未提交,0,0,',
      );
    }
  });
});
