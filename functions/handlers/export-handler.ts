import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { ObjectStore } from '../pipeline/ports.ts';
import { parseStreamRecord, type ReportChange } from '../stream/contract.ts';
import { exportBatch } from '../stream/export.ts';

/**
 * The stream consumer: a batch of table changes → one JSON-lines object. A record that breaks the contract
 * is reported as the failed item (the event source bisects, retries a bounded number of times, then sends
 * it to the on-failure queue); a failed write fails the whole batch from its first record.
 */
export function createExportHandler(deps: {
  objects: ObjectStore;
  bucket: string;
  logger: Logger;
  now?: () => Date;
}) {
  return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
    if (context !== undefined) deps.logger.addContext(context);
    const changes: ReportChange[] = [];
    for (const record of event.Records) {
      try {
        changes.push(parseStreamRecord(record));
      } catch (error) {
        deps.logger.error('stream record breaks the contract', {
          eventID: record.eventID,
          error: error as Error,
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    const batch = exportBatch(changes, deps.now?.() ?? new Date());
    if (batch === null) return { batchItemFailures: [] };
    try {
      await deps.objects.put(deps.bucket, batch.key, batch.body, 'application/x-ndjson');
      deps.logger.info('exported', { key: batch.key, records: batch.body.split('\n').length - 1 });
      return { batchItemFailures: [] };
    } catch (error) {
      deps.logger.warn('export failed, batch returned for retry', { error: error as Error });
      return { batchItemFailures: [{ itemIdentifier: event.Records[0]?.dynamodb?.SequenceNumber ?? '' }] };
    }
  };
}
