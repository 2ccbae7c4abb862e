import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoRecordStore } from '../../functions/adapters/dynamo-record-store.ts';
import { DynamoReviewStore } from '../../functions/adapters/dynamo-review-store.ts';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { SnsNotifier } from '../../functions/adapters/sns-notifier.ts';
import { Extractor } from '../../functions/extract/index.ts';
import { createExtractHandler } from '../../functions/handlers/extract-handler.ts';
import { createReevaluateHandler } from '../../functions/handlers/reevaluate-handler.ts';
import { startDynalite, startS3 } from '../support/local-aws.ts';
import { describeBytes, s3EventBody, sqsEvent } from '../support/s3-event.ts';

/**
 * What an operator reads in CloudWatch: every line of an invocation names the function and request (the
 * Lambda context), and every line about an object its key and version, so one upload's lines can be
 * found among thousands.
 */
const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'ReportPipeline-Extract',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:ReportPipeline-Extract',
  memoryLimitInMB: '2048',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/ReportPipeline-Extract',
  logStreamName: '2024/01/20/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 60_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

let s3: Awaited<ReturnType<typeof startS3>>;
let dynamo: Awaited<ReturnType<typeof startDynalite>>;
const extractor = new Extractor();
beforeAll(async () => {
  s3 = await startS3();
  dynamo = await startDynalite();
});
afterAll(async () => {
  await extractor.close();
  await s3?.stop();
  await dynamo?.stop();
});

/** The JSON lines a run of `work` prints through `logger` (info on stdout, warnings and errors on stderr). */
async function linesOf(work: (logger: Logger) => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const logger = new Logger({ serviceName: 'report-pipeline', logLevel: 'INFO' });
  const capture = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await work(logger);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.flatMap((l) => l.trim().split('\n')).map((l) => JSON.parse(l));
}

describe('Lambda log lines', () => {
  it('carry the Lambda context and the object key and version', async () => {
    const key = 'incoming/huaian-gov/2024/年报 2023.txt';
    const body = '关于2023年度报告\n';
    await s3.s3.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
    const lines: string[] = [];
    const logger = new Logger({ serviceName: 'report-pipeline', logLevel: 'INFO' });
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const handler = createExtractHandler({ objects: new S3ObjectStore(s3.s3), extractor, logger });
      const event = sqsEvent(
        s3EventBody([{ bucket: s3.bucket, key, versionId: 'v1', sequencer: '0A', ...describeBytes(body) }]),
      );
      await handler(event, context);
    } finally {
      write.mockRestore();
    }
    const entries = lines.flatMap((l) => l.trim().split('\n')).map((l) => JSON.parse(l));
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        function_name: context.functionName,
        function_request_id: context.awsRequestId,
        key,
        versionId: 'v1',
      });
      expect(typeof entry.cold_start).toBe('boolean');
    }
  });

  it('of the re-evaluation consumer carry the Lambda context too', async () => {
    const entries = await linesOf(async (logger) => {
      const handler = createReevaluateHandler({
        records: new DynamoRecordStore(dynamo.db, dynamo.tableName),
        reviews: new DynamoReviewStore(dynamo.db, dynamo.tableName),
        notifier: new SnsNotifier(new SNSClient({ region: 'cn-north-1' }), {
          agencyTopicArnPrefix: 'arn:aws-cn:sns:cn-north-1:123456789012:P-agency-',
          operatorsTopicArn: 'arn:aws-cn:sns:cn-north-1:123456789012:P-operators',
        }),
        registry: { operators: [], offices: [], agencies: [] },
        noticeLeaseMs: 0,
        logger,
      });
      // A record that breaks the stream contract: logged, and returned for retry.
      const out = await handler(
        { Records: [{ eventID: 'e-1', eventName: 'INSERT', dynamodb: { SequenceNumber: '7' } }] },
        context,
      );
      expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    });
    expect(entries.map((e) => e.message)).toEqual(['re-evaluation failed, returned for retry']);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        function_name: context.functionName,
        function_request_id: context.awsRequestId,
        eventID: 'e-1',
      });
      expect(typeof entry.cold_start).toBe('boolean');
    }
  });
});
