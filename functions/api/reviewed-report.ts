import { decisionsFor, reviewView } from '../pipeline/review.ts';
import type { ReviewStore } from '../pipeline/review-decision.ts';
import type { ReportRecord } from '../report/index.ts';
import { reportIdFor } from './upload-keys.ts';

/**
 * What the API's routes share about one report: how its current record is read, and the review view
 * every route that shows a report's findings answers with (GET /uploads/{id}, the supervision findings,
 * the review route and `report-pipeline review`).
 */

/** The record lookup the API needs. */
export interface RecordReader {
  current(key: string): Promise<ReportRecord | null>;
}

/** The review view of one report: its id, the findings with their decisions, and what was fixed. */
export async function reviewedReport(key: string, record: ReportRecord, reviews: ReviewStore) {
  return { reportId: reportIdFor(key), ...reviewView(record, await decisionsFor(record, reviews)) };
}
