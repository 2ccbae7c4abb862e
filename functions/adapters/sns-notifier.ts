import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Notification } from '../pipeline/notification.ts';
import type { Notifier, TopicRef } from '../pipeline/ports.ts';

/**
 * Notifier on SNS. Agency topics are named `{prefix}{agencyId}` by the stack, so the ARN follows from the
 * prefix; the attributes let subscribers filter (e.g. only FAILED, or only one code).
 */
export class SnsNotifier implements Notifier {
  readonly #sns: SNSClient;
  readonly #agencyTopicArnPrefix: string;
  readonly #operatorsTopicArn: string;

  constructor(sns: SNSClient, topics: { agencyTopicArnPrefix: string; operatorsTopicArn: string }) {
    this.#sns = sns;
    this.#agencyTopicArnPrefix = topics.agencyTopicArnPrefix;
    this.#operatorsTopicArn = topics.operatorsTopicArn;
  }

  topicArn(topic: TopicRef): string {
    return topic.kind === 'agency'
      ? `${this.#agencyTopicArnPrefix}${topic.agencyId}`
      : this.#operatorsTopicArn;
  }

  async publish(topic: TopicRef, n: Notification): Promise<void> {
    await this.#sns.send(
      new PublishCommand({
        TopicArn: this.topicArn(topic),
        Subject: n.subject,
        Message: n.message,
        MessageAttributes: {
          agencyId: { DataType: 'String', StringValue: n.attributes.agencyId },
          year: { DataType: 'String', StringValue: n.attributes.year },
          status: { DataType: 'String', StringValue: n.attributes.status },
          codes: { DataType: 'String.Array', StringValue: JSON.stringify(n.attributes.codes) },
          noticeId: { DataType: 'String', StringValue: n.attributes.noticeId },
          ...(n.attributes.possibleDuplicate
            ? { possibleDuplicate: { DataType: 'String', StringValue: 'true' } }
            : {}),
        },
      }),
    );
  }
}
