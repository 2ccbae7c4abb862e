import { Annotations, CfnOutput, Stack, type StackProps, Token } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENV } from '../functions/env-names.ts';
import type { Registry } from '../functions/pipeline/registry.ts';
import type { RemovedTopics } from '../functions/pipeline/topic-sync.ts';
import { Analytics } from './constructs/analytics.ts';
import { HostedPages } from './constructs/hosted-pages.ts';
import { RegistryTopics } from './constructs/registry-topics.ts';
import { type Identity, UploadApi } from './constructs/upload-api.ts';
import { defaultResource } from './default-resource.ts';
import { acknowledgeFindings } from './nag-acknowledgements.ts';
import { apiFunction, DEFAULT_UPLOAD_SIZE_RANGE } from './parts/api-function.ts';
import { ingest } from './parts/ingest.ts';
import { defaultReminderSchedule, type ReminderSchedule, reminders } from './parts/reminders.ts';
import { allowBrowserUploads, reportsTable, uploadBuckets } from './parts/storage.ts';
import { streamConsumers } from './parts/stream-consumers.ts';
import { webhooks } from './parts/webhooks.ts';
import { isChinaRegion } from './region.ts';

export { EXTRACT_TIMEOUT, PARSE_TIMEOUT } from './parts/ingest.ts';
export { REMIND_TIMEOUT } from './parts/reminders.ts';
export { REEVALUATE_TIMEOUT } from './parts/stream-consumers.ts';

export interface ReportPipelineStackProps extends StackProps {
  registry: Registry;
  /**
   * Origins of pages hosted elsewhere that may call the API and POST uploads (CORS); never `*`. The
   * hosted pages' own origin needs no entry: the API is on it, and the bucket allows it.
   */
  allowedOrigins?: string[];
  /** Size range of pre-signed uploads, in bytes (default 1 B – 50 MB). */
  uploadSizeRange?: { min: number; max: number };
  /** What the topic sync does with the topic of an agency or office removed from the registry (default retain). */
  removedTopics?: RemovedTopics;
  /** Addresses subscribed to the operators' topic besides the registry's `operators`. */
  operatorsEmails?: string[];
  /** Who signs the API's tokens: an OpenID Connect issuer, or (default, not in China) a Cognito user pool. */
  identity?: Identity;
  /**
   * The pages hosted behind CloudFront (default), with an alternate domain name and its certificate
   * (required in China: an ICP-registered domain and an IAM server certificate); false: not hosted.
   */
  pages?: false | { domain?: { name: string; certificate: string } };
  /** What fires the daily reminders: EventBridge Scheduler (default) or an EventBridge rule (default in China). */
  reminderSchedule?: ReminderSchedule;
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
  readonly pages: HostedPages | undefined;
  readonly analytics: Analytics;

  constructor(scope: Construct, id: string, props: ReportPipelineStackProps) {
    super(scope, id, props);
    const allowedOrigins = props.allowedOrigins ?? [];
    if (allowedOrigins.includes('*')) throw new Error("allowedOrigins: name the pages' origins, never *");

    const { bucket, accessLogs } = uploadBuckets(this, allowedOrigins);
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
    webhooks(this, data);
    const remind = reminders(this, {
      ...data,
      schedule: props.reminderSchedule ?? defaultReminderSchedule(this),
    });
    const identity = props.identity ?? { kind: 'cognito' };
    const api = apiFunction(this, {
      ...data,
      range: props.uploadSizeRange ?? DEFAULT_UPLOAD_SIZE_RANGE,
      ...(identity.kind === 'oidc'
        ? {
            claims: {
              [ENV.agencyClaim]: identity.claims.agency,
              [ENV.officeClaim]: identity.claims.office,
              [ENV.groupsClaim]: identity.claims.groups,
            },
          }
        : {}),
    });
    this.api = new UploadApi(this, 'UploadApi', { fn: api, allowedOrigins, identity });
    this.pages = this.hostPages(props.pages ?? {}, accessLogs);
    if (this.pages !== undefined) allowBrowserUploads(bucket, [this.pages.origin]);
    // The records as a queryable dataset: Glue tables over the export's Parquet files, Athena workgroup.
    this.analytics = new Analytics(this, 'Analytics', { dataBucket: bucket, accessLogsBucket: accessLogs });

    if (!Token.isUnresolved(this.region) && isChinaRegion(this.region))
      this.runNotificationsHandlerOnPython312();
    acknowledgeFindings(
      this,
      { extract, parse, exporter, reevaluate, api, remind, topicSync: this.topics.syncFunction },
      this.getLogicalId(defaultResource(bucket)),
      this.getLogicalId(defaultResource(this.table)),
    );
    if (this.pages !== undefined) new CfnOutput(this, 'PagesUrl', { value: this.pages.origin });
    new CfnOutput(this, 'TopicKeyArn', {
      description: 'The key of the notification topics: `report-pipeline topics sync --key-arn` takes it.',
      value: this.topics.key.keyArn,
    });
    if (this.topics.webhookQueueArn !== undefined)
      new CfnOutput(this, 'WebhookQueueArn', {
        description:
          "The group robots' queue: `report-pipeline topics sync --webhook-queue-arn` subscribes it to their owners' topics.",
        value: this.topics.webhookQueueArn,
      });
  }

  /**
   * CDK writes its bucket-notifications handler (a Python singleton) for python3.13, which no source on
   * the China regions here confirms; the handler's code runs unchanged on python3.12, which
   * CloudFormation's China schema lists (lib/china-availability.json).
   */
  private runNotificationsHandlerOnPython312(): void {
    const handler = this.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (handler !== undefined) defaultResource(handler).addPropertyOverride('Runtime', 'python3.12');
  }

  /** The hosted pages, unless disabled or impossible (China without an ICP-registered domain). */
  private hostPages(pages: NonNullable<ReportPipelineStackProps['pages']>, accessLogs: s3.Bucket) {
    if (pages === false) return undefined;
    if (pages.domain === undefined && !Token.isUnresolved(this.region) && isChinaRegion(this.region)) {
      Annotations.of(this).addWarningV2(
        'report-pipeline:pages-not-hosted',
        'The pages are not hosted: CloudFront in the China regions serves only an ICP-registered domain (-c pagesDomain=… -c pagesCertificate=IAM_CERT_ID). Browsers elsewhere need -c allowedOrigins.',
      );
      return undefined;
    }
    return new HostedPages(this, 'Pages', {
      api: this.api.api,
      signIn: this.api.signIn,
      accessLogs,
      ...(pages.domain === undefined ? {} : { domain: pages.domain }),
    });
  }
}
