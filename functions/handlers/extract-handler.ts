import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Extractor } from '../extract/index.ts';
import { extractUpload } from '../pipeline/extract-step.ts';
import type { ObjectStore } from '../pipeline/ports.ts';
import { type Instruments, instrumented, METRIC, type MetricValue, publishWith } from './observability.ts';
import { forEachObject } from './sqs-batch.ts';

/**
 * The extract Lambda: SQS(S3 upload events) → extractUpload per object. Wired in extract-lambda.ts. Each
 * object is counted by format and outcome (extracted, failed, skipped), with its pages and the time taken.
 */
export function createExtractHandler(deps: Instruments & { objects: ObjectStore; extractor: Extractor }) {
  return instrumented(
    deps,
    (event: SQSEvent): Promise<SQSBatchResponse> =>
      forEachObject(event, deps, async (ref) => {
        const started = performance.now();
        const outcome = await extractUpload(ref, deps);
        const format = outcome.kind === 'stored' ? (outcome.format ?? 'unknown') : 'unknown';
        const result = outcome.kind === 'skipped' ? 'skipped' : outcome.ok ? 'extracted' : 'failed';
        publishWith(deps.metrics, { format, outcome: result }, [[METRIC.filesExtracted, 1]]);
        const work: MetricValue[] = [[METRIC.extractDuration, performance.now() - started]];
        if (outcome.kind === 'stored' && outcome.pages !== null) work.push([METRIC.pages, outcome.pages]);
        publishWith(deps.metrics, { format }, work);
        return outcome.kind === 'stored'
          ? { outcome: 'stored', extractedKey: outcome.key, extracted: outcome.ok }
          : { outcome: 'skipped', reason: outcome.reason };
      }),
  );
}
