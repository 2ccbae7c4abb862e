import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Extractor } from '../extract/index.ts';
import { extractUpload, type OcrReader } from '../pipeline/extract-step.ts';
import type { ObjectStore } from '../pipeline/ports.ts';
import { forEachObject } from './sqs-batch.ts';

/** The extract Lambda: SQS(S3 upload events) → extractUpload per object. Wired in extract-lambda.ts. */
export function createExtractHandler(deps: {
  objects: ObjectStore;
  extractor: Extractor;
  logger: Logger;
  ocr?: OcrReader;
}) {
  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
    forEachObject(event, deps.logger, context, async (ref) => {
      const outcome = await extractUpload(ref, deps);
      return outcome.kind === 'stored'
        ? { outcome: 'stored', extractedKey: outcome.key, extracted: outcome.ok }
        : { outcome: 'skipped', reason: outcome.reason };
    });
}
