import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoRecordStore } from '../../functions/adapters/dynamo-record-store.ts';
import { DynamoReviewStore } from '../../functions/adapters/dynamo-review-store.ts';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { Extractor } from '../../functions/extract/index.ts';
import { extractUpload } from '../../functions/pipeline/extract-step.ts';
import type { Notification } from '../../functions/pipeline/notification.ts';
import { parseExtraction } from '../../functions/pipeline/parse-step.ts';
import type { Notifier, TopicRef } from '../../functions/pipeline/ports.ts';
import type { Registry } from '../../functions/pipeline/registry.ts';
import { sampleText } from '../report/helpers.ts';
import { startDynalite, startS3 } from '../support/local-aws.ts';
import { consistentRequests } from '../support/report-builder.ts';
import { describeBytes } from '../support/s3-event.ts';

/**
 * Two years of one agency through the pipeline's steps on dynalite and s3rver with the real extractor:
 * the second year's record carries the reviewers' cross-year findings (issue 13), which need the first
 * year's record as the store kept it (its comparable section text included). Warnings and info leave the
 * report VALID, so no message goes out. SNS has no emulator; a recording Notifier stands behind the port.
 */
const registry: Registry = {
  operators: [],
  offices: [{ id: 'test-office', name: '测试政务公开办', supervisors: [], supervisedBy: [] }],
  agencies: [
    {
      id: 'qinghe-guangming',
      name: '清河区光明街道办事处',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['test-office'],
    },
  ],
};

class RecordingNotifier implements Notifier {
  readonly sent: Array<{ topic: TopicRef; n: Notification }> = [];
  async publish(topic: TopicRef, n: Notification): Promise<void> {
    this.sent.push({ topic, n });
  }
}

let dynamo: Awaited<ReturnType<typeof startDynalite>>;
let s3: Awaited<ReturnType<typeof startS3>>;
const extractor = new Extractor();
beforeAll(async () => {
  dynamo = await startDynalite();
  s3 = await startS3();
});
afterAll(async () => {
  await extractor.close();
  await dynamo.stop();
  await s3.stop();
});

const OVERVIEW = [
  '2023年，我街道全面贯彻落实《中华人民共和国政府信息公开条例》，围绕街道中心工作持续深化政务公开，通过门户网站、政务新媒体和公开栏公开各类信息216条。',
  '依申请公开严格按照法定时限答复，做到登记、审核、答复、归档全流程闭环管理；平台建设方面新增“惠企政策”专栏，及时更新办事指南。',
];
const PROBLEMS = [
  '2023年，我街道政府信息公开工作取得一定成效，但政策解读形式较为单一，部分栏目更新不够及时。',
  '下一步，我们将丰富解读形式，每季度开展一次栏目检查，并加强工作人员业务培训，不断提升政务公开工作水平。',
  '同时健全依申请公开会商机制，对疑难申请集体研判，确保答复依据充分、程序规范。',
];
const RESULTS = Array.from({ length: 21 }, (_, r) => [r === 0 ? 4 : 0, 0, 0, 0, 0, 0]);
const thisYear = (lines: string[]) => lines.map((l) => l.replace('2023', '2024').replace('216', '230'));

async function run(key: string, body: string, eventTime: string, notifier: Notifier) {
  const objects = new S3ObjectStore(s3.s3);
  const records = new DynamoRecordStore(dynamo.db, dynamo.tableName);
  await s3.s3.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
  const ref = {
    bucket: s3.bucket,
    key,
    versionId: null,
    sequencer: '0A',
    eventTime,
    ...describeBytes(body),
  };
  const stored = await extractUpload(ref, { objects, extractor });
  if (stored.kind !== 'stored') throw new Error(stored.reason);
  const extraction = { ...ref, key: stored.key };
  const reviews = new DynamoReviewStore(dynamo.db, dynamo.tableName);
  return parseExtraction(extraction, { objects, records, notifier, registry, noticeLeaseMs: 0, reviews });
}

it('the second year of one agency gets STOCK_FLOW_MISMATCH, CONTENT_REPEATED and UNUSUAL_CHANGE, and no message', async () => {
  const notifier = new RecordingNotifier();
  const first = await run(
    'incoming/qinghe-guangming/2023/report.txt',
    sampleText({
      year: 2023,
      // 结转下年度 1, as the 2024 report's 上年结转: no CARRYOVER_MISMATCH in the way.
      requests: consistentRequests(RESULTS, [1, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0]),
      narrative: OVERVIEW,
      section5: PROBLEMS,
      proactive: { normativeDocuments: [2, 0, 12], licensing: 30 },
    }),
    '2024-01-20T02:00:00.000Z',
    notifier,
  );
  expect(first.kind === 'recorded' && first.record.issues).toEqual([]);
  const second = await run(
    'incoming/qinghe-guangming/2024/report.txt',
    sampleText({
      year: 2024,
      requests: consistentRequests(RESULTS, [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
      narrative: thisYear(OVERVIEW),
      section5: thisYear(PROBLEMS),
      proactive: { normativeDocuments: [3, 1, 9], licensing: 400 },
    }),
    '2025-01-20T02:00:00.000Z',
    notifier,
  );
  if (second.kind !== 'recorded') throw new Error(second.reason);
  const { record } = second;
  expect(record.issues.map((i) => [i.code, i.severity, i.section])).toEqual([
    ['STOCK_FLOW_MISMATCH', 'warning', 2],
    ['CONTENT_REPEATED', 'warning', 1],
    ['CONTENT_REPEATED', 'warning', 5],
    ['UNUSUAL_CHANGE', 'info', 2],
  ]);
  expect(record.status).toBe('VALID');
  expect(record.summary).toEqual({ errors: 0, warnings: 3 });
  expect(notifier.sent).toEqual([]);
  // What the store returns is what the next year compares with.
  const stored = (await new DynamoRecordStore(dynamo.db, dynamo.tableName).latest('qinghe-guangming', 2024))
    ?.record;
  expect(stored?.issues).toEqual(record.issues);
  expect(stored?.sections.find((s) => s.number === 1)?.comparableText).toContain('0年我街道全面贯彻落实');
});
