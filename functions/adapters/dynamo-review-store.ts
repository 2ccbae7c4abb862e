import { randomUUID } from 'node:crypto';
import {
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { ReviewDecision, ReviewStore } from '../pipeline/review-decision.ts';
import { ATTR, reviewPk } from '../pipeline/table-layout.ts';
import { decodeReviewItem, reviewItem } from '../stream/items.ts';

/**
 * Reviewers' decisions in the reports table (layout: functions/pipeline/table-layout.ts): each decision its own
 * item under `review#{agencyId}#{year}`, written only if absent (the sort key ends in a fresh UUID, so two
 * decisions in the same millisecond are both kept). Reading an agency-year is one Query (paged).
 */
export class DynamoReviewStore implements ReviewStore {
  readonly #db: DynamoDBClient;
  readonly #table: string;

  constructor(db: DynamoDBClient, table: string) {
    this.#db = db;
    this.#table = table;
  }

  async decide(decision: ReviewDecision): Promise<void> {
    await this.#db.send(
      new PutItemCommand({
        TableName: this.#table,
        Item: reviewItem(decision, randomUUID()),
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': ATTR.pk },
      }),
    );
  }

  async decisions(agencyId: string, year: number): Promise<ReviewDecision[]> {
    const found: ReviewDecision[] = [];
    let start: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const out = await this.#db.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': ATTR.pk },
          ExpressionAttributeValues: { ':pk': { S: reviewPk(agencyId, year) } },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) found.push(decodeReviewItem(item));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }
}
