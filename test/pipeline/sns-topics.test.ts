import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SnsTopicAdmin } from '../../functions/adapters/sns-topics.ts';

const ARN = 'arn:aws-cn:sns:cn-north-1:123456789012:';

describe('SnsTopicAdmin', () => {
  it('lists only topics under the prefixes, across pages, with attributes, tags and their subscriptions', async () => {
    const sns = mockClient(SNSClient);
    sns
      .on(ListTopicsCommand, { NextToken: undefined })
      .resolves({ Topics: [{ TopicArn: `${ARN}RP-agency-a` }, { TopicArn: `${ARN}other` }], NextToken: 't2' })
      .on(ListTopicsCommand, { NextToken: 't2' })
      .resolves({ Topics: [{ TopicArn: `${ARN}RP-office-o` }, { TopicArn: `${ARN}RP-operators` }] });
    sns.on(ListSubscriptionsCommand).resolves({
      Subscriptions: [
        {
          TopicArn: `${ARN}RP-agency-a`,
          Protocol: 'email',
          Endpoint: 'a@x.cn',
          SubscriptionArn: 'PendingConfirmation',
        },
        { TopicArn: `${ARN}other`, Protocol: 'email', Endpoint: 'z@x.cn', SubscriptionArn: `${ARN}other:1` },
        {
          TopicArn: `${ARN}RP-office-o`,
          Protocol: 'sqs',
          Endpoint: 'arn:q',
          SubscriptionArn: `${ARN}RP-office-o:2`,
        },
      ],
    });
    sns.on(GetTopicAttributesCommand).callsFake((input) => ({ Attributes: { DisplayName: input.TopicArn } }));
    sns
      .on(ListTagsForResourceCommand)
      .resolves({ Tags: [{ Key: 'report-pipeline:managed', Value: 'true' }] });
    const topics = await new SnsTopicAdmin(new SNSClient({ region: 'cn-north-1' }), ARN).list([
      'RP-agency-',
      'RP-office-',
    ]);
    expect(topics).toEqual([
      {
        name: 'RP-agency-a',
        attributes: { DisplayName: `${ARN}RP-agency-a` },
        tags: { 'report-pipeline:managed': 'true' },
        subscriptions: [{ protocol: 'email', endpoint: 'a@x.cn', subscriptionArn: 'PendingConfirmation' }],
      },
      {
        name: 'RP-office-o',
        attributes: { DisplayName: `${ARN}RP-office-o` },
        tags: { 'report-pipeline:managed': 'true' },
        subscriptions: [{ protocol: 'sqs', endpoint: 'arn:q', subscriptionArn: `${ARN}RP-office-o:2` }],
      },
    ]);
    expect(sns.commandCalls(GetTopicAttributesCommand)).toHaveLength(2);
    sns.restore();
  });

  it('turns each change into its SNS command on the topic ARN', async () => {
    const sns = mockClient(SNSClient);
    sns.onAnyCommand().resolves({});
    const admin = new SnsTopicAdmin(new SNSClient({ region: 'cn-north-1' }), ARN);
    const topic = 'RP-agency-a';
    await admin.apply({
      kind: 'create',
      topic,
      attributes: { DisplayName: '甲', KmsMasterKeyId: 'k', Policy: '{}' },
      tags: { t: 'v' },
    });
    await admin.apply({ kind: 'set-attribute', topic, name: 'DisplayName', value: '乙' });
    await admin.apply({ kind: 'tag', topic, tags: { t: 'v' } });
    await admin.apply({ kind: 'subscribe', topic, endpoint: 'a@x.cn' });
    await admin.apply({
      kind: 'unsubscribe',
      topic,
      endpoint: 'a@x.cn',
      subscriptionArn: `${ARN}${topic}:1`,
    });
    await admin.apply({ kind: 'delete', topic });
    expect(sns.commandCalls(CreateTopicCommand)[0]?.args[0].input).toEqual({
      Name: topic,
      Attributes: { DisplayName: '甲', KmsMasterKeyId: 'k', Policy: '{}' },
      Tags: [{ Key: 't', Value: 'v' }],
    });
    expect(sns.commandCalls(SetTopicAttributesCommand)[0]?.args[0].input).toEqual({
      TopicArn: `${ARN}${topic}`,
      AttributeName: 'DisplayName',
      AttributeValue: '乙',
    });
    expect(sns.commandCalls(TagResourceCommand)[0]?.args[0].input).toEqual({
      ResourceArn: `${ARN}${topic}`,
      Tags: [{ Key: 't', Value: 'v' }],
    });
    expect(sns.commandCalls(SubscribeCommand)[0]?.args[0].input).toEqual({
      TopicArn: `${ARN}${topic}`,
      Protocol: 'email',
      Endpoint: 'a@x.cn',
    });
    expect(sns.commandCalls(UnsubscribeCommand)[0]?.args[0].input).toEqual({
      SubscriptionArn: `${ARN}${topic}:1`,
    });
    expect(sns.commandCalls(DeleteTopicCommand)[0]?.args[0].input).toEqual({ TopicArn: `${ARN}${topic}` });
    sns.restore();
  });
});
