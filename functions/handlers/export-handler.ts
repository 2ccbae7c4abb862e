import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { bodiesFile, type DecisionChange, datasetFiles, PARQUET_CONTENT_TYPE } from '../analytics/export.ts';
import type { ObjectStore } from '../pipeline/ports.ts';
import type { Registry } from '../pipeline/registry.ts';
import {
  isReviewStreamRecord,
  parseReviewStreamRecord,
  parseStreamRecord,
  type ReportChange,
} from '../stream/contract.ts';
import { exportBatch } from '../stream/export.ts';
import { count, type Instruments, instrumented, METRIC } from './observability.ts';

/**
 * The stream consumer: a batch of table changes → one JSON-lines object. A record that breaks the contract
 * is reported as the failed item (the event source bisects, retries a bounded number of times, then sends
 * it to the on-failure queue); a failed write fails the whole batch from its first record.
 */
export function createExportHandler(
  deps: Instruments & {
    objects: ObjectStore;
    bucket: string;
    now?: () => Date;
    /** The registry: its supervision tree is the dataset's `bodies` table, written once per instance. */
    registry?: Registry;
  },
) {
  let bodies = deps.registry === undefined ? null : bodiesFile(deps.registry);
  return instrumented(deps, async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const changes: ReportChange[] = [];
    const decisions: DecisionChange[] = [];
    for (const record of event.Records) {
      try {
        if (isReviewStreamRecord(record)) {
          const review = parseReviewStreamRecord(record);
          if (review.decision !== null && review.eventName !== 'REMOVE') {
            const decisionId = record.dynamodb?.Keys?.sk?.S ?? review.eventId;
            decisions.push({ decision: review.decision, decisionId, sequenceNumber: review.sequenceNumber });
          }
        } else changes.push(parseStreamRecord(record));
      } catch (error) {
        deps.logger.error('stream record breaks the contract', { eventID: record.eventID, error });
        count(deps.metrics, METRIC.streamRetries, 1);
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    const batch = exportBatch(changes, deps.now?.() ?? new Date());
    // The analytics dataset (functions/analytics/): Parquet files per table and year partition.
    const files = datasetFiles(changes, decisions);
    if (batch === null && files.length === 0) {
      count(deps.metrics, METRIC.recordsExported, 0);
      return { batchItemFailures: [] };
    }
    try {
      if (batch !== null) {
        await deps.objects.put(deps.bucket, batch.key, batch.body, 'application/x-ndjson');
        const records = batch.body.split('\n').length - 1;
        deps.logger.info('exported', { key: batch.key, records });
        count(deps.metrics, METRIC.recordsExported, records);
      } else count(deps.metrics, METRIC.recordsExported, 0);
      for (const file of files)
        await deps.objects.put(deps.bucket, file.key, file.body, PARQUET_CONTENT_TYPE);
      // The registry's table, once per instance (after a failure, with the next batch).
      if (bodies !== null) {
        await deps.objects.put(deps.bucket, bodies.key, bodies.body, 'application/x-ndjson');
        bodies = null;
      }
      if (files.length > 0) {
        deps.logger.info('dataset files written', {
          files: files.map((f) => ({ key: f.key, rows: f.rows })),
        });
      }
      return { batchItemFailures: [] };
    } catch (error) {
      deps.logger.warn('export failed, batch returned for retry', { error });
      count(deps.metrics, METRIC.streamRetries, 1);
      return { batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber ?? '' }] };
    }
  });
}
