import { messageOf } from '../../functions/extract/index.ts';
import { loadRegistry } from '../../functions/pipeline/registry.ts';
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

function parseOptions(args: string[]) {
  const { values, positionals } = parse(args, {
    'key-arn': { type: 'string' },
    stack: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'delete-removed': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals[0] !== 'sync' || positionals.length > 1)
    throw new UsageError(
      'usage: report-pipeline topics sync --key-arn ARN [--stack NAME] [--dry-run] [--delete-removed] [--json]',
    );
  const keyArn = values['key-arn'] ?? '';
  const key = KEY_ARN.exec(keyArn);
  if (key === null)
    throw new UsageError("--key-arn takes the topics' KMS key ARN (the stack's TopicKeyArn output)");
  const [, partition = '', region = '', account = ''] = key;
  return {
    keyArn,
    region,
    arnPrefix: `arn:${partition}:sns:${region}:${account}:`,
    stack: values.stack ?? 'ReportPipeline',
    dryRun: values['dry-run'] === true,
    removed: values['delete-removed'] === true ? ('delete' as const) : ('retain' as const),
    json: values.json === true,
  };
}

/**
 * `report-pipeline topics sync --key-arn ARN [--stack NAME] [--dry-run] [--delete-removed] [--json]`: makes
 * the SNS topics of the registry's agencies and offices what config/agencies.json says, as the deploy's
 * custom resource does, and prints the plan (create, set, tag, subscribe, unsubscribe, delete or retain).
 * The region and account come from the key's ARN; credentials from the usual AWS environment.
 */
export async function topicsCommand(
  args: string[],
  adminFor?: (region: string, arnPrefix: string) => TopicAdmin,
): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(args);
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
  const naming = topicNaming(options.stack, options.arnPrefix, options.keyArn);
  const { plan, applied } = await syncTopics(admin, desiredTopics(loadRegistry(), naming), {
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
