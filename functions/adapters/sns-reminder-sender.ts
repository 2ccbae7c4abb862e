import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { ReminderMessage, ReminderSender } from '../pipeline/reminders.ts';

/**
 * Publishes reminders on the registry's topics (named `{prefix}{id}` by the topic sync, so the ARN
 * follows from the prefix), with attributes subscribers filter on (e.g. `messageType: ["digest"]`).
 */
export class SnsReminderSender implements ReminderSender {
  readonly #sns: SNSClient;
  readonly #arnPrefixes: Record<ReminderMessage['to']['kind'], string>;

  constructor(sns: SNSClient, arnPrefixes: { agency: string; office: string }) {
    this.#sns = sns;
    this.#arnPrefixes = arnPrefixes;
  }

  topicArn(to: ReminderMessage['to']): string {
    return `${this.#arnPrefixes[to.kind]}${to.id}`;
  }

  async send(m: ReminderMessage): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(m.attributes)) {
      if (value === undefined) continue;
      attributes[name] = Array.isArray(value)
        ? { DataType: 'String.Array', StringValue: JSON.stringify(value) }
        : { DataType: 'String', StringValue: value };
    }
    await this.#sns.send(
      new PublishCommand({
        TopicArn: this.topicArn(m.to),
        Subject: m.subject,
        Message: m.message,
        MessageAttributes: attributes,
      }),
    );
  }
}
