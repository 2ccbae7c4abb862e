import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type ParseDeps, parseExtraction } from '../pipeline/parse-step.ts';
import { distinctCodes } from '../report/index.ts';
import { type Instruments, instrumented, METRIC, type MetricValue, publishWith } from './observability.ts';
import { forEachObject } from './sqs-batch.ts';

/**
 * The parse Lambda: SQS(S3 events of stored extractions) → parseExtraction per object. Wired in
 * parse-lambda.ts. Each record it stores is counted by format and status, with its pages, the time taken
 * and its findings by code.
 */
export function createParseHandler(deps: ParseDeps & Instruments) {
  return instrumented(
    deps,
    (event: SQSEvent): Promise<SQSBatchResponse> =>
      forEachObject(event, deps, async (ref) => {
        const started = performance.now();
        const outcome = await parseExtraction(ref, deps);
        if (outcome.kind === 'skipped') return { outcome: 'skipped', reason: outcome.reason };
        const { record } = outcome;
        // A repeated event (duplicate) or an identical upload (unchanged) stores nothing new: not counted.
        if (outcome.saved === 'created' || outcome.saved === 'replaced') {
          const format = record.source.format ?? 'unknown';
          publishWith(deps.metrics, { format, status: record.status }, [[METRIC.filesParsed, 1]]);
          const work: MetricValue[] = [[METRIC.parseDuration, performance.now() - started]];
          if (record.source.pages !== null) work.push([METRIC.pages, record.source.pages]);
          publishWith(deps.metrics, { format }, work);
          for (const code of distinctCodes(record.issues)) {
            const n = record.issues.filter((issue) => issue.code === code).length;
            publishWith(deps.metrics, { code }, [[METRIC.findings, n]]);
          }
        }
        return {
          outcome: outcome.saved,
          status: record.status,
          agencyId: record.agencyId,
          year: record.year,
          codes: distinctCodes(record.issues),
          notified: outcome.notified,
        };
      }),
  );
}
