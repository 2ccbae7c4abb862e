import { type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { SUBMISSION_ATTRIBUTES } from '../pipeline/table-layout.ts';
import type { Submission, SubmissionReader } from '../pipeline/year-status.ts';
import { Status } from '../report/record.ts';
import { decodeSubmission } from '../stream/items.ts';
import { submissionsQuery } from './submission-query.ts';

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
    const out = await this.#db.send(
      new QueryCommand(
        submissionsQuery(this.#table, agencyId, year, { attributes: SUBMISSION_ATTRIBUTES, limit: 1 }),
      ),
    );
    const item = out.Items?.[0];
    if (item === undefined) return null;
    const submission = decodeSubmission(item);
    return { ...submission, status: Status.parse(submission.status) };
  }
}
