import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ReminderLog, ReminderMessage } from '../pipeline/reminders.ts';
import { ATTR, reminderPk, reminderSk } from '../pipeline/table-layout.ts';

const key = (m: ReminderMessage) => ({
  [ATTR.pk]: { S: reminderPk(m.to) },
  [ATTR.sk]: { S: reminderSk(m.day) },
});

/**
 * The reminder log in the reports table (layout: functions/pipeline/table-layout.ts): one item per owner and
 * China-time day, written with a condition that it does not exist, so of any number of runs on one day
 * exactly one sends. `sentAt` is set once SNS accepted the message; an item without it is a claim whose
 * run died before or while publishing.
 */
export class DynamoReminderLog implements ReminderLog {
  readonly #db: DynamoDBClient;
  readonly #table: string;

  constructor(db: DynamoDBClient, table: string) {
    this.#db = db;
    this.#table = table;
  }

  async claim(m: ReminderMessage): Promise<boolean> {
    try {
      await this.#db.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: {
            ...key(m),
            messageType: { S: m.type },
            year: { N: String(m.year) },
            noticeId: { S: m.attributes.noticeId },
            claimedAt: { S: new Date().toISOString() },
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': ATTR.pk },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(m: ReminderMessage): Promise<void> {
    await this.#db.send(
      new DeleteItemCommand({
        TableName: this.#table,
        Key: key(m),
        ConditionExpression: 'attribute_not_exists(sentAt)',
      }),
    );
  }

  async markSent(m: ReminderMessage): Promise<void> {
    await this.#db.send(
      new UpdateItemCommand({
        TableName: this.#table,
        Key: key(m),
        UpdateExpression: 'SET sentAt = :now',
        ExpressionAttributeValues: { ':now': { S: new Date().toISOString() } },
      }),
    );
  }

  async recorded(m: ReminderMessage): Promise<boolean> {
    const out = await this.#db.send(
      new GetItemCommand({ TableName: this.#table, Key: key(m), ConsistentRead: true }),
    );
    return out.Item !== undefined;
  }
}
