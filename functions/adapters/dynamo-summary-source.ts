import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Candidate, SummarySource } from '../analytics/summary.ts';
import type { ReviewStore } from '../pipeline/review-decision.ts';
import { ATTR, SUBMISSION_ATTRIBUTES } from '../pipeline/table-layout.ts';
import { ReportRecord, Status } from '../report/record.ts';
import { decodeItem, decodeSubmission } from '../stream/items.ts';
import type { DynamoRecordStore } from './dynamo-record-store.ts';
import { submissionsQuery } from './submission-query.ts';

/**
 * The 汇总's versions from the table (the API): every upload of an agency-year on the `bySubmission` index,
 * newest first, only its small projected attributes; a record is read (one GetItem) only for the version
 * that is chosen or whose review status must be computed.
 */
export class DynamoSummarySource implements SummarySource {
  readonly #db: DynamoDBClient;
  readonly #table: string;
  readonly #records: DynamoRecordStore;
  readonly #reviews: ReviewStore;

  constructor(db: DynamoDBClient, table: string, records: DynamoRecordStore, reviews: ReviewStore) {
    this.#db = db;
    this.#table = table;
    this.#records = records;
    this.#reviews = reviews;
  }

  async candidates(agencyId: string, year: number): Promise<Candidate[]> {
    const attributes = [...SUBMISSION_ATTRIBUTES, ATTR.pk, ATTR.sk];
    const found: Candidate[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.#db.send(
        new QueryCommand(
          submissionsQuery(this.#table, agencyId, year, { attributes, ...(start ? { start } : {}) }),
        ),
      );
      for (const item of out.Items ?? []) {
        const submission = decodeSubmission(item);
        const pk = item[ATTR.pk]?.S ?? '';
        const sk = item[ATTR.sk]?.S ?? '';
        found.push({
          objectKey: submission.objectKey,
          status: Status.parse(submission.status),
          uploadedAt: submission.uploadedAt,
          template: null,
          load: async () => {
            const record = decodeItem(await this.#records.item(pk, sk), (json) =>
              ReportRecord.parse(json),
            )?.record;
            return record === undefined
              ? null
              : { tables: record, issues: record.issues, template: record.template };
          },
        });
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return found;
  }

  decisions(agencyId: string, year: number) {
    return this.#reviews.decisions(agencyId, year);
  }
}
