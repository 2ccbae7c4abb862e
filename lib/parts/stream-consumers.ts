import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENV } from '../../functions/env-names.ts';
import { EXPORTS_PREFIX } from '../../functions/pipeline/keys.ts';
import {
  ATTR,
  REPORT_PK_PREFIX,
  REVIEW_PK_PREFIX,
  VERSION_SK_PREFIX,
} from '../../functions/pipeline/table-layout.ts';
import { PipelineFunction } from '../constructs/function-defaults.ts';
import { FailureQueue } from '../constructs/queues.ts';
import type { RegistryTopics } from '../constructs/registry-topics.ts';
import { recordsEnvironment } from './ingest.ts';

export const REEVALUATE_TIMEOUT = Duration.seconds(30);

/** A stream consumer's bounds: bisect, a retry limit, a record-age limit, an on-failure queue. */
const bounded = (retryAttempts: number, onFailure: FailureQueue) => ({
  startingPosition: lambda.StartingPosition.TRIM_HORIZON,
  bisectBatchOnError: true,
  retryAttempts,
  maxRecordAge: Duration.hours(24),
  reportBatchItemFailures: true,
  onFailure: new SqsDlq(onFailure.queue),
});

/**
 * The consumers of the reports table's stream: the example downstream job (JSON lines under exports/)
 * and the re-evaluation (a new version item of year Y-1 re-evaluates the agency's year-Y record).
 */
export function streamConsumers(
  scope: Construct,
  deps: { bucket: s3.Bucket; table: dynamodb.Table; topics: RegistryTopics },
): { exporter: PipelineFunction; reevaluate: PipelineFunction } {
  const { bucket, table, topics } = deps;
  const exporter = new PipelineFunction(scope, 'Export', {
    entry: 'functions/handlers/export-lambda.ts',
    memorySize: 512,
    timeout: Duration.seconds(60),
    environment: { [ENV.exportBucket]: bucket.bucketName },
  });
  bucket.grantPut(exporter, `${EXPORTS_PREFIX}*`);
  // Records the export gave up on are missing from the downstream feed until someone replays them.
  const exportFailures = new FailureQueue(scope, 'ExportFailures', {
    whose: 'on-failure destination of the stream consumer',
    alarmDescription: 'An export batch failed 3 times: its stream records wait in the on-failure queue.',
    operators: topics.operators,
  });
  exporter.addEventSource(
    new DynamoEventSource(table, {
      ...bounded(3, exportFailures),
      // Fewer, larger Parquet files (docs/analytics.md): up to 5 minutes of changes per invocation.
      batchSize: 1000,
      maxBatchingWindow: Duration.minutes(5),
      // Report and review items only: the reminder log shares the table and is no part of the contract.
      filters: [REPORT_PK_PREFIX, REVIEW_PK_PREFIX].map((prefix) =>
        lambda.FilterCriteria.filter({
          dynamodb: { Keys: { [ATTR.pk]: { S: lambda.FilterRule.beginsWith(prefix) } } },
        }),
      ),
    }),
  );

  const reevaluate = new PipelineFunction(scope, 'Reevaluate', {
    entry: 'functions/handlers/reevaluate-lambda.ts',
    memorySize: 512,
    timeout: REEVALUATE_TIMEOUT,
    environment: recordsEnvironment(table, topics, REEVALUATE_TIMEOUT),
  });
  table.grantReadWriteData(reevaluate);
  topics.grantPublish(reevaluate, ['agency', 'operators']);
  // A re-check that could not be made may hide a report that got worse: someone must look.
  const reevaluateFailures = new FailureQueue(scope, 'ReevaluateFailures', {
    whose: 'on-failure destination of the re-evaluation consumer',
    alarmDescription: 'A re-evaluation failed 5 times: its stream record waits in the on-failure queue.',
    operators: topics.operators,
  });
  reevaluate.addEventSource(
    new DynamoEventSource(table, {
      ...bounded(5, reevaluateFailures),
      batchSize: 10,
      // Only version items can change a following year's record; current items and removals cannot.
      filters: [
        lambda.FilterCriteria.filter({
          eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
          dynamodb: { Keys: { [ATTR.sk]: { S: lambda.FilterRule.beginsWith(VERSION_SK_PREFIX) } } },
        }),
      ],
    }),
  );
  return { exporter, reevaluate };
}
