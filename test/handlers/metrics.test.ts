import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { SnsNotifier } from '../../functions/adapters/sns-notifier.ts';
import { createExtractHandler } from '../../functions/handlers/extract-handler.ts';
import { handlerMetrics, METRICS_NAMESPACE } from '../../functions/handlers/observability.ts';
import { createParseHandler } from '../../functions/handlers/parse-handler.ts';
import { extractedKeyFor } from '../../functions/pipeline/keys.ts';
import { loadRegistry } from '../../functions/pipeline/registry.ts';
import { upload as uploadTo, useLocalAws } from '../pipeline/local-aws-suite.ts';
import { carryoverSpec, renderReport } from '../support/report-builder.ts';
import { type CreatedObject, s3EventBody, sqsEvent } from '../support/s3-event.ts';

// As Powertools' own tests capture metrics: dev mode writes EMF through console.log, metrics left on.
vi.hoisted(() => {
  process.env.POWERTOOLS_DEV = 'true';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

/**
 * What an operator's dashboard reads: the EMF blobs the extract and parse functions print, in the
 * ReportPipeline namespace under the function's service, with the file's format and outcome or status,
 * its pages, the time taken and the record's findings by code.
 */
const context = (functionName: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws-cn:lambda:cn-north-1:123456789012:function:${functionName}`,
  memoryLimitInMB: '1024',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2024/01/20/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 60_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

const logger = new Logger({ logLevel: 'SILENT' });
const aws = useLocalAws();
const extractMetrics = handlerMetrics('report-pipeline-extract');
const parseMetrics = handlerMetrics('report-pipeline-parse');
const extract = () =>
  createExtractHandler({ objects: aws.objects, extractor: aws.extractor, logger, metrics: extractMetrics });
const parse = () =>
  createParseHandler({
    objects: aws.objects,
    records: aws.records,
    notifier: new SnsNotifier(new SNSClient({ region: 'cn-north-1' }), {
      agencyTopicArnPrefix: 'arn:aws-cn:sns:cn-north-1:123456789012:P-agency-',
      operatorsTopicArn: 'arn:aws-cn:sns:cn-north-1:123456789012:P-operators',
    }),
    registry: loadRegistry(),
    noticeLeaseMs: 0,
    reviews: aws.reviews,
    logger,
    metrics: parseMetrics,
  });

interface Blob {
  // biome-ignore lint/style/useNamingConvention: the embedded metric format's own key
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** The EMF blobs an invocation printed. */
async function emitted(run: () => Promise<unknown>): Promise<Blob[]> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await run();
    return log.mock.calls.map(([line]) => JSON.parse(String(line)));
  } finally {
    log.mockRestore();
  }
}
const withMetric = (blobs: Blob[], name: string) =>
  blobs.filter((b) => b._aws.CloudWatchMetrics[0]?.Metrics.some((m) => m.Name === name));

const report = (...args: Parameters<typeof carryoverSpec>) => renderReport(carryoverSpec(...args));

const upload = (key: string, body: string) => uploadTo(aws, key, body);
const extraction = (created: CreatedObject): CreatedObject => ({
  ...created,
  key: extractedKeyFor('qinghe-guangming', created.key, null),
});

describe('the metrics of the extract and parse functions', () => {
  it('count each file by format and outcome or status, with pages, durations and findings by code', async () => {
    const last = await upload(
      'incoming/qinghe-guangming/2021/a.txt',
      report(2021, [0, 0, 0, 0, 0, 0], [2, 1, 0, 0, 0, 0]),
    );
    await extract()(sqsEvent(s3EventBody([last])), context('Extract'));
    await parse()(sqsEvent(s3EventBody([extraction(last)])), context('Parse'));

    const created = await upload(
      'incoming/qinghe-guangming/2022/b.txt',
      report(2022, [1, 1, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]),
    );
    const extracted = await emitted(() => extract()(sqsEvent(s3EventBody([created])), context('Extract')));
    const [file] = withMetric(extracted, 'FilesExtracted');
    expect(file?._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [['service', 'format', 'outcome']],
    });
    expect(file).toMatchObject({
      service: 'report-pipeline-extract',
      format: 'text',
      outcome: 'extracted',
      FilesExtracted: 1,
    });
    const [work] = withMetric(extracted, 'ExtractDuration');
    expect(work?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'format']]);
    expect(work).toMatchObject({ format: 'text', Pages: 1 });
    expect(work?.ExtractDuration).toBeGreaterThan(0);

    const parsed = await emitted(() =>
      parse()(sqsEvent(s3EventBody([extraction(created)])), context('Parse')),
    );
    const record = await aws.records.current(created.key);
    expect(record?.status).toBe('INVALID');
    const [stored] = withMetric(parsed, 'FilesParsed');
    expect(stored?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'format', 'status']]);
    expect(stored).toMatchObject({
      service: 'report-pipeline-parse',
      format: 'text',
      status: 'INVALID',
      FilesParsed: 1,
    });
    const [parseWork] = withMetric(parsed, 'ParseDuration');
    expect(parseWork?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'format']]);
    expect(parseWork).toMatchObject({ format: 'text', Pages: record?.source.pages });
    expect(parseWork?.ParseDuration).toBeGreaterThan(0);

    // One blob per code, its value the number of that code's findings in the stored record.
    const byCode = Object.fromEntries(withMetric(parsed, 'Findings').map((b) => [b.code, b.Findings]));
    const expected: Record<string, number> = {};
    for (const issue of record?.issues ?? []) expected[issue.code] = (expected[issue.code] ?? 0) + 1;
    expect(byCode).toEqual(expected);
    expect(byCode.CARRYOVER_MISMATCH).toBe(3);
    for (const blob of withMetric(parsed, 'Findings')) {
      expect(blob._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'code']]);
    }

    // The batch as a whole: one message, none returned, none dropped.
    const [batch] = withMetric(parsed, 'Messages');
    expect(batch).toMatchObject({ Messages: 1, MessagesRetried: 0, MessagesDropped: 0 });
    expect(batch?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);

    // A repeated event stores nothing new and counts no file and no finding.
    const again = await emitted(() =>
      parse()(sqsEvent(s3EventBody([extraction(created)])), context('Parse')),
    );
    expect(withMetric(again, 'FilesParsed')).toEqual([]);
    expect(withMetric(again, 'Findings')).toEqual([]);
    expect(withMetric(again, 'Messages')).toHaveLength(1);
  });
});
