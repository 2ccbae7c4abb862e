import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { UNVERSIONED } from '../pipeline/keys.ts';
import { MalformedMessage, type ObjectRef, objectsCreated } from '../pipeline/s3-events.ts';

/**
 * An SQS batch of S3 events, one object at a time, with partial batch responses: a message whose object
 * failed transiently is returned for retry (and dead-lettered after maxReceiveCount); the others are done.
 * A message that is no S3 event can never succeed: it is logged as an error and not retried.
 * Every log line carries the Lambda context (function, request id, cold start) when the runtime passes
 * one, and every line about an object its key (also as the correlation id) and version.
 */
export async function forEachObject(
  event: SQSEvent,
  logger: Logger,
  context: Context | undefined,
  work: (ref: ObjectRef) => Promise<Record<string, unknown>>,
): Promise<SQSBatchResponse> {
  if (context !== undefined) logger.addContext(context);
  const failures: SQSBatchResponse['batchItemFailures'] = [];
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
      continue;
    }
    for (const ref of refs) {
      logger.appendKeys({ key: ref.key, correlationId: ref.key, versionId: ref.versionId ?? UNVERSIONED });
      try {
        logger.info('done', await work(ref));
      } catch (error) {
        logger.warn('transient failure, message returned for retry', { error: error as Error });
        failures.push({ itemIdentifier: message.messageId });
        break;
      } finally {
        logger.removeKeys(['key', 'correlationId', 'versionId']);
      }
    }
  }
  return { batchItemFailures: failures };
}
