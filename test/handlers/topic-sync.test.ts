import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  type CustomResourceResponse,
  createTopicSyncHandler,
} from '../../functions/handlers/topic-sync-handler.ts';
import { topicNaming, topicsDigest } from '../../functions/pipeline/topic-sync.ts';
import { generatedRegistry } from '../support/big-registry.ts';
import { MemorySns } from '../support/memory-sns.ts';

const registry = generatedRegistry(40, 5);
const naming = topicNaming(
  'RP',
  'arn:aws-cn:sns:cn-north-1:123456789012:',
  'arn:aws-cn:kms:cn-north-1:123456789012:key/k',
);
const logger = new Logger({ logLevel: 'SILENT' });

function event(type: 'Create' | 'Update' | 'Delete', digest = topicsDigest(registry)) {
  return {
    RequestType: type,
    ResponseURL: 'https://cloudformation-custom-resource-response.example/presigned',
    StackId: 'arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/RP/1',
    RequestId: 'r-1',
    LogicalResourceId: 'TopicsSynced',
    ResourceType: 'Custom::RegistryTopics',
    ServiceToken: 'arn:fn',
    ResourceProperties: { ServiceToken: 'arn:fn', Digest: digest },
    ...(type === 'Create'
      ? {}
      : { PhysicalResourceId: 'registry-topics-RP-agency-', OldResourceProperties: {} }),
  } as unknown as CloudFormationCustomResourceEvent;
}

function setup(admin = new MemorySns()) {
  const answers: [string, CustomResourceResponse][] = [];
  const handler = createTopicSyncHandler({
    admin,
    registry,
    naming,
    removed: 'retain',
    logger,
    respond: async (url, body) => {
      answers.push([url, body]);
    },
  });
  return { admin, answers, handler };
}

describe('the registry topics custom resource', () => {
  it('Create syncs and answers CloudFormation with what changed; Update then changes nothing', async () => {
    const { admin, answers, handler } = setup();
    await handler(event('Create'));
    expect(answers[0]?.[0]).toBe('https://cloudformation-custom-resource-response.example/presigned');
    expect(answers[0]?.[1]).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'registry-topics-RP-agency-',
      RequestId: 'r-1',
      LogicalResourceId: 'TopicsSynced',
      Data: { create: 45, subscribe: 40 + 14 + 5, applied: 45 + 59 },
    });
    expect(admin.topics.size).toBe(45);
    await handler(event('Update'));
    expect(answers[1]?.[1]).toMatchObject({
      Status: 'SUCCESS',
      Data: { create: 0, subscribe: 0, applied: 0 },
    });
  });

  it('refuses a registry other than the one the stack was synthesized from, and changes nothing', async () => {
    const { admin, answers, handler } = setup();
    await handler(event('Create', 'other'));
    expect(answers[0]?.[1].Status).toBe('FAILED');
    expect(answers[0]?.[1].Reason).toContain('not the one the stack was synthesized from');
    expect(admin.topics.size).toBe(0);
  });

  it('Delete leaves the topics and their subscribers', async () => {
    const { admin, answers, handler } = setup();
    await handler(event('Create'));
    await handler(event('Delete'));
    expect(answers[1]?.[1].Status).toBe('SUCCESS');
    expect(admin.topics.size).toBe(45);
  });

  it('answers FAILED before the function times out when the sync runs long', async () => {
    const stuck = new MemorySns();
    stuck.list = () => new Promise(() => {});
    const { answers, handler } = setup(stuck);
    await handler(event('Create'), { getRemainingTimeInMillis: () => 20_050 } as Context);
    expect(answers[0]?.[1].Status).toBe('FAILED');
    expect(answers[0]?.[1].Reason).toContain('report-pipeline topics sync');
  });
});
