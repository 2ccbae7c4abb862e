import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../functions/adapters/sns-notifier.ts';
import { createExtractHandler } from '../../functions/handlers/extract-handler.ts';
import { createParseHandler } from '../../functions/handlers/parse-handler.ts';
import { extractedKeyFor } from '../../functions/pipeline/keys.ts';
import { PARSE_BUDGET } from '../../functions/pipeline/parse-budget.ts';
import type { ObjectStore } from '../../functions/pipeline/ports.ts';
import type { Registry } from '../../functions/pipeline/registry.ts';
import { ReportRecord } from '../../functions/report/index.ts';
import { fixturePath } from '../support/fixtures.ts';
import { carryoverSpec, renderReport } from '../support/report-builder.ts';
import { type CreatedObject, describeBytes, s3EventBody, sqsEvent, TEST_EVENT } from '../support/s3-event.ts';
import { upload as uploadTo, useLocalAws } from './local-aws-suite.ts';

/**
 * The two Lambdas end to end on real APIs: dynalite for DynamoDB, s3rver for S3, the real extractor.
 * SNS has no emulator: its client is mocked and the PublishCommand inputs are checked.
 */
const registry: Registry = {
  operators: ['ops@example.gov.cn'],
  offices: [{ id: 'test-office', name: '测试政务公开办', supervisors: [], supervisedBy: [] }],
  agencies: [
    {
      id: 'hongze-gov',
      name: '淮安市洪泽区人民政府',
      kind: 'government',
      supervisors: ['a@example.gov.cn'],
      supervisedBy: ['test-office'],
    },
    {
      id: 'qinghe-guangming',
      name: '清河区光明街道办事处',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['test-office'],
    },
  ],
};
const PREFIX = 'arn:aws-cn:sns:cn-north-1:123456789012:ReportPipeline-agency-';
const OPERATORS = 'arn:aws-cn:sns:cn-north-1:123456789012:ReportPipeline-operators';

const logger = new Logger({ logLevel: 'SILENT' });
const aws = useLocalAws();
const { sns } = aws;

const notifier = () =>
  new SnsNotifier(new SNSClient({ region: 'cn-north-1' }), {
    agencyTopicArnPrefix: PREFIX,
    operatorsTopicArn: OPERATORS,
  });
const extractHandler = (store: ObjectStore = aws.objects) =>
  createExtractHandler({ objects: store, extractor: aws.extractor, logger });
const parseHandler = () =>
  createParseHandler({
    objects: aws.objects,
    records: aws.records,
    notifier: notifier(),
    registry,
    noticeLeaseMs: 0,
    reviews: aws.reviews,
    logger,
  });

const upload = (key: string, body: Uint8Array | string, options: Partial<CreatedObject> = {}) =>
  uploadTo(aws, key, body, options);

/** The event S3 sends when the extract step stores its document for `created`. */
function extractionOf(created: CreatedObject): CreatedObject {
  const agencyId = created.key.split('/')[1] ?? '';
  return {
    ...created,
    key: extractedKeyFor(agencyId, created.key, created.versionId ?? null),
    versionId: undefined,
  };
}

/** What S3 and SQS would do: the upload event to the extract function, the extraction's event to parse. */
async function deliver(created: CreatedObject, times = 1) {
  const results = [];
  for (let i = 0; i < times; i++) {
    expect(await extractHandler()(sqsEvent(s3EventBody([created])))).toEqual({ batchItemFailures: [] });
    results.push(await parseHandler()(sqsEvent(s3EventBody([extractionOf(created)]))));
  }
  return results;
}

async function itemsFor(key: string) {
  const out = await aws.dynamo.db.send(
    new QueryCommand({
      TableName: aws.dynamo.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `upload#${key}` } },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => ({
    sk: i.sk?.S,
    record: ReportRecord.parse(JSON.parse(i.record?.S ?? '')),
    notifiedAt: i.notifiedAt?.S,
  }));
}

const fixture = (...p: string[]) => readFileSync(fixturePath(...p));
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

describe('an upload becomes one record', () => {
  it('with a Chinese file name with spaces and parentheses, URL-encoded in the event', async () => {
    const key = 'incoming/hongze-gov/2024/洪泽区 2024年 政府信息公开（年报）.pdf';
    const created = await upload(key, fixture('real', 'hongze-2024.pdf'));
    expect(s3EventBody([created])).toContain('incoming/hongze-gov/2024/%E6%B4%AA%E6%B3%BD%E5%8C%BA+2024');
    await deliver(created);
    const items = await itemsFor(key);
    expect(items.map((i) => i.sk).sort()).toEqual(['current', 'version#unversioned']);
    const record = items[0]?.record;
    expect(record?.upload?.key).toBe(key);
    expect(record?.agencyId).toBe('hongze-gov');
    expect(record?.year).toBe(2024);
    expect(record?.status).toBe('VALID');
    expect(published()).toEqual([]);
  });

  it('the same event three times gives one record and one notification', async () => {
    const key = 'incoming/hongze-gov/2023/hongze-2023.pdf';
    const created = await upload(key, fixture('real', 'hongze-2023.pdf'));
    const outcomes = await deliver(created, 3);
    expect(outcomes.every((o) => o.batchItemFailures.length === 0)).toBe(true);
    const items = await itemsFor(key);
    expect(items).toHaveLength(2);
    expect(items.find((i) => i.sk?.startsWith('version'))?.notifiedAt).toBeDefined();
    expect(published()).toHaveLength(1);
    const message = published()[0];
    expect(message?.TopicArn).toBe(`${PREFIX}hongze-gov`);
    expect(message?.Message).toContain(`文件：${key}`);
    expect(message?.Message).toContain('APPEALS_GROUP_TOTAL（第四部分 · 行政复议 · 总计）');
    expect(Buffer.byteLength(message?.Message ?? '')).toBeLessThan(256 * 1024);
    expect(message?.MessageAttributes).toEqual({
      agencyId: { DataType: 'String', StringValue: 'hongze-gov' },
      year: { DataType: 'String', StringValue: '2023' },
      status: { DataType: 'String', StringValue: 'INVALID' },
      codes: { DataType: 'String.Array', StringValue: '["APPEALS_GROUP_TOTAL","TEMPLATE_OUTDATED"]' },
      noticeId: { DataType: 'String', StringValue: `${key}#unversioned#0` },
    });
  });

  it('a notification that failed to go out is sent when the event comes again', async () => {
    const key = 'incoming/hongze-gov/2023/retry.pdf';
    const created = await upload(key, fixture('real', 'hongze-2023.pdf'));
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    const [first] = await deliver(created);
    expect(first?.batchItemFailures).toHaveLength(1);
    const [second] = await deliver(created);
    expect(second?.batchItemFailures).toEqual([]);
    expect(published()).toHaveLength(2);
    expect((await itemsFor(key)).filter((i) => i.sk?.startsWith('version'))).toHaveLength(1);
  });

  it("an older version's event arriving after a newer one never overwrites it", async () => {
    // s3rver keeps no versions, so each version is extracted while it is the object's content; the two
    // extractions' events then reach the parse step newest first.
    const key = 'incoming/qinghe-guangming/2023/report.txt';
    const older = await upload(key, fixture('synthetic', 'appeals-litigation-direct-total-broken.txt'), {
      versionId: 'v1-older',
    });
    await extractHandler()(sqsEvent(s3EventBody([older])));
    const newer = await upload(key, renderReport(spec(2023, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0])), {
      versionId: 'v2-newer',
    });
    await extractHandler()(sqsEvent(s3EventBody([newer])));
    await parseHandler()(sqsEvent(s3EventBody([extractionOf(newer)])));
    await parseHandler()(sqsEvent(s3EventBody([extractionOf(older)])));
    const items = await itemsFor(key);
    expect(items.map((i) => i.sk).sort()).toEqual(['current', 'version#v1-older', 'version#v2-newer']);
    const current = items.find((i) => i.sk === 'current')?.record;
    expect(current?.upload?.versionId).toBe('v2-newer');
    expect(current?.status).toBe('VALID');
    // The older version's record exists (one per version) but supervisors hear nothing about it.
    expect(items.find((i) => i.sk === 'version#v1-older')?.record.status).toBe('INVALID');
    expect(published()).toEqual([]);
  });
});

const spec = carryoverSpec;

describe('cross-year checks', () => {
  it("CARRYOVER_MISMATCH when 上年结转 differs from last year's 结转下年度", async () => {
    await deliver(
      await upload(
        'incoming/qinghe-guangming/2021/a.txt',
        renderReport(spec(2021, [0, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0])),
      ),
    );
    const key = 'incoming/qinghe-guangming/2022/b.txt';
    await deliver(await upload(key, renderReport(spec(2022, [1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]))));
    const record = (await itemsFor(key))[0]?.record;
    expect(
      record?.issues
        .filter((i) => i.code === 'CARRYOVER_MISMATCH')
        .map((i) => [i.column, i.expected, i.actual]),
    ).toEqual([
      ['naturalPerson', 2, 1],
      ['commercial', 1, 0],
      ['total', 3, 1],
    ]);
    expect(record?.status).toBe('INVALID');
    expect(published()[0]?.Message).toContain('CARRYOVER_MISMATCH');
  });

  it('no finding when the carry-over matches the real 洪泽区 pair (2023 → 2024)', async () => {
    const key = 'incoming/hongze-gov/2024/again.pdf';
    await deliver(await upload(key, fixture('real', 'hongze-2024.pdf')));
    const record = (await itemsFor(key))[0]?.record;
    expect(record?.issues.map((i) => i.code)).not.toContain('CARRYOVER_MISMATCH');
  });

  it('LATE_PUBLICATION after 31 January for a department, not before 31 March for a government', async () => {
    const late = 'incoming/qinghe-guangming/2023/late.txt';
    await deliver(
      await upload(late, renderReport(spec(2023, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0])), {
        eventTime: '2024-02-01T03:00:00.000Z',
      }),
    );
    const lateRecord = (await itemsFor(late))[0]?.record;
    expect(lateRecord?.issues.find((i) => i.code === 'LATE_PUBLICATION')).toMatchObject({
      severity: 'warning',
      message: '2023年度报告应于2024-01-31前公开，实际上传于2024-02-01',
    });
    const onTime = 'incoming/hongze-gov/2024/march.pdf';
    await deliver(
      await upload(onTime, fixture('real', 'hongze-2024.pdf'), { eventTime: '2025-03-20T03:00:00.000Z' }),
    );
    expect((await itemsFor(onTime))[0]?.record.issues.map((i) => i.code)).not.toContain('LATE_PUBLICATION');
  });
});

describe('failures end in a record, and only transient ones are retried', () => {
  it('a corrupt file is a FAILED record with its code, and the agency is told', async () => {
    const key = 'incoming/hongze-gov/2024/broken.pdf';
    await deliver(await upload(key, '%PDF-1.7\n1 0 obj garbage'));
    const record = (await itemsFor(key))[0]?.record;
    expect(record?.status).toBe('FAILED');
    expect(record?.failure?.code).toBe('FILE_CORRUPT');
    expect(published()[0]).toMatchObject({ TopicArn: `${PREFIX}hongze-gov` });
  });

  it("an unregistered agency's report still gets its record; its failure goes to the operators", async () => {
    const key = 'incoming/unknown-bureau/2024/x.pdf';
    await deliver(await upload(key, fixture('synthetic', 'appeals-litigation-direct-total-broken.pdf')));
    expect((await itemsFor(key))[0]?.record.status).toBe('INVALID');
    expect(published()[0]?.TopicArn).toBe(OPERATORS);
  });

  it('a transient S3 failure returns the message for retry; nothing is recorded', async () => {
    const created = await upload('incoming/hongze-gov/2024/flaky.pdf', fixture('real', 'hongze-2024.pdf'));
    const failing: ObjectStore = {
      get: () => Promise.reject(Object.assign(new Error('Slow Down'), { name: 'SlowDown' })),
      put: () => Promise.reject(new Error('unreachable')),
    };
    const event = sqsEvent(s3EventBody([created]), TEST_EVENT);
    const result = await extractHandler(failing)(event);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
    expect(await itemsFor(created.key)).toEqual([]);
  });

  it('a read that is not what the event announced (size or MD5) is retried, never a FILE_EMPTY record', async () => {
    const key = 'incoming/hongze-gov/2024/torn.pdf';
    const body = fixture('real', 'hongze-2024.pdf');
    // The event of the real upload; the embedded S3 still holds an empty object (the torn read of 12.2).
    await aws.s3.s3.send(new PutObjectCommand({ Bucket: aws.s3.bucket, Key: key, Body: '' }));
    const created: CreatedObject = { bucket: aws.s3.bucket, key, sequencer: 'A100', ...describeBytes(body) };
    const event = sqsEvent(s3EventBody([created]));
    expect((await extractHandler()(event)).batchItemFailures).toHaveLength(1);
    // Same size, other bytes: the MD5 tells.
    const other = Buffer.from(body);
    other[other.length - 2] = 0x20;
    await aws.s3.s3.send(new PutObjectCommand({ Bucket: aws.s3.bucket, Key: key, Body: other }));
    expect((await extractHandler()(event)).batchItemFailures).toHaveLength(1);
    expect(await aws.objects.get(aws.s3.bucket, extractedKeyFor('hongze-gov', key, null))).toBeNull();
    // The data lands; the redelivered message succeeds.
    await aws.s3.s3.send(new PutObjectCommand({ Bucket: aws.s3.bucket, Key: key, Body: body }));
    expect(await deliver(created)).toEqual([{ batchItemFailures: [] }]);
    expect((await itemsFor(key))[0]?.record.status).toBe('VALID');
  });

  it('a multipart ETag (…-N) is no MD5: only the size is compared', async () => {
    const key = 'incoming/hongze-gov/2024/multipart.pdf';
    const created = await upload(key, fixture('real', 'hongze-2024.pdf'), {
      eTag: '"6f1ed002ab5595859014ebf0951522d9-3"',
    });
    const wrongSize = sqsEvent(s3EventBody([{ ...created, size: 17 }]));
    expect((await extractHandler()(wrongSize)).batchItemFailures).toHaveLength(1);
    expect(await deliver(created)).toEqual([{ batchItemFailures: [] }]);
  });

  it('a document over the parse budget is a FILE_TOO_LARGE record, whether extracted here or stored before', async () => {
    const lines = PARSE_BUDGET.maxLines + 1;
    const text = Array.from({ length: lines }, (_, i) => `第${i}行 政府信息公开`).join('\n');
    const key = 'incoming/hongze-gov/2024/long.txt';
    await deliver(await upload(key, text));
    const record = (await itemsFor(key))[0]?.record;
    expect(record?.status).toBe('FAILED');
    expect(record?.failure?.code).toBe('FILE_TOO_LARGE');
    expect(record?.failure?.message).toContain(`超过 ${PARSE_BUDGET.maxLines} 行`);

    // A claim-check document stored without the budget (an older extract step, a re-parse) is bounded too.
    const stale = 'incoming/hongze-gov/2024/stale.txt';
    const created = await upload(stale, 'x');
    const document = {
      format: 'text',
      pages: [
        {
          number: 1,
          lines: Array.from({ length: lines }, () => ({
            cells: [{ text: '字', x0: 0, x1: 1 }],
            table: false,
          })),
        },
      ],
      warnings: [],
    };
    const envelope = {
      envelopeVersion: 1,
      agencyId: 'hongze-gov',
      upload: {
        bucket: created.bucket,
        key: stale,
        versionId: null,
        sequencer: created.sequencer,
        eventTime: '2024-01-20T02:00:00.000Z',
        size: 1,
      },
      sha256: 'a'.repeat(64),
      bytes: 1,
      extractedAt: '2024-01-20T02:00:01.000Z',
      result: { ok: true, document },
    };
    await aws.objects.put(
      aws.s3.bucket,
      extractedKeyFor('hongze-gov', stale, null),
      JSON.stringify(envelope),
      'application/json',
    );
    expect(await parseHandler()(sqsEvent(s3EventBody([extractionOf(created)])))).toEqual({
      batchItemFailures: [],
    });
    expect((await itemsFor(stale))[0]?.record.failure?.code).toBe('FILE_TOO_LARGE');
  });

  it('the s3:TestEvent and a message that is no S3 event are not retried', async () => {
    expect(await extractHandler()(sqsEvent(TEST_EVENT, 'not json', '{"Records":[{"foo":1}]}'))).toEqual({
      batchItemFailures: [],
    });
  });

  it('every record in the table validates against the record schema', async () => {
    const out = await aws.dynamo.db.send(new ScanCommand({ TableName: aws.dynamo.tableName }));
    expect(out.Items?.length).toBeGreaterThan(10);
    for (const item of out.Items ?? []) ReportRecord.parse(JSON.parse(item.record?.S ?? ''));
  });
});
