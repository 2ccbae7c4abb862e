import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { SnsNotifier } from '../../functions/adapters/sns-notifier.ts';
import { extractDocument } from '../../functions/extract/index.ts';
import { createExtractHandler } from '../../functions/handlers/extract-handler.ts';
import { createParseHandler } from '../../functions/handlers/parse-handler.ts';
import { createReevaluateHandler } from '../../functions/handlers/reevaluate-handler.ts';
import { extractedKeyFor } from '../../functions/pipeline/keys.ts';
import type { RecordStore } from '../../functions/pipeline/ports.ts';
import { reevaluateAgainstPreviousYear } from '../../functions/pipeline/reevaluate.ts';
import type { Registry } from '../../functions/pipeline/registry.ts';
import { CURRENT_SK, uploadPk, versionSk } from '../../functions/pipeline/table-layout.ts';
import { checkDocument, type ReportRecord } from '../../functions/report/index.ts';
import { decodeItem } from '../../functions/stream/items.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { StreamingRecordStore } from '../../local/streaming-store.ts';
import { consistentAppeals, consistentRequests, renderReport } from '../support/report-builder.ts';
import { type CreatedObject, describeBytes, s3EventBody, sqsEvent } from '../support/s3-event.ts';
import { useLocalAws } from './local-aws-suite.ts';

/**
 * A message always says what the stored record says (issue 12.1): repeated events and identical bytes
 * change nothing; a previous year's report arriving later re-evaluates this year's record through the
 * table's stream, as a stored revision with its reason, notified only when the status got worse. And the
 * notice is claimed before it is published, so a crash leaves a flagged duplicate at worst (12.8).
 */
const registry: Registry = {
  operators: [],
  offices: [{ id: 'test-office', name: '测试政务公开办', supervisors: [], supervisedBy: [] }],
  agencies: [
    {
      id: 'qinghe-edu',
      name: '清河区教育局',
      kind: 'department',
      supervisors: ['s@example.gov.cn'],
      supervisedBy: ['test-office'],
    },
  ],
};
const PREFIX = 'arn:aws-cn:sns:cn-north-1:123456789012:P-agency-';
const logger = new Logger({ logLevel: 'SILENT' });
const aws = useLocalAws();
const { sns } = aws;

const notifier = new SnsNotifier(new SNSClient({ region: 'cn-north-1' }), {
  agencyTopicArnPrefix: PREFIX,
  operatorsTopicArn: 'arn:aws-cn:sns:cn-north-1:123456789012:P-operators',
});

/** The records store as the pipeline sees it on AWS: every write reaches the re-evaluation consumer. */
function streamingStore(noticeLeaseMs = 0) {
  let reevaluate: ReturnType<typeof createReevaluateHandler>;
  const store = new StreamingRecordStore(aws.records, aws.dynamo.tableName, async (batch) => {
    const out = await reevaluate({ Records: batch });
    expect(out.batchItemFailures).toEqual([]);
  });
  reevaluate = createReevaluateHandler({
    records: store,
    notifier,
    registry,
    noticeLeaseMs,
    reviews: aws.reviews,
    logger,
  });
  return store;
}

let sequence = 0x1000;
/**
 * The version id the local S3 gave a put delivered with a label (`versionId`): each put has its own, as
 * on a versioned bucket, and a read of a version the bucket does not hold finds nothing.
 */
const versionIds = new Map<string, string>();
const versionOf = (label: string | null) => (label === null ? null : (versionIds.get(label) ?? label));
async function deliver(
  key: string,
  body: string,
  options: { versionId?: string; records?: RecordStore; noticeLeaseMs?: number } = {},
) {
  const put = await aws.s3.s3.send(new PutObjectCommand({ Bucket: aws.s3.bucket, Key: key, Body: body }));
  if (options.versionId !== undefined) versionIds.set(options.versionId, put.VersionId ?? '');
  const versionId = options.versionId === undefined ? undefined : versionOf(options.versionId);
  sequence += 0x10;
  const created: CreatedObject = {
    bucket: aws.s3.bucket,
    key,
    sequencer: sequence.toString(16).toUpperCase(),
    ...describeBytes(body),
    ...(versionId === undefined || versionId === null ? {} : { versionId }),
  };
  const objects = new S3ObjectStore(aws.s3.s3);
  await createExtractHandler({ objects, extractor: aws.extractor, logger })(sqsEvent(s3EventBody([created])));
  const extraction = {
    ...created,
    key: extractedKeyFor('qinghe-edu', key, versionId ?? null),
    versionId: undefined,
  };
  const noticeLeaseMs = options.noticeLeaseMs ?? 0;
  const records = options.records ?? streamingStore(noticeLeaseMs);
  const parse = createParseHandler({
    objects,
    records,
    notifier,
    registry,
    noticeLeaseMs,
    reviews: aws.reviews,
    logger,
  });
  return {
    created,
    redeliver: () => parse(sqsEvent(s3EventBody([extraction]))),
    first: await parse(sqsEvent(s3EventBody([extraction]))),
  };
}

/** A department's report: `carriedFrom` is 上年结转, `carriedNext` 结转下年度继续办理 (first column). */
function report(year: number, carriedFrom: number, carriedNext: number): string {
  const results = Array.from({ length: 21 }, (_, r) => [r === 0 ? 4 : 0, 0, 0, 0, 0, 0]);
  return renderReport({
    agency: '清河区教育局',
    year,
    requests: consistentRequests(results, [carriedFrom, 0, 0, 0, 0, 0], [carriedNext, 0, 0, 0, 0, 0]),
    appeals: consistentAppeals([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]),
  });
}

async function stored(key: string, versionId: string | null = null) {
  const parse = (json: unknown) => json as ReportRecord;
  return {
    version: decodeItem(await aws.records.item(uploadPk(key), versionSk(versionOf(versionId))), parse),
    current: decodeItem(await aws.records.item(uploadPk(key), CURRENT_SK), parse),
  };
}

const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
const statusOf = (m: ReturnType<typeof published>[number] | undefined) =>
  m?.MessageAttributes?.status?.StringValue;

describe('a message always says what the stored record says', () => {
  const y2023 = 'incoming/qinghe-edu/2023/年报.txt';
  const y2022 = 'incoming/qinghe-edu/2022/年报.txt';

  it("last year's report arriving later re-evaluates this year's record through the stream, once", async () => {
    await deliver(y2023, report(2023, 3, 0));
    expect((await stored(y2023)).version?.record.status).toBe('VALID');
    expect(published()).toEqual([]);

    // 2022's 结转下年度 (1) contradicts 2023's 上年结转 (3).
    await deliver(y2022, report(2022, 0, 1));
    const after = await stored(y2023);
    expect(after.version?.record.status).toBe('INVALID');
    expect(after.version?.revision).toBe(1);
    expect(after.version?.reevaluatedBecause).toMatchObject({
      kind: 'previous-year-report',
      objectKey: y2022,
      year: 2022,
    });
    expect(after.version?.record.issues.filter((i) => i.code === 'CARRYOVER_MISMATCH')).toHaveLength(2);
    // The current item is a copy of the stored version item, revision and reason included.
    expect(after.current).toEqual(after.version && { ...after.version, notifiedRevision: null });
    expect(after.version?.notifiedRevision).toBe(1);

    const messages = published();
    expect(messages).toHaveLength(1);
    expect(messages[0]?.TopicArn).toBe(`${PREFIX}qinghe-edu`);
    expect(statusOf(messages[0])).toBe('INVALID');
    expect(messages[0]?.Message).toContain(`文件：${y2023}`);
    expect(messages[0]?.Message).toContain(`复核：收到2022年度报告（${y2022}）后重新核对跨年度数据`);
    expect(messages[0]?.MessageAttributes?.noticeId?.StringValue).toBe(`${y2023}#unversioned#1`);
  });

  it('the same extraction delivered again sends nothing and keeps the stored record (the reported bug)', async () => {
    const before = await stored(y2023);
    const { first } = await deliver(y2023, report(2023, 3, 0));
    expect(first.batchItemFailures).toEqual([]);
    expect(published()).toEqual([]);
    expect(await stored(y2023)).toEqual(before);
  });

  it('identical bytes under a new object version change nothing: no item, current unmoved, no message', async () => {
    const key = 'incoming/qinghe-edu/2021/年报.txt';
    await deliver(key, report(2021, 0, 5), { versionId: 'v1' });
    const before = await stored(key, 'v1');
    expect(before.version?.record.status).toBe('VALID');
    await deliver(key, report(2021, 0, 5), { versionId: 'v2' });
    expect((await stored(key, 'v2')).version).toBeNull();
    const after = await stored(key, 'v1');
    expect(after.current?.record.upload?.versionId).toBe(versionOf('v1'));
    expect(after).toEqual(before);
  });

  it('a re-evaluation that makes a record better is stored with its reason and sends nothing', async () => {
    // A corrected 2022 report (new version, 结转下年度 now 3) clears the mismatch of 2023.
    await deliver(y2022, report(2022, 0, 3), { versionId: 'corrected' });
    const after = await stored(y2023);
    expect(after.version?.record.status).toBe('VALID');
    expect(after.version?.revision).toBe(2);
    expect(after.version?.reevaluatedBecause?.versionId).toBe(versionOf('corrected'));
    expect(after.current?.record.status).toBe('VALID');
    expect(published().filter((m) => m.Message?.includes(y2023))).toEqual([]);
  });

  it('a re-evaluation that leaves a record INVALID stores its new findings, moves current and sends nothing', async () => {
    const y2013 = 'incoming/qinghe-edu/2013/年报.txt';
    const y2012 = 'incoming/qinghe-edu/2012/年报.txt';
    // 2012 carries 1 to the next year, 2013 says 3 came over: INVALID when parsed, and heard of once.
    await deliver(y2012, report(2012, 0, 1), { versionId: 'first' });
    await deliver(y2013, report(2013, 3, 0));
    const parsed = await stored(y2013);
    expect(parsed.version?.record.status).toBe('INVALID');
    const about2013 = () => published().filter((m) => m.Message?.includes(`文件：${y2013}`));
    expect(about2013().map(statusOf)).toEqual(['INVALID']);

    // A corrected 2012 that still disagrees (2 carried): the mismatch changes, the status does not.
    await deliver(y2012, report(2012, 0, 2), { versionId: 'second' });
    const after = await stored(y2013);
    expect(after.version?.revision).toBe((parsed.version?.revision ?? 0) + 1);
    expect(after.version?.record.status).toBe('INVALID');
    expect(after.version?.reevaluatedBecause?.versionId).toBe(versionOf('second'));
    const carry = (s: typeof after) =>
      s.version?.record.issues.filter((i) => i.code === 'CARRYOVER_MISMATCH').map((i) => i.expected);
    expect(carry(parsed)).toContain(1);
    expect(carry(after)).toContain(2);
    expect(carry(after)).not.toContain(1);
    expect(after.current).toEqual(after.version && { ...after.version, notifiedRevision: null });
    // Not worse than what the agency was told: no second notice.
    expect(about2013().map(statusOf)).toEqual(['INVALID']);
  });
});

describe('two neighbouring years parsed at once', () => {
  it("whichever is stored last, its stream record re-checks this year against last year's", async () => {
    // Both parsed before either's stream record was handled: 2017 was checked while 2016 was missing.
    const y2017 = 'incoming/qinghe-edu/2017/年报.txt';
    await deliver(y2017, report(2017, 3, 0), { records: aws.records });
    await deliver('incoming/qinghe-edu/2016/年报.txt', report(2016, 0, 1), { records: aws.records });
    expect((await stored(y2017)).version?.record.status).toBe('VALID');
    // 2016's stream record was handled before 2017 was stored (nothing to re-check then); 2017's comes now.
    const item = await aws.records.item(uploadPk(y2017), versionSk(null));
    const reevaluate = createReevaluateHandler({
      records: aws.records,
      notifier,
      registry,
      noticeLeaseMs: 0,
      reviews: aws.reviews,
      logger,
    });
    const event = {
      Records: [
        {
          eventID: 'e-1',
          eventName: 'INSERT' as const,
          dynamodb: { Keys: { pk: item?.pk, sk: item?.sk }, NewImage: item, SequenceNumber: '1' },
        },
      ],
    };
    expect(await reevaluate(event as never)).toEqual({ batchItemFailures: [] });
    expect((await stored(y2017)).version?.record.status).toBe('INVALID');
    expect(published().map(statusOf)).toEqual(['INVALID']);
  });
});

describe('re-evaluation from the stored record alone', () => {
  async function record(year: number, from: number, next: number): Promise<ReportRecord> {
    const bytes = new TextEncoder().encode(report(year, from, next));
    const upload = {
      bucket: 'b',
      key: `k${year}`,
      versionId: null,
      sequencer: '1',
      eventTime: '2024-01-02T00:00:00Z',
      size: bytes.length,
    };
    return checkDocument(
      { file: `k${year}`, bytes, agencyId: 'qinghe-edu', upload },
      await extractDocument(bytes),
    );
  }

  it('drops the old carry-over findings, adds the new ones, and keeps every other finding', async () => {
    const current = await record(2023, 3, 0);
    const mismatch = reevaluateAgainstPreviousYear(current, await record(2022, 0, 1));
    expect(mismatch?.status).toBe('INVALID');
    expect(mismatch?.issues.map((i) => [i.code, i.expected, i.actual])).toContainEqual([
      'CARRYOVER_MISMATCH',
      1,
      3,
    ]);
    const fixed = reevaluateAgainstPreviousYear(mismatch as ReportRecord, await record(2022, 0, 3));
    expect(fixed?.issues).toEqual(current.issues);
    expect(fixed?.status).toBe(current.status);
    expect(fixed?.summary).toEqual(current.summary);
    expect(reevaluateAgainstPreviousYear(current, await record(2022, 0, 3))).toBeNull();
    expect(reevaluateAgainstPreviousYear(current, await record(2021, 0, 1))).toBeNull();
  });
});

describe('a notice is claimed before it is published (12.8)', () => {
  /** A store whose first markNotified dies: the process was killed after SNS accepted the message. */
  function dyingAfterPublish(): RecordStore {
    const store = streamingStore();
    let killed = false;
    return {
      save: (record) => store.save(record),
      revise: (...args) => store.revise(...args),
      claimNotice: (...args) => store.claimNotice(...args),
      latest: (...args) => store.latest(...args),
      markNotified: async (notice) => {
        if (killed) return store.markNotified(notice);
        killed = true;
        throw new Error('killed');
      },
    };
  }

  it('a kill between publishing and marking sent resends once, flagged, with the same notice id', async () => {
    const key = 'incoming/qinghe-edu/2019/坏.txt';
    const { first, redeliver } = await deliver(key, '%PDF-1.7 broken', { records: dyingAfterPublish() });
    expect(first.batchItemFailures).toHaveLength(1);
    expect(published()).toHaveLength(1);
    expect(published()[0]?.MessageAttributes?.possibleDuplicate).toBeUndefined();
    expect((await redeliver()).batchItemFailures).toEqual([]);
    expect((await redeliver()).batchItemFailures).toEqual([]);
    const [once, again] = published();
    expect(published()).toHaveLength(2);
    expect(again?.MessageAttributes?.possibleDuplicate?.StringValue).toBe('true');
    expect(again?.MessageAttributes?.noticeId).toEqual(once?.MessageAttributes?.noticeId);
  });

  it('while another attempt holds a fresh claim, a second delivery publishes nothing and is retried', async () => {
    const key = 'incoming/qinghe-edu/2018/坏.txt';
    const records = dyingAfterPublish();
    const { first, redeliver } = await deliver(key, '%PDF-1.7 broken', { records, noticeLeaseMs: 60_000 });
    expect(first.batchItemFailures).toHaveLength(1);
    expect((await redeliver()).batchItemFailures).toHaveLength(1);
    expect(published()).toHaveLength(1);
  });
});

describe('the local run: the three commands of the report (a/, b/, a/ again)', () => {
  let stack: LocalPipeline;
  beforeAll(async () => {
    stack = await LocalPipeline.start({ dir: null, registry });
  });
  afterAll(() => stack?.stop());

  it('every message says what the stored record says, and identical bytes change nothing', async () => {
    const a = report(2023, 3, 0);
    const key = await stack.upload('qinghe-edu', '2023年报.txt', new TextEncoder().encode(a));
    expect((await stack.record(key))?.status).toBe('VALID');
    await stack.upload('qinghe-edu', '2022年报.txt', new TextEncoder().encode(report(2022, 0, 1)));
    const revised = await stack.record(key);
    expect(revised?.status).toBe('INVALID');
    const sent = stack.deps.outbox.sent.filter((n) => n.message.includes(`文件：${key}`));
    expect(sent.map((n) => n.attributes.status)).toEqual(['INVALID']);

    await stack.upload('qinghe-edu', '2023年报.txt', new TextEncoder().encode(a));
    expect(await stack.record(key)).toEqual(revised);
    expect(stack.deps.outbox.sent.filter((n) => n.message.includes(`文件：${key}`))).toHaveLength(1);
    for (const n of stack.deps.outbox.sent) {
      const file = /文件：(\S+?)（/.exec(n.message)?.[1] ?? n.message.split('\n')[2]?.slice(3) ?? '';
      expect((await stack.record(file))?.status, file).toBe(n.attributes.status);
    }
    expect(stack.router.deadLetters).toEqual([]);
  });
});
