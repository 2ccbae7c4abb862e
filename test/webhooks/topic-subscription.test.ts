import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../functions/pipeline/registry.ts';
import {
  desiredTopics,
  planTopicSync,
  topicNaming,
  topicsDigest,
} from '../../functions/pipeline/topic-sync.ts';

/** The topic sync subscribes the group-robot queue to the topics of owners that name a webhook. */
const QUEUE = 'arn:aws-cn:sqs:cn-north-1:123456789012:Test-WebhookTriggerQueue';
const naming = topicNaming(
  'Test',
  'arn:aws-cn:sns:cn-north-1:123456789012:',
  'arn:aws-cn:kms:cn-north-1:1:key/k',
  QUEUE,
);
const office = { id: 'huaian-office', name: '淮安市政务公开办', supervisors: ['o@example.gov.cn'] };
const agency = {
  id: 'huaian-gov',
  name: '淮安市人民政府',
  kind: 'government',
  supervisors: [],
  supervisedBy: [office.id],
};
const base = { operators: [], offices: [office], agencies: [agency] };
const withHook = structuredClone(base) as typeof base & { offices: { webhook?: unknown }[] };
(withHook.offices[0] as { webhook?: unknown }).webhook = { robot: 'dingtalk', secret: 'huaian-office' };

const officeChanges = (changes: { topic: string }[]) =>
  changes.filter((c) => c.topic === 'Test-office-huaian-office');

describe('the webhook queue on the topics', () => {
  it('a new topic whose owner names a webhook gets the queue (sqs) besides its e-mail subscribers', () => {
    const plan = planTopicSync(desiredTopics(parseRegistry(withHook), naming), [], { removed: 'retain' });
    expect(plan.changes.filter((c) => c.kind === 'subscribe')).toEqual([
      { kind: 'subscribe', topic: 'Test-office-huaian-office', endpoint: 'o@example.gov.cn' },
      { kind: 'subscribe', topic: 'Test-office-huaian-office', endpoint: QUEUE, protocol: 'sqs' },
    ]);
  });

  it('an existing topic gets it once, and a second plan changes nothing', () => {
    const desired = desiredTopics(parseRegistry(withHook), naming);
    const office = desired.find((t) => t.name === 'Test-office-huaian-office');
    const existing = [
      {
        name: 'Test-office-huaian-office',
        attributes: office?.attributes ?? {},
        tags: office?.tags ?? {},
        subscriptions: [{ protocol: 'email', endpoint: 'o@example.gov.cn', subscriptionArn: 'arn:s:1' }],
      },
    ];
    expect(officeChanges(planTopicSync(desired, existing, { removed: 'retain' }).changes)).toEqual([
      { kind: 'subscribe', topic: 'Test-office-huaian-office', endpoint: QUEUE, protocol: 'sqs' },
    ]);
    existing[0]?.subscriptions.push({ protocol: 'sqs', endpoint: QUEUE, subscriptionArn: 'arn:s:2' });
    expect(officeChanges(planTopicSync(desired, existing, { removed: 'retain' }).changes)).toEqual([]);
  });

  it('naming a webhook changes the digest (CloudFormation syncs again); a registry without one keeps its digest', () => {
    expect(topicsDigest(parseRegistry(withHook))).not.toBe(topicsDigest(parseRegistry(base)));
    const queueless = desiredTopics(parseRegistry(withHook), topicNaming('Test', 'a:', 'k'));
    expect(queueless.every((t) => t.queues.length === 0)).toBe(true);
  });
});
