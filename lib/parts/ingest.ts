import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type { Construct } from 'constructs';
import type { FunctionEnvironment, ParseConfig } from '../../functions/config.ts';
import { ENV } from '../../functions/env-names.ts';
import { EXTRACTED_PREFIX, INCOMING_PREFIX } from '../../functions/pipeline/keys.ts';
import { BufferedTrigger, type BufferedTriggerProps } from '../constructs/buffered-trigger.ts';
import { PipelineFunction } from '../constructs/function-defaults.ts';
import type { RegistryTopics } from '../constructs/registry-topics.ts';

export const EXTRACT_TIMEOUT = Duration.minutes(2);
export const PARSE_TIMEOUT = Duration.seconds(30);

/** What storing records and sending notices needs; a notice claim holds for the function's timeout. */
export function recordsEnvironment(
  table: dynamodb.ITable,
  topics: RegistryTopics,
  timeout: Duration,
): FunctionEnvironment<typeof ParseConfig> {
  return {
    [ENV.tableName]: table.tableName,
    [ENV.agencyTopicArnPrefix]: topics.prefixArn('agency'),
    [ENV.operatorsTopicArn]: topics.operators.topicArn,
    [ENV.noticeLeaseMs]: String(timeout.toMilliseconds()),
  };
}

/** A buffered trigger fed by the bucket's object-created events under `prefix`. */
function onCreated(
  scope: Construct,
  id: string,
  bucket: s3.Bucket,
  prefix: string,
  props: BufferedTriggerProps,
): BufferedTrigger {
  const trigger = new BufferedTrigger(scope, id, props);
  bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(trigger.queue), { prefix });
  return trigger;
}

/**
 * The ingest path: an upload under `incoming/` → SQS → extract → `extracted/…json` → SQS → parse →
 * record and notice. Each step behind a buffered trigger (queue, dead-letter queue, alarms).
 */
export function ingest(
  scope: Construct,
  deps: { bucket: s3.Bucket; table: dynamodb.Table; topics: RegistryTopics },
): { extract: PipelineFunction; parse: PipelineFunction; triggers: BufferedTrigger[] } {
  const { bucket, table, topics } = deps;
  // 1769 MB is one full vCPU. Extraction is CPU-bound on one core per file, so below it the duration grows
  // as the memory shrinks (same GB-seconds, slower) and above it the second core idles. Measured by
  // `npm run bench`: peak ~250 MB (function + worker) on a 5-page report, and the worker may grow to its
  // 768 MB budget on a hostile file, which 1769 MB holds with room.
  const extract = new PipelineFunction(scope, 'Extract', {
    entry: 'functions/handlers/extract-lambda.ts',
    memorySize: 1769,
    timeout: EXTRACT_TIMEOUT,
    withPdfAssets: true,
  });
  bucket.grantRead(extract, `${INCOMING_PREFIX}*`);
  bucket.grantPut(extract, `${EXTRACTED_PREFIX}*`);
  const extractTrigger = onCreated(scope, 'ExtractTrigger', bucket, INCOMING_PREFIX, {
    fn: extract,
    functionTimeout: EXTRACT_TIMEOUT,
    batchSize: 1,
    operators: topics.operators,
  });

  const parse = new PipelineFunction(scope, 'Parse', {
    entry: 'functions/handlers/parse-lambda.ts',
    // Peak ~100 MB (bench), but its cold start (zod, the SDK) is CPU-bound: 1024 MB buys ~0.6 vCPU for it.
    memorySize: 1024,
    timeout: PARSE_TIMEOUT,
    environment: recordsEnvironment(table, topics, PARSE_TIMEOUT),
  });
  bucket.grantRead(parse, `${EXTRACTED_PREFIX}*`);
  table.grantReadWriteData(parse);
  topics.grantPublish(parse, ['agency', 'operators']);
  const parseTrigger = onCreated(scope, 'ParseTrigger', bucket, EXTRACTED_PREFIX, {
    fn: parse,
    functionTimeout: PARSE_TIMEOUT,
    batchSize: 10,
    operators: topics.operators,
  });
  return { extract, parse, triggers: [extractTrigger, parseTrigger] };
}
