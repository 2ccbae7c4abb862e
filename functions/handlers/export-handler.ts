import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { ObjectStore } from '../pipeline/ports.ts';
import { parseStreamRecord, type ReportChange } from '../stream/contract.ts';
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
  },
) {
  return instrumented(deps, async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const changes: ReportChange[] = [];
    for (const record of event.Records) {
      try {
        changes.push(parseStreamRecord(record));
      } catch (error) {
        deps.logger.error('stream record breaks the contract', { eventID: record.eventID, error });
        count(deps.metrics, METRIC.streamRetries, 1);
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    const batch = exportBatch(changes, deps.now?.() ?? new Date());
    if (batch === null) {
      count(deps.metrics, METRIC.recordsExported, 0);
      return { batchItemFailures: [] };
    }
    try {
      await deps.objects.put(deps.bucket, batch.key, batch.body, 'application/x-ndjson');
      const records = batch.body.split('\n').length - 1;
      deps.logger.info('exported', { key: batch.key, records });
      count(deps.metrics, METRIC.recordsExported, records);
      return { batchItemFailures: [] };
    } catch (error) {
      deps.logger.warn('export failed, batch returned for retry', { error });
      count(deps.metrics, METRIC.streamRetries, 1);
      return { batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber ?? '' }] };
    }
  });
}
