import { createHash } from 'node:crypto';
import { mapConcurrently } from './concurrently.ts';
import type { Registry } from './registry.ts';

/**
 * The registry's SNS topics, kept outside CloudFormation so a province's thousands of agencies do not
 * count against the stack's 500 resources: one topic per agency (`{agencyPrefix}{agencyId}`) and one per
 * supervising office (`{officePrefix}{officeId}`), each KMS-encrypted, HTTPS-only, tagged as ours, with
 * the registry's supervisors subscribed by e-mail. This module only plans: from what the registry wants
 * and what exists, the list of changes (no AWS SDK; functions/adapters/sns-topics.ts carries them out).
 *
 * Only e-mail subscriptions are the registry's: an office that subscribes its own queue or HTTPS endpoint
 * (with a filter policy) keeps it across syncs.
 */

export const MANAGED_TAG = 'report-pipeline:managed';
export const OWNER_TAG = 'report-pipeline:owner';
/** What SNS lists for an e-mail subscription not yet confirmed; it cannot be unsubscribed. */
export const PENDING = 'PendingConfirmation';

export type TopicOwner = { kind: 'agency' | 'office'; id: string };

export interface TopicNaming {
  agencyPrefix: string;
  officePrefix: string;
  /** `arn:{partition}:sns:{region}:{account}:` — the topic ARNs are this plus the name. */
  arnPrefix: string;
  /** The key every topic is encrypted with (its ARN). */
  kmsKeyArn: string;
  /** The queue of the group-robot notices: subscribed to the topics whose owner names a webhook. */
  webhookQueueArn?: string;
}

/**
 * The one naming rule of the registry's topics, from the stack's name: the stack scopes its IAM
 * statements to these prefixes, the sync manages only topics under them, the publishers derive ARNs.
 */
export const agencyTopicPrefix = (stackName: string): string => `${stackName}-agency-`;
export const officeTopicPrefix = (stackName: string): string => `${stackName}-office-`;

export function topicNaming(
  stackName: string,
  arnPrefix: string,
  kmsKeyArn: string,
  webhookQueueArn?: string,
): TopicNaming {
  return {
    ...(webhookQueueArn === undefined ? {} : { webhookQueueArn }),
    agencyPrefix: agencyTopicPrefix(stackName),
    officePrefix: officeTopicPrefix(stackName),
    arnPrefix,
    kmsKeyArn,
  };
}

export interface DesiredTopic {
  name: string;
  owner: TopicOwner;
  attributes: Record<'DisplayName' | 'KmsMasterKeyId' | 'Policy', string>;
  tags: Record<string, string>;
  /** E-mail addresses, lower-case. */
  subscribers: string[];
  /** Whether the owner names a group-robot webhook (registry `webhook`). */
  webhook: boolean;
  /** SQS queue ARNs subscribed (the webhook queue, where the owner has a webhook and the stack one). */
  queues: string[];
}

export interface ExistingSubscription {
  protocol: string;
  endpoint: string;
  /** The subscription's ARN, or {@link PENDING}. */
  subscriptionArn: string;
}

export interface ExistingTopic {
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  subscriptions: ExistingSubscription[];
}

export type TopicChange =
  | { kind: 'create'; topic: string; attributes: DesiredTopic['attributes']; tags: Record<string, string> }
  | { kind: 'set-attribute'; topic: string; name: string; value: string }
  | { kind: 'tag'; topic: string; tags: Record<string, string> }
  | { kind: 'subscribe'; topic: string; endpoint: string; protocol?: 'sqs' }
  | { kind: 'unsubscribe'; topic: string; endpoint: string; subscriptionArn: string }
  | { kind: 'delete'; topic: string };

/** What the sync leaves alone on purpose, and why (printed with the plan). */
export interface Kept {
  topic: string;
  endpoint?: string;
  reason: 'retained' | 'not-managed' | 'pending-confirmation';
}

export interface TopicPlan {
  changes: TopicChange[];
  kept: Kept[];
}

/** Topics of registry entries that are gone: deleted, or left in place with their subscribers. */
export type RemovedTopics = 'delete' | 'retain';

const email = (address: string) => address.trim().toLowerCase();

/** The resource policy of a topic: publishing only over TLS (as CDK's `enforceSSL` writes it). */
export function topicPolicy(topicArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AllowPublishThroughSSLOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

/** The topics the registry asks for, agencies then offices. */
export function desiredTopics(registry: Registry, naming: TopicNaming): DesiredTopic[] {
  const topic = (
    owner: TopicOwner,
    displayName: string,
    supervisors: string[],
    webhook: unknown,
  ): DesiredTopic => {
    const name = `${owner.kind === 'agency' ? naming.agencyPrefix : naming.officePrefix}${owner.id}`;
    return {
      name,
      owner,
      // SNS shows the display name as the sender of e-mails; it takes at most 100 characters.
      attributes: {
        DisplayName: displayName.slice(0, 100),
        KmsMasterKeyId: naming.kmsKeyArn,
        Policy: topicPolicy(`${naming.arnPrefix}${name}`),
      },
      tags: { [MANAGED_TAG]: 'true', [OWNER_TAG]: `${owner.kind}/${owner.id}` },
      subscribers: [...new Set(supervisors.map(email))].sort(),
      webhook: webhook !== undefined,
      queues: webhook !== undefined && naming.webhookQueueArn !== undefined ? [naming.webhookQueueArn] : [],
    };
  };
  return [
    ...registry.agencies.map((a) =>
      topic({ kind: 'agency', id: a.id }, `${a.name} 年报校验`, a.supervisors, a.webhook),
    ),
    ...(registry.offices ?? []).map((o) =>
      topic({ kind: 'office', id: o.id }, `${o.name} 年报督查`, o.supervisors, o.webhook),
    ),
  ];
}

/**
 * A digest of what the registry asks of the topics (names, display names, subscribers). The stack passes
 * it to the sync's custom resource, so CloudFormation runs the sync whenever it changes, and the sync
 * checks it against the registry bundled into its function.
 */
export function topicsDigest(registry: Registry): string {
  const naming = topicNaming('', '', '');
  // A webhook adds the queue's subscription: an entry only where there is one (older digests stay).
  const what = desiredTopics(registry, naming).map((t) =>
    t.webhook
      ? [t.name, t.attributes.DisplayName, t.subscribers, 'webhook']
      : [t.name, t.attributes.DisplayName, t.subscribers],
  );
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

/** JSON with sorted keys, so a policy SNS hands back re-ordered still compares equal. */
function canonical(json: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  try {
    return JSON.stringify(sort(JSON.parse(json)));
  } catch {
    return json;
  }
}

function sameAttribute(name: string, want: string, have: string | undefined): boolean {
  if (have === undefined) return false;
  return name === 'Policy' ? canonical(want) === canonical(have) : want === have;
}

function changesOf(want: DesiredTopic, have: ExistingTopic): { changes: TopicChange[]; kept: Kept[] } {
  const changes: TopicChange[] = [];
  const kept: Kept[] = [];
  const topic = want.name;
  for (const [name, value] of Object.entries(want.attributes)) {
    if (!sameAttribute(name, value, have.attributes[name]))
      changes.push({ kind: 'set-attribute', topic, name, value });
  }
  const missingTags = Object.fromEntries(Object.entries(want.tags).filter(([k, v]) => have.tags[k] !== v));
  if (Object.keys(missingTags).length > 0) changes.push({ kind: 'tag', topic, tags: missingTags });
  const emails = have.subscriptions.filter((s) => s.protocol === 'email');
  const present = new Set(emails.map((s) => email(s.endpoint)));
  for (const endpoint of want.subscribers) {
    if (!present.has(endpoint)) changes.push({ kind: 'subscribe', topic, endpoint });
  }
  const wanted = new Set(want.subscribers);
  for (const s of emails) {
    if (wanted.has(email(s.endpoint))) continue;
    if (s.subscriptionArn === PENDING)
      kept.push({ topic, endpoint: s.endpoint, reason: 'pending-confirmation' });
    else
      changes.push({ kind: 'unsubscribe', topic, endpoint: s.endpoint, subscriptionArn: s.subscriptionArn });
  }
  // The webhook queue: subscribed where the owner has a webhook, unsubscribed where it no longer has.
  const queue = want.queues[0];
  const queueSubs = have.subscriptions.filter((s) => s.protocol === 'sqs');
  if (queue !== undefined && !queueSubs.some((s) => s.endpoint === queue)) {
    changes.push({ kind: 'subscribe', topic, endpoint: queue, protocol: 'sqs' });
  }
  return { changes, kept };
}

/**
 * The changes that make the existing topics (those whose names start with one of the prefixes) what the
 * registry asks for. Applying them and planning again yields no change. A topic that is no longer in the
 * registry is deleted only when `removed` is 'delete' and it carries our tag; otherwise it is kept.
 */
export function planTopicSync(
  desired: readonly DesiredTopic[],
  existing: readonly ExistingTopic[],
  options: { removed: RemovedTopics },
): TopicPlan {
  const have = new Map(existing.map((t) => [t.name, t]));
  const changes: TopicChange[] = [];
  const kept: Kept[] = [];
  for (const want of desired) {
    const current = have.get(want.name);
    if (current === undefined) {
      changes.push({ kind: 'create', topic: want.name, attributes: want.attributes, tags: want.tags });
      for (const endpoint of want.subscribers)
        changes.push({ kind: 'subscribe', topic: want.name, endpoint });
      for (const endpoint of want.queues)
        changes.push({ kind: 'subscribe', topic: want.name, endpoint, protocol: 'sqs' });
      continue;
    }
    const diff = changesOf(want, current);
    changes.push(...diff.changes);
    kept.push(...diff.kept);
  }
  const wanted = new Set(desired.map((d) => d.name));
  for (const topic of [...existing].sort((a, b) => a.name.localeCompare(b.name))) {
    if (wanted.has(topic.name)) continue;
    if (topic.tags[MANAGED_TAG] !== 'true') kept.push({ topic: topic.name, reason: 'not-managed' });
    else if (options.removed === 'delete') changes.push({ kind: 'delete', topic: topic.name });
    else kept.push({ topic: topic.name, reason: 'retained' });
  }
  return { changes, kept };
}

/** Counts of a plan's changes by kind, for the custom resource's and the command's report. */
export function summarize(plan: TopicPlan): Record<TopicChange['kind'] | Kept['reason'], number> {
  const counts = {
    create: 0,
    'set-attribute': 0,
    tag: 0,
    subscribe: 0,
    unsubscribe: 0,
    delete: 0,
    retained: 0,
    'not-managed': 0,
    'pending-confirmation': 0,
  };
  for (const c of plan.changes) counts[c.kind]++;
  for (const k of plan.kept) counts[k.reason]++;
  return counts;
}

const KEPT: Record<Kept['reason'], [string, string]> = {
  retained: ['retain', 'no longer in the registry; --delete-removed deletes it'],
  'not-managed': ['leave', 'not tagged as managed by the pipeline'],
  'pending-confirmation': ['leave', 'unconfirmed e-mail subscription; SNS drops it after 3 days'],
};

/** One line per change or kept item, as `topics sync` prints the plan. */
export function describeChange(c: TopicChange | Kept): string {
  if ('reason' in c) {
    const what = c.endpoint === undefined ? c.topic : `${c.topic} ← ${c.endpoint}`;
    const [verb, why] = KEPT[c.reason];
    return `${verb.padEnd(14)}${what}  (${why})`;
  }
  switch (c.kind) {
    case 'create':
      return `${'create'.padEnd(14)}${c.topic}  "${c.attributes.DisplayName}"`;
    case 'set-attribute':
      return `${'set'.padEnd(14)}${c.topic}  ${c.name}`;
    case 'tag':
      return `${'tag'.padEnd(14)}${c.topic}  ${Object.entries(c.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`;
    case 'subscribe':
      return `${'subscribe'.padEnd(14)}${c.topic} ← ${c.endpoint}`;
    case 'unsubscribe':
      return `${'unsubscribe'.padEnd(14)}${c.topic} ← ${c.endpoint}`;
    case 'delete':
      return `${'delete'.padEnd(14)}${c.topic}`;
  }
}

/** What the sync needs of SNS (functions/adapters/sns-topics.ts; an in-memory one in the tests). */
export interface TopicAdmin {
  /** The topics whose names start with one of the prefixes, with attributes, tags and subscriptions. */
  list(prefixes: readonly string[]): Promise<ExistingTopic[]>;
  apply(change: TopicChange): Promise<void>;
}

export interface SyncResult {
  plan: TopicPlan;
  /** How many changes were carried out (0 on a dry run). */
  applied: number;
}

/**
 * Plans and (unless `dryRun`) applies: the changes of one topic in order (create before subscribe),
 * `concurrency` topics at a time. A failure stops the sync and is thrown; what was applied stays, and
 * the next sync plans only what is left.
 */
export async function syncTopics(
  admin: TopicAdmin,
  desired: readonly DesiredTopic[],
  options: { prefixes: readonly string[]; removed: RemovedTopics; dryRun: boolean; concurrency?: number },
): Promise<SyncResult> {
  const plan = planTopicSync(desired, await admin.list(options.prefixes), { removed: options.removed });
  if (options.dryRun) return { plan, applied: 0 };
  const byTopic = new Map<string, TopicChange[]>();
  for (const c of plan.changes) byTopic.set(c.topic, [...(byTopic.get(c.topic) ?? []), c]);
  let applied = 0;
  await mapConcurrently([...byTopic.values()], options.concurrency ?? 8, async (changes) => {
    for (const change of changes) {
      await admin.apply(change);
      applied++;
    }
  });
  return { plan, applied };
}
