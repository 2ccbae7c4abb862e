import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type ParseDeps, parseExtraction } from '../pipeline/parse-step.ts';
import { distinctCodes } from '../report/index.ts';
import { forEachObject } from './sqs-batch.ts';

/** The parse Lambda: SQS(S3 events of stored extractions) → parseExtraction per object. Wired in parse-lambda.ts. */
export function createParseHandler(deps: ParseDeps & { logger: Logger }) {
  return (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> =>
    forEachObject(event, deps.logger, context, async (ref) => {
      const outcome = await parseExtraction(ref, deps);
      if (outcome.kind === 'skipped') return { outcome: 'skipped', reason: outcome.reason };
      return {
        outcome: outcome.saved,
        status: outcome.record.status,
        agencyId: outcome.record.agencyId,
        year: outcome.record.year,
        codes: distinctCodes(outcome.record.issues),
        notified: outcome.notified,
      };
    });
}
