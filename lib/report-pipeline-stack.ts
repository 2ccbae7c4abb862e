import path from 'node:path';
import {
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { EXPORTS_PREFIX, EXTRACTED_PREFIX, INCOMING_PREFIX } from '../functions/pipeline/keys.ts';
import type { Registry } from '../functions/pipeline/registry.ts';
import {
  ATTR,
  INDEX_BY_AGENCY_YEAR,
  REMINDER_PK_PREFIX,
  REPORT_PK_PREFIX,
  REVIEW_PK_PREFIX,
  TABLE_KEYS,
  VERSION_SK_PREFIX,
} from '../functions/pipeline/table-layout.ts';
import type { RemovedTopics } from '../functions/pipeline/topic-sync.ts';
import { commonBundling, extractBundling, REPO_ROOT } from './bundling.ts';
import { Analytics } from './constructs/analytics.ts';
import { BufferedTrigger } from './constructs/buffered-trigger.ts';
import { OCR_TIMEOUT, OcrFunction } from './constructs/ocr-function.ts';
import { RegistryTopics } from './constructs/registry-topics.ts';
import { UploadApi } from './constructs/upload-api.ts';
import { acknowledgeFindings } from './nag-acknowledgements.ts';

export interface ReportPipelineStackProps extends StackProps {
  registry: Registry;
  /** Origins of the agencies' upload page (CORS on the API and the bucket). */
  allowedOrigins?: string[];
  /** Size range of pre-signed uploads, in bytes (default 1 B – 50 MB). */
  uploadSizeRange?: { min: number; max: number };
  /** What the topic sync does with the topic of an agency or office removed from the registry (default retain). */
  removedTopics?: RemovedTopics;
}

/** The extract function waits for the OCR function on a scanned report (issue 24): its time-out covers it. */
export const EXTRACT_TIMEOUT = Duration.minutes(OCR_TIMEOUT.toMinutes() + 1);
export const PARSE_TIMEOUT = Duration.seconds(30);
export const REEVALUATE_TIMEOUT = Duration.seconds(30);
export const REMIND_TIMEOUT = Duration.minutes(5);

/**
 * The pipeline as agencies and supervisors meet it: upload under `incoming/{agencyId}/` → SQS → extract
 * Lambda → `extracted/…json` → SQS → parse Lambda → DynamoDB record (+ stream) → SNS per agency.
 * Data stores are retained when the stack is deleted.
 */
export class ReportPipelineStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly topics: RegistryTopics;
  readonly api: UploadApi;
  readonly analytics: Analytics;

  constructor(scope: Construct, id: string, props: ReportPipelineStackProps) {
    super(scope, id, props);

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket of the upload bucket; logging it into itself would loop.',
    });

    const allowedOrigins = props.allowedOrigins ?? ['*'];
    this.bucket = new s3.Bucket(this, 'Uploads', {
      versioned: true,
      // Browsers POST pre-signed uploads straight to the bucket.
      cors: [{ allowedMethods: [s3.HttpMethods.POST], allowedOrigins, allowedHeaders: ['*'], maxAge: 3600 }],
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      lifecycleRules: [
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        { id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(365) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Keys and index come from the layout module the store, the stream contract and the local run share.
    this.table = new dynamodb.Table(this, 'Reports', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of TABLE_KEYS.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        ...(index.include === undefined
          ? {}
          : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }),
      });
    }

    // The registry's topics are synced at deploy time, outside the stack's resource count.
    this.topics = new RegistryTopics(this, 'Topics', {
      registry: props.registry,
      operatorsTopicName: `${this.stackName}-operators`,
      ...(props.removedTopics === undefined ? {} : { removedTopics: props.removedTopics }),
    });
    const agencyTopicArnPrefix = `${this.topics.arnPrefix}${this.topics.agencyTopicPrefix}`;

    const fn = (
      name: string,
      options: {
        entry: string;
        memorySize: number;
        timeout: Duration;
        environment: Record<string, string>;
        extract?: boolean;
      },
    ) => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, {
        retention: logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      return new NodejsFunction(this, name, {
        entry: path.join(REPO_ROOT, options.entry),
        projectRoot: REPO_ROOT,
        depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: options.memorySize,
        timeout: options.timeout,
        logGroup,
        environment: {
          POWERTOOLS_SERVICE_NAME: `report-pipeline-${name.toLowerCase()}`,
          ...options.environment,
        },
        bundling: options.extract ? extractBundling : commonBundling,
      });
    };

    // 1769 MB is one full vCPU. Extraction is CPU-bound on one core per file, so below it the duration grows
    // as the memory shrinks (same GB-seconds, slower) and above it the second core idles. Measured by
    // `npm run bench`: peak ~250 MB (function + worker) on a 5-page report, and the worker may grow to its
    // 768 MB budget on a hostile file, which 1769 MB holds with room.
    const extract = fn('Extract', {
      entry: 'functions/handlers/extract-lambda.ts',
      memorySize: 1769,
      timeout: EXTRACT_TIMEOUT,
      environment: {},
      extract: true,
    });
    this.bucket.grantRead(extract, `${INCOMING_PREFIX}*`);
    this.bucket.grantPut(extract, `${EXTRACTED_PREFIX}*`);
    // Scanned reports (issue 24): the OCR function, invoked by the extract function only when a file needs it.
    new OcrFunction(this, 'Ocr', { bucket: this.bucket, readPrefix: INCOMING_PREFIX }).connect(extract);
    const extractTrigger = new BufferedTrigger(this, 'ExtractTrigger', {
      fn: extract,
      functionTimeout: EXTRACT_TIMEOUT,
      batchSize: 1,
    });
    this.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.SqsDestination(extractTrigger.queue),
      { prefix: INCOMING_PREFIX },
    );

    // What storing records and sending notices needs; a notice claim holds for the function's timeout.
    const recordsEnvironment = (timeout: Duration) => ({
      TABLE_NAME: this.table.tableName,
      AGENCY_TOPIC_ARN_PREFIX: agencyTopicArnPrefix,
      OPERATORS_TOPIC_ARN: this.topics.operators.topicArn,
      NOTICE_LEASE_MS: String(timeout.toMilliseconds()),
    });
    const parse = fn('Parse', {
      entry: 'functions/handlers/parse-lambda.ts',
      // Peak ~100 MB (bench), but its cold start (zod, the SDK) is CPU-bound: 1024 MB buys ~0.6 vCPU for it.
      memorySize: 1024,
      timeout: PARSE_TIMEOUT,
      environment: recordsEnvironment(PARSE_TIMEOUT),
    });
    this.bucket.grantRead(parse, `${EXTRACTED_PREFIX}*`);
    this.table.grantReadWriteData(parse);
    this.topics.grantPublish(parse, ['agency', 'operators']);
    const parseTrigger = new BufferedTrigger(this, 'ParseTrigger', {
      fn: parse,
      functionTimeout: PARSE_TIMEOUT,
      batchSize: 10,
    });
    this.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.SqsDestination(parseTrigger.queue),
      { prefix: EXTRACTED_PREFIX },
    );

    /**
     * A queue that is itself where failures end (an on-failure destination or a dead-letter queue), so it
     * needs no DLQ of its own; with `alarm`, an alarm as soon as one message waits in it.
     */
    const failureQueue = (name: string, whose: string, alarm?: string) => {
      const queue = new sqs.Queue(this, name, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      Validations.of(queue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself the ${whose}; it needs no DLQ.`,
      });
      if (alarm !== undefined) {
        new cloudwatch.Alarm(this, `${name}Alarm`, {
          alarmDescription: alarm,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      }
      return queue;
    };

    // The example downstream job: the table's stream as JSON lines under exports/.
    const exporter = fn('Export', {
      entry: 'functions/handlers/export-lambda.ts',
      memorySize: 512,
      timeout: Duration.seconds(60),
      environment: { EXPORT_BUCKET: this.bucket.bucketName },
    });
    this.bucket.grantPut(exporter, `${EXPORTS_PREFIX}*`);
    const exportFailures = failureQueue('ExportFailures', 'on-failure destination of the stream consumer');
    exporter.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        // Fewer, larger Parquet files (docs/analytics.md): up to 5 minutes of changes per invocation.
        batchSize: 1000,
        maxBatchingWindow: Duration.minutes(5),
        bisectBatchOnError: true,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(24),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(exportFailures),
        // Report and review items only: the reminder log shares the table and is no part of the contract.
        filters: [REPORT_PK_PREFIX, REVIEW_PK_PREFIX].map((prefix) =>
          lambda.FilterCriteria.filter({
            dynamodb: { Keys: { [ATTR.pk]: { S: lambda.FilterRule.beginsWith(prefix) } } },
          }),
        ),
      }),
    );

    // Re-evaluation: a new version item of year Y-1 on the stream re-evaluates the agency's year-Y record.
    const reevaluate = fn('Reevaluate', {
      entry: 'functions/handlers/reevaluate-lambda.ts',
      memorySize: 512,
      timeout: REEVALUATE_TIMEOUT,
      environment: recordsEnvironment(REEVALUATE_TIMEOUT),
    });
    this.table.grantReadWriteData(reevaluate);
    this.topics.grantPublish(reevaluate, ['agency', 'operators']);
    // A re-check that could not be made may hide a report that got worse: someone must look.
    const reevaluateFailures = failureQueue(
      'ReevaluateFailures',
      'on-failure destination of the re-evaluation consumer',
      'A re-evaluation failed 5 times: its stream record waits in the on-failure queue.',
    );
    reevaluate.addEventSource(
      new DynamoEventSource(this.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts: 5,
        maxRecordAge: Duration.hours(24),
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(reevaluateFailures),
        // Only version items can change a following year's record; current items and removals cannot.
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { Keys: { [ATTR.sk]: { S: lambda.FilterRule.beginsWith(VERSION_SK_PREFIX) } } },
          }),
        ],
      }),
    );

    // Reminders of the reporting season: every day at 09:00 China time from January to June; the function
    // decides who is due (functions/pipeline/reminder-calendar.ts). A retry of one firing carries the same
    // scheduled time, so the same day, and the reminder log makes it send nothing twice.
    const remind = fn('Remind', {
      entry: 'functions/handlers/remind-lambda.ts',
      memorySize: 512,
      timeout: REMIND_TIMEOUT,
      environment: {
        TABLE_NAME: this.table.tableName,
        AGENCY_TOPIC_ARN_PREFIX: agencyTopicArnPrefix,
        OFFICE_TOPIC_ARN_PREFIX: `${this.topics.arnPrefix}${this.topics.officeTopicPrefix}`,
      },
    });
    // Reads whether an agency has reported by key on the byAgencyYear index; writes only reminder-log items.
    remind.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${this.table.tableArn}/index/${INDEX_BY_AGENCY_YEAR}`],
      }),
    );
    remind.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${REMINDER_PK_PREFIX}*`] } },
      }),
    );
    this.topics.grantPublish(remind, ['agency', 'office']);
    const remindFailures = failureQueue(
      'RemindFailures',
      "dead-letter queue of the reminders' schedule",
      "A day's reminders could not be delivered to the function: see the dead-letter queue.",
    );
    const schedulerRole = new iam.Role(this, 'RemindersSchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'EventBridge Scheduler invokes the reminders function with this role.',
    });
    Validations.of(schedulerRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(remind.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason: 'LambdaInvoke grants invoking the reminders function and its versions; nothing else.',
    });
    new scheduler.Schedule(this, 'Reminders', {
      description: '年报提醒：申报季每天 09:00（北京时间）提醒未提交的单位，逾期后通知单位并汇总给督查办公室',
      schedule: scheduler.ScheduleExpression.cron({
        minute: '0',
        hour: '9',
        month: '1-6',
        timeZone: TimeZone.ASIA_SHANGHAI,
      }),
      target: new schedulerTargets.LambdaInvoke(remind, {
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: remindFailures,
        role: schedulerRole,
      }),
    });

    // The upload API: pre-signed POSTs under the caller's prefix, and the caller's own records.
    const range = props.uploadSizeRange ?? { min: 1, max: 50 * 1024 * 1024 };
    const apiFn = fn('Api', {
      entry: 'functions/handlers/api-lambda.ts',
      memorySize: 512,
      timeout: Duration.seconds(10),
      environment: {
        UPLOAD_BUCKET: this.bucket.bucketName,
        TABLE_NAME: this.table.tableName,
        UPLOAD_MIN_BYTES: String(range.min),
        UPLOAD_MAX_BYTES: String(range.max),
      },
    });
    // The pre-signed POST is signed with this role, so it may put under incoming/ and nothing else.
    this.bucket.grantPut(apiFn, `${INCOMING_PREFIX}*`);
    this.table.grantReadData(apiFn);
    // Reviewers' decisions are its only writes: new review items, never a report record (the condition
    // holds every written item's partition key to `review#…`).
    apiFn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${REVIEW_PK_PREFIX}*`] } },
      }),
    );
    // GET /uploads lists the caller's uploads for a year: ListBucket under incoming/ only (the handler
    // narrows the prefix to the caller's agency and year).
    apiFn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${INCOMING_PREFIX}*`] } },
      }),
    );
    this.api = new UploadApi(this, 'UploadApi', { fn: apiFn, allowedOrigins });

    // The records as a queryable dataset: Glue tables over the export's Parquet files, Athena workgroup.
    this.analytics = new Analytics(this, 'Analytics', {
      dataBucket: this.bucket,
      accessLogsBucket: accessLogs,
    });

    acknowledgeFindings(
      this,
      { extract, parse, exporter, reevaluate, api: apiFn, remind, topicSync: this.topics.syncFunction },
      this.getLogicalId(this.bucket.node.defaultChild as CfnElement),
      this.getLogicalId(this.table.node.defaultChild as CfnElement),
    );
    new CfnOutput(this, 'TopicKeyArn', {
      description: 'The key of the notification topics: `report-pipeline topics sync --key-arn` takes it.',
      value: this.topics.key.keyArn,
    });
    for (const trigger of [extractTrigger, parseTrigger]) {
      Validations.of(trigger.deadLetterQueue).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is the dead-letter queue of the trigger queue beside it.',
      });
    }
  }
}
