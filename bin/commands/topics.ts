import { messageOf } from '../../functions/extract/index.ts';
import { loadRegistry, type Registry } from '../../functions/pipeline/registry.ts';
import {
  describeChange,
  desiredTopics,
  summarize,
  syncTopics,
  type TopicAdmin,
  topicNaming,
} from '../../functions/pipeline/topic-sync.ts';
import { parse, UsageError } from './options.ts';

const KEY_ARN = /^arn:([^:]+):kms:([^:]+):(\d{12}):key\/.+$/;
const QUEUE_ARN = /^arn:([^:]+):sqs:([^:]+):(\d{12}):[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const USAGE =
  'usage: report-pipeline topics sync --key-arn ARN [--webhook-queue-arn ARN] [--stack NAME] [--dry-run] [--delete-removed] [--json]';

function parseOptions(args: string[], registry: Registry) {
  const { values, positionals } = parse(args, {
    'key-arn': { type: 'string' },
    'webhook-queue-arn': { type: 'string' },
    stack: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'delete-removed': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals[0] !== 'sync' || positionals.length > 1) throw new UsageError(USAGE);
  const keyArn = values['key-arn'] ?? '';
  const key = KEY_ARN.exec(keyArn);
  if (key === null)
    throw new UsageError("--key-arn takes the topics' KMS key ARN (the stack's TopicKeyArn output)");
  const [, partition = '', region = '', account = ''] = key;
  const webhookQueueArn = values['webhook-queue-arn'];
  if (webhookQueueArn !== undefined) {
    const queue = QUEUE_ARN.exec(webhookQueueArn);
    if (queue === null || queue[1] !== partition || queue[2] !== region || queue[3] !== account)
      throw new UsageError(
        "--webhook-queue-arn takes the robots' queue ARN (the stack's WebhookQueueArn output), in the key's partition, region and account",
      );
  }
  // Without the queue, a sync would leave every robot named in the registry without its notices, silently.
  const robots = [...registry.agencies, ...registry.offices].filter((o) => o.webhook !== undefined);
  if (robots.length > 0 && webhookQueueArn === undefined)
    throw new UsageError(
      `the registry names group robots (${robots.map((o) => o.id).join(', ')}): --webhook-queue-arn takes the stack's WebhookQueueArn output, which their topics are subscribed to`,
    );
  return {
    keyArn,
    webhookQueueArn,
    region,
    arnPrefix: `arn:${partition}:sns:${region}:${account}:`,
    stack: values.stack ?? 'ReportPipeline',
    dryRun: values['dry-run'] === true,
    removed: values['delete-removed'] === true ? ('delete' as const) : ('retain' as const),
    json: values.json === true,
  };
}

/**
 * `report-pipeline topics sync --key-arn ARN [--webhook-queue-arn ARN] [--stack NAME] [--dry-run]
 * [--delete-removed] [--json]`: makes the SNS topics of the registry's agencies and offices what
 * config/agencies.json says, as the deploy's custom resource does (the robots' queue subscribed to the
 * topics whose owner names a webhook), and prints the plan (create, set, tag, subscribe, unsubscribe,
 * delete or retain).
 * The region and account come from the key's ARN; credentials from the usual AWS environment.
 */
export async function topicsCommand(
  args: string[],
  adminFor?: (region: string, arnPrefix: string) => TopicAdmin,
  registry: Registry = loadRegistry(),
): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(args, registry);
  } catch (error) {
    process.stderr.write(`report-pipeline topics: ${messageOf(error)}\n`);
    return 2;
  }
  const admin =
    adminFor?.(options.region, options.arnPrefix) ??
    (await (async () => {
      const { SNSClient } = await import('@aws-sdk/client-sns');
      const { SnsTopicAdmin } = await import('../../functions/adapters/sns-topics.ts');
      return new SnsTopicAdmin(new SNSClient({ region: options.region, maxAttempts: 10 }), options.arnPrefix);
    })());
  const naming = topicNaming(options.stack, options.arnPrefix, options.keyArn, options.webhookQueueArn);
  const { plan, applied } = await syncTopics(admin, desiredTopics(registry, naming), {
    prefixes: [naming.agencyPrefix, naming.officePrefix],
    removed: options.removed,
    dryRun: options.dryRun,
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ dryRun: options.dryRun, applied, ...plan })}\n`);
    return 0;
  }
  for (const item of [...plan.changes, ...plan.kept]) process.stdout.write(`${describeChange(item)}\n`);
  const counts = Object.entries(summarize(plan))
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  process.stdout.write(
    `\n${options.dryRun ? 'Plan (dry run, nothing changed)' : `Applied ${applied} change(s)`}: ${counts || 'nothing to do'}\n`,
  );
  return 0;
}
