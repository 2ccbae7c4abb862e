import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ATTR, INDEX_BY_SUBMISSION, SUBMISSION_ATTRIBUTES, submissionPk } from '../pipeline/table-layout.ts';
import type { Submission, SubmissionReader } from '../pipeline/year-status.ts';
import { Status } from '../report/record.ts';
import { decodeSubmission } from '../stream/items.ts';

/**
 * SubmissionReader on the `bySubmission` index: one Query per agency and year, newest first, one item,
 * only the small top-level attributes (the record's JSON stays in the table).
 */
export class DynamoSubmissionReader implements SubmissionReader {
  readonly #db: DynamoDBClient;
  readonly #table: string;

  constructor(db: DynamoDBClient, table: string) {
    this.#db = db;
    this.#table = table;
  }

  async latestSubmission(agencyId: string, year: number): Promise<Submission | null> {
    const names = Object.fromEntries(SUBMISSION_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
    const out = await this.#db.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: INDEX_BY_SUBMISSION,
        KeyConditionExpression: '#p = :p',
        ProjectionExpression: Object.keys(names).join(', '),
        ExpressionAttributeNames: { ...names, '#p': ATTR.gsi2pk },
        ExpressionAttributeValues: { ':p': { S: submissionPk(agencyId, year) } },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    if (item === undefined) return null;
    const submission = decodeSubmission(item);
    return { ...submission, status: Status.parse(submission.status) };
  }
}
