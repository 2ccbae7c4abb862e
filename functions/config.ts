import { z } from 'zod';
import { COGNITO_CLAIMS } from './api/claims.ts';
import { ENV } from './env-names.ts';

/**
 * Lambda configuration from the environment, validated once when a handler module loads: a missing or
 * malformed variable stops the function at start-up with a message naming it, not at the first event.
 * The variables' names come from env-names.ts, which the stack imports too.
 */
const arn = () => z.string().startsWith('arn:');
const Common = z.object({
  [ENV.region]: z.string().min(1).default('cn-north-1'),
  [ENV.serviceName]: z.string().default('report-pipeline'),
  /** Set to talk to an S3-compatible endpoint (the local run): path-style addressing, checksums only when required. */
  [ENV.s3Endpoint]: z.url().optional(),
});

export const ExtractConfig = Common;
export const ParseConfig = Common.extend({
  [ENV.tableName]: z.string().min(1),
  [ENV.agencyTopicArnPrefix]: arn(),
  [ENV.operatorsTopicArn]: arn(),
  /** How long a claim to send a notice holds (ms): the stack sets the function's timeout. */
  [ENV.noticeLeaseMs]: z.coerce.number().int().min(0).default(60_000),
});
/** The re-evaluation stream consumer needs what the parse step needs to store and notify. */
export const ReevaluateConfig = ParseConfig;
export const ExportConfig = Common.extend({
  [ENV.exportBucket]: z.string().min(1),
});

/** The daily reminders: where records are, and the ARN prefixes of the agencies' and offices' topics. */
export const RemindConfig = Common.extend({
  [ENV.tableName]: z.string().min(1),
  [ENV.agencyTopicArnPrefix]: arn(),
  [ENV.officeTopicArnPrefix]: arn(),
});
/** The registry topics' sync (a CloudFormation custom resource): names, key, what to do with removed topics. */
export const TopicSyncConfig = Common.extend({
  [ENV.stackName]: z.string().min(1),
  [ENV.topicArnPrefix]: arn(),
  [ENV.topicKeyArn]: arn(),
  [ENV.removedTopics]: z.enum(['delete', 'retain']).default('retain'),
  /** The group-robot notices' queue, subscribed to the topics of owners with a webhook (absent: none). */
  [ENV.webhookQueueArn]: arn().optional(),
});

/** The group-robot notices: the ARN prefixes that name a topic's owner, and where the webhook secrets are. */
export const WebhookConfig = Common.extend({
  [ENV.agencyTopicArnPrefix]: arn(),
  [ENV.officeTopicArnPrefix]: arn(),
  /** The name prefix of the webhook secrets in Secrets Manager (`{stack}/webhooks/`). */
  [ENV.webhookSecretPrefix]: z.string().min(1),
  /** How long one post to a robot may take before it counts as failed and is retried. */
  [ENV.webhookTimeoutMs]: z.coerce.number().int().min(100).max(20_000).default(5000),
});

/** The pages' publication (a custom resource): the bucket the site is served from. */
export const PagesDeployConfig = Common.extend({
  [ENV.pagesBucket]: z.string().min(1),
});

export const ApiConfig = Common.extend({
  [ENV.uploadBucket]: z.string().min(1),
  [ENV.tableName]: z.string().min(1),
  [ENV.uploadMinBytes]: z.coerce.number().int().min(1).default(1),
  [ENV.uploadMaxBytes]: z.coerce
    .number()
    .int()
    .min(1)
    .default(50 * 1024 * 1024),
  /** The token claims naming the caller (functions/api/claims.ts): Cognito's unless the stack sets others. */
  [ENV.agencyClaim]: z.string().min(1).default(COGNITO_CLAIMS.agency),
  [ENV.officeClaim]: z.string().min(1).default(COGNITO_CLAIMS.office),
  [ENV.groupsClaim]: z.string().min(1).default(COGNITO_CLAIMS.groups),
});

/**
 * The environment the stack must set for a function of this configuration: every variable without a
 * default is required, those with one optional; the runtime's own (AWS_REGION) and the service name
 * (set by the function defaults) are left out. All values are strings, as Lambda passes them.
 */
type OwnInput<T extends z.ZodObject> = Omit<z.input<T>, keyof z.input<typeof Common>>;
export type FunctionEnvironment<T extends z.ZodObject> = { [K in keyof OwnInput<T>]: string };

export function loadConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}
