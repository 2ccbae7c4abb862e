import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Registry } from '../../functions/pipeline/registry.ts';
import {
  desiredTopics,
  MANAGED_TAG,
  PENDING,
  planTopicSync,
  summarize,
  syncTopics,
  type TopicNaming,
} from '../../functions/pipeline/topic-sync.ts';
import { MemorySns } from '../support/memory-sns.ts';

const naming: TopicNaming = {
  agencyPrefix: 'RP-agency-',
  officePrefix: 'RP-office-',
  arnPrefix: 'arn:aws-cn:sns:cn-north-1:123456789012:',
  kmsKeyArn: 'arn:aws-cn:kms:cn-north-1:123456789012:key/k',
};
const prefixes = [naming.agencyPrefix, naming.officePrefix];

const registry: Registry = {
  operators: [],
  offices: [
    { id: 'huaian-office', name: '淮安市政务公开办', supervisors: ['Boss@huaian.gov.cn'], supervisedBy: [] },
  ],
  agencies: [
    {
      id: 'huaian-gov',
      name: '淮安市人民政府',
      kind: 'government',
      supervisors: ['a@x.cn'],
      supervisedBy: ['huaian-office'],
    },
    {
      id: 'qinghe-edu',
      name: '清河区教育局',
      kind: 'department',
      supervisors: ['b@x.cn', 'c@x.cn'],
      supervisedBy: ['huaian-office'],
    },
  ],
};

async function sync(sns: MemorySns, r: Registry, removed: 'delete' | 'retain' = 'retain') {
  const result = await syncTopics(sns, desiredTopics(r, naming), { prefixes, removed, dryRun: false });
  sns.confirmAll();
  return result;
}
const replan = async (sns: MemorySns, r: Registry, removed: 'delete' | 'retain' = 'retain') =>
  planTopicSync(desiredTopics(r, naming), await sns.list(prefixes), { removed });

describe('topic sync plan', () => {
  it('creates a topic per agency and per office, encrypted, HTTPS-only, tagged, with its supervisors', async () => {
    const sns = new MemorySns();
    const { plan, applied } = await sync(sns, registry);
    expect(summarize(plan)).toMatchObject({ create: 3, subscribe: 4, unsubscribe: 0, delete: 0 });
    expect(applied).toBe(7);
    const topic = sns.topics.get('RP-agency-qinghe-edu');
    expect(topic?.attributes.DisplayName).toBe('清河区教育局 年报校验');
    expect(topic?.attributes.KmsMasterKeyId).toBe(naming.kmsKeyArn);
    expect(JSON.parse(topic?.attributes.Policy ?? '{}').Statement[0]).toMatchObject({
      Effect: 'Deny',
      Resource: 'arn:aws-cn:sns:cn-north-1:123456789012:RP-agency-qinghe-edu',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(topic?.tags).toEqual({ [MANAGED_TAG]: 'true', 'report-pipeline:owner': 'agency/qinghe-edu' });
    // Addresses compare case-insensitively: SNS keeps what it was given, the registry may differ in case.
    expect(sns.emails('RP-office-huaian-office')).toEqual(['boss@huaian.gov.cn']);
  });

  it('a second run changes nothing, and a dry run changes nothing either', async () => {
    const sns = new MemorySns();
    const dry = await syncTopics(sns, desiredTopics(registry, naming), {
      prefixes,
      removed: 'retain',
      dryRun: true,
    });
    expect(dry.applied).toBe(0);
    expect(sns.topics.size).toBe(0);
    await sync(sns, registry);
    const calls = sns.calls;
    const again = await sync(sns, registry);
    expect(again.plan.changes).toEqual([]);
    expect(sns.calls).toBe(calls + 1); // the listing only
  });

  it('renaming an agency sets the display name only; changing its id makes a new topic and retains the old', async () => {
    const sns = new MemorySns();
    await sync(sns, registry);
    const renamed = structuredClone(registry);
    (renamed.agencies[1] as { name: string }).name = '淮安市清河区教育体育局';
    expect((await replan(sns, renamed)).changes).toEqual([
      {
        kind: 'set-attribute',
        topic: 'RP-agency-qinghe-edu',
        name: 'DisplayName',
        value: '淮安市清河区教育体育局 年报校验',
      },
    ]);
    const moved = structuredClone(registry);
    (moved.agencies[1] as { id: string }).id = 'qinghe-jiaoti';
    const plan = await replan(sns, moved);
    expect(summarize(plan)).toMatchObject({ create: 1, subscribe: 2, retained: 1, delete: 0 });
    expect(plan.kept).toEqual([{ topic: 'RP-agency-qinghe-edu', reason: 'retained' }]);
    await sync(sns, moved);
    expect(sns.emails('RP-agency-qinghe-edu')).toEqual(['b@x.cn', 'c@x.cn']);
  });

  it('removing an agency deletes its topic only when asked, and only a topic tagged as ours', async () => {
    const sns = new MemorySns();
    await sync(sns, registry);
    await sns.apply({
      kind: 'create',
      topic: 'RP-agency-handmade',
      attributes: { DisplayName: 'x', KmsMasterKeyId: '', Policy: '{}' },
      tags: {},
    });
    const fewer = { ...registry, agencies: registry.agencies.slice(0, 1) };
    const plan = await replan(sns, fewer, 'delete');
    expect(plan.changes).toEqual([{ kind: 'delete', topic: 'RP-agency-qinghe-edu' }]);
    expect(plan.kept).toEqual([{ topic: 'RP-agency-handmade', reason: 'not-managed' }]);
    await sync(sns, fewer, 'delete');
    expect([...sns.topics.keys()].sort()).toEqual([
      'RP-agency-handmade',
      'RP-agency-huaian-gov',
      'RP-office-huaian-office',
    ]);
  });

  it('subscribes a new supervisor, unsubscribes a removed one, keeps other protocols and pending ones', async () => {
    const sns = new MemorySns();
    await sync(sns, registry);
    sns.addSubscription('RP-office-huaian-office', 'sqs', 'arn:aws-cn:sqs:cn-north-1:1:office-inbox');
    const changed = structuredClone(registry);
    (changed.agencies[1] as { supervisors: string[] }).supervisors = ['c@x.cn', 'd@x.cn'];
    (changed.offices?.[0] as { supervisors: string[] }).supervisors = [];
    const plan = await replan(sns, changed);
    expect(
      plan.changes.map((c) => `${c.kind} ${c.topic} ${'endpoint' in c ? c.endpoint : ''}`).sort(),
    ).toEqual([
      'subscribe RP-agency-qinghe-edu d@x.cn',
      'unsubscribe RP-agency-qinghe-edu b@x.cn',
      'unsubscribe RP-office-huaian-office boss@huaian.gov.cn',
    ]);
    await syncTopics(sns, desiredTopics(changed, naming), { prefixes, removed: 'retain', dryRun: false });
    expect(sns.topics.get('RP-office-huaian-office')?.subscriptions.map((s) => s.protocol)).toEqual(['sqs']);
    // d@ has not confirmed yet; dropping it from the registry again cannot unsubscribe it: it is reported.
    const back = await replan(sns, registry);
    expect(back.kept).toEqual([
      { topic: 'RP-agency-qinghe-edu', endpoint: 'd@x.cn', reason: 'pending-confirmation' },
    ]);
    expect(summarize(back)).toMatchObject({ subscribe: 2, unsubscribe: 0 });
  });

  it('an attribute changed by hand is set back; a policy SNS returns with its keys re-ordered is left alone', async () => {
    const sns = new MemorySns();
    await sync(sns, registry);
    const topic = sns.topics.get('RP-agency-huaian-gov');
    if (topic === undefined) throw new Error('no topic');
    const policy = JSON.parse(topic.attributes.Policy ?? '');
    topic.attributes.Policy = JSON.stringify({ Statement: policy.Statement, Version: policy.Version });
    expect((await replan(sns, registry)).changes).toEqual([]);
    topic.attributes.KmsMasterKeyId = 'alias/aws/sns';
    topic.tags = {};
    expect((await replan(sns, registry)).changes.map((c) => c.kind)).toEqual(['set-attribute', 'tag']);
  });

  it('property: from any earlier registry, applying the plan and planning again yields no change', async () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    const mail = fc.constantFrom('p@x.cn', 'q@x.cn', 'R@x.cn', 'r@x.cn', 's@x.cn');
    const reg = fc.record({
      agencies: fc.uniqueArray(
        fc.record({
          id,
          name: fc.constantFrom('甲局', '乙局'),
          supervisors: fc.array(mail, { maxLength: 3 }),
        }),
        { selector: (a) => a.id, maxLength: 4 },
      ),
      offices: fc.uniqueArray(
        fc.record({
          id,
          name: fc.constantFrom('公开办', '督查室'),
          supervisors: fc.array(mail, { maxLength: 3 }),
        }),
        {
          selector: (o) => o.id,
          maxLength: 3,
        },
      ),
    });
    const toRegistry = (r: {
      agencies: { id: string; name: string; supervisors: string[] }[];
      offices: { id: string; name: string; supervisors: string[] }[];
    }): Registry => ({
      operators: [],
      agencies: r.agencies.map((a) => ({ ...a, kind: 'department' as const, supervisedBy: [] })),
      offices: r.offices.map((o) => ({ ...o, supervisedBy: [] })),
    });
    await fc.assert(
      fc.asyncProperty(
        reg,
        reg,
        fc.boolean(),
        fc.constantFrom('delete', 'retain'),
        async (before, after, confirm, removed) => {
          const sns = new MemorySns();
          await syncTopics(sns, desiredTopics(toRegistry(before), naming), {
            prefixes,
            removed,
            dryRun: false,
          });
          if (confirm) sns.confirmAll();
          const target = toRegistry(after);
          await syncTopics(sns, desiredTopics(target, naming), { prefixes, removed, dryRun: false });
          const again = await replan(sns, target, removed as 'delete' | 'retain');
          expect(again.changes).toEqual([]);
          for (const want of desiredTopics(target, naming)) {
            const have = sns.emails(want.name).map((e) => e.toLowerCase());
            for (const s of want.subscribers) expect(have).toContain(s);
            // Extra addresses remain only while unconfirmed (SNS cannot unsubscribe those).
            const extra = have.filter((e) => !want.subscribers.includes(e));
            if (confirm)
              for (const e of extra)
                expect(
                  sns.topics.get(want.name)?.subscriptions.find((s) => s.endpoint.toLowerCase() === e)
                    ?.subscriptionArn,
                ).toBe(PENDING);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
