import { type CfnElement, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { Registry } from '../functions/pipeline/registry.ts';
import type { RemovedTopics } from '../functions/pipeline/topic-sync.ts';
import { RegistryTopics } from './constructs/registry-topics.ts';
import { UploadApi } from './constructs/upload-api.ts';
import { acknowledgeFindings } from './nag-acknowledgements.ts';
import { apiFunction, DEFAULT_UPLOAD_SIZE_RANGE } from './parts/api-function.ts';
import { ingest } from './parts/ingest.ts';
import { reminders } from './parts/reminders.ts';
import { reportsTable, uploadBuckets } from './parts/storage.ts';
import { streamConsumers } from './parts/stream-consumers.ts';

export { EXTRACT_TIMEOUT, PARSE_TIMEOUT } from './parts/ingest.ts';
export { REMIND_TIMEOUT } from './parts/reminders.ts';
export { REEVALUATE_TIMEOUT } from './parts/stream-consumers.ts';

export interface ReportPipelineStackProps extends StackProps {
  registry: Registry;
  /** Origins of the agencies' upload page (CORS on the API and the bucket). */
  allowedOrigins?: string[];
  /** Size range of pre-signed uploads, in bytes (default 1 B – 50 MB). */
  uploadSizeRange?: { min: number; max: number };
  /** What the topic sync does with the topic of an agency or office removed from the registry (default retain). */
  removedTopics?: RemovedTopics;
  /** Addresses subscribed to the operators' topic besides the registry's `operators`. */
  operatorsEmails?: string[];
}

/**
 * The pipeline as agencies and supervisors meet it: upload under `incoming/{agencyId}/` → SQS → extract
 * Lambda → `extracted/…json` → SQS → parse Lambda → DynamoDB record (+ stream) → SNS per agency.
 * Data stores are retained when the stack is deleted; every alarm goes to the operators' topic. Each
 * part lives in lib/parts/ (what it is made of) or lib/constructs/ (the patterns the parts share).
 */
export class ReportPipelineStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly topics: RegistryTopics;
  readonly api: UploadApi;

  constructor(scope: Construct, id: string, props: ReportPipelineStackProps) {
    super(scope, id, props);
    const allowedOrigins = props.allowedOrigins ?? ['*'];

    const { bucket } = uploadBuckets(this, allowedOrigins);
    this.bucket = bucket;
    this.table = reportsTable(this);
    // The registry's topics are synced at deploy time, outside the stack's resource count.
    this.topics = new RegistryTopics(this, 'Topics', {
      registry: props.registry,
      operatorsTopicName: `${this.stackName}-operators`,
      ...(props.operatorsEmails === undefined ? {} : { operatorsEmails: props.operatorsEmails }),
      ...(props.removedTopics === undefined ? {} : { removedTopics: props.removedTopics }),
    });
    const data = { bucket, table: this.table, topics: this.topics };

    const { extract, parse } = ingest(this, data);
    const { exporter, reevaluate } = streamConsumers(this, data);
    const remind = reminders(this, data);
    const api = apiFunction(this, { ...data, range: props.uploadSizeRange ?? DEFAULT_UPLOAD_SIZE_RANGE });
    this.api = new UploadApi(this, 'UploadApi', { fn: api, allowedOrigins });

    acknowledgeFindings(
      this,
      { extract, parse, exporter, reevaluate, api, remind, topicSync: this.topics.syncFunction },
      this.getLogicalId(bucket.node.defaultChild as CfnElement),
      this.getLogicalId(this.table.node.defaultChild as CfnElement),
    );
    new CfnOutput(this, 'TopicKeyArn', {
      description: 'The key of the notification topics: `report-pipeline topics sync --key-arn` takes it.',
      value: this.topics.key.keyArn,
    });
  }
}
