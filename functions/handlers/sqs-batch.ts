import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { UNVERSIONED } from '../pipeline/keys.ts';
import { MalformedMessage, type ObjectRef, objectsCreated } from '../pipeline/s3-events.ts';
import { count, type Instruments, METRIC } from './observability.ts';

/**
 * An SQS batch of S3 events, one object at a time, with partial batch responses: a message whose object
 * failed transiently is returned for retry (and dead-lettered after maxReceiveCount); the others are done.
 * A message that is no S3 event can never succeed: it is logged as an error and not retried.
 * Every line about an object carries its key (also as the correlation id) and version (the Lambda context
 * is on every line through the handler's middleware); the batch's messages, retries and drops are counted.
 */
export async function forEachObject(
  event: SQSEvent,
  { logger, metrics }: Instruments,
  work: (ref: ObjectRef) => Promise<Record<string, unknown>>,
): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  let dropped = 0;
  for (const message of event.Records) {
    let refs: ObjectRef[];
    try {
      refs = objectsCreated(message.body);
    } catch (error) {
      if (!(error instanceof MalformedMessage)) throw error;
      logger.error('dropping a message that is no S3 event', {
        messageId: message.messageId,
        reason: error.message,
      });
      dropped++;
      continue;
    }
    for (const ref of refs) {
      logger.appendKeys({ key: ref.key, correlationId: ref.key, versionId: ref.versionId ?? UNVERSIONED });
      try {
        logger.info('done', await work(ref));
      } catch (error) {
        logger.warn('transient failure, message returned for retry', { error });
        failures.push({ itemIdentifier: message.messageId });
        break;
      } finally {
        logger.removeKeys(['key', 'correlationId', 'versionId']);
      }
    }
  }
  count(metrics, METRIC.messages, event.Records.length);
  count(metrics, METRIC.messagesRetried, failures.length);
  count(metrics, METRIC.messagesDropped, dropped);
  return { batchItemFailures: failures };
}
