import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { NoticeDeps } from '../pipeline/notice.ts';
import { reevaluateAround } from '../pipeline/reevaluate-step.ts';
import { parseStreamRecord } from '../stream/contract.ts';
import { count, type Instruments, instrumented, METRIC } from './observability.ts';

/**
 * The re-evaluation consumer of the table's stream: a new or changed version item of year Y makes the
 * agency's latest year-Y+1 record be re-evaluated against it (and Y against Y-1, see reevaluateAround). Records are handled in order; the first that
 * fails is reported (with those after it) so the event source retries from there, bisects, and after the
 * retry limit sends it to the on-failure queue. A record that breaks the contract fails the same way.
 */
export function createReevaluateHandler(deps: NoticeDeps & Instruments & { now?: () => Date }) {
  return instrumented(deps, async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const counts = { revised: 0, unchanged: 0 };
    const counted = () => {
      count(deps.metrics, METRIC.recordsRevised, counts.revised);
      count(deps.metrics, METRIC.reevaluationsUnchanged, counts.unchanged);
    };
    for (const raw of event.Records) {
      try {
        const change = parseStreamRecord(raw);
        if (change.itemType !== 'version' || change.record === null || change.recordUnchanged) continue;
        for (const outcome of await reevaluateAround(change.record, deps)) {
          counts[outcome.kind === 'revised' ? 'revised' : 'unchanged']++;
          deps.logger.info('re-evaluated', {
            objectKey: change.objectKey,
            outcome: outcome.kind,
            ...(outcome.kind === 'revised'
              ? {
                  target: outcome.stored.record.upload?.key,
                  revision: outcome.stored.revision,
                  status: outcome.stored.record.status,
                  notified: outcome.notified,
                }
              : { reason: outcome.reason }),
          });
        }
      } catch (error) {
        deps.logger.warn('re-evaluation failed, returned for retry', { eventID: raw.eventID, error });
        counted();
        count(deps.metrics, METRIC.streamRetries, 1);
        return { batchItemFailures: [{ itemIdentifier: raw.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    counted();
    return { batchItemFailures: [] };
  });
}
