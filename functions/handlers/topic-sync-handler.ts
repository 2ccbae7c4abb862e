import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { Registry } from '../pipeline/registry.ts';
import {
  desiredTopics,
  type RemovedTopics,
  summarize,
  syncTopics,
  type TopicAdmin,
  type TopicNaming,
  topicsDigest,
} from '../pipeline/topic-sync.ts';
import { count, type Instruments, instrumented, METRIC } from './observability.ts';

export interface CustomResourceResponse {
  Status: 'SUCCESS' | 'FAILED';
  Reason?: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  Data?: Record<string, number>;
}

/** CloudFormation waits for the answer at the pre-signed URL of the event (a PUT with no content type). */
export async function putResponse(url: string, body: CustomResourceResponse): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'content-type': '' },
  });
  if (!res.ok) throw new Error(`CloudFormation response rejected: HTTP ${res.status}`);
}

/** Time kept back from the Lambda's timeout to answer CloudFormation when the sync runs long. */
const ANSWER_MARGIN_MS = 20_000;

/**
 * The custom resource that syncs the registry's topics on each deploy that changes them (the `Digest`
 * property). Create and Update sync; Delete leaves the topics and their subscribers in place (like the
 * table and the bucket). The answer carries the counts of what changed (`Data`, visible in the stack's
 * events); a failure or a sync that would outlast the function answers FAILED with the reason, and
 * `report-pipeline topics sync` finishes the job.
 */
export function createTopicSyncHandler(
  deps: Instruments & {
    admin: TopicAdmin;
    registry: Registry;
    naming: TopicNaming;
    removed: RemovedTopics;
    respond?: (url: string, body: CustomResourceResponse) => Promise<void>;
  },
) {
  const respond = deps.respond ?? putResponse;
  return instrumented(deps, async (event: CloudFormationCustomResourceEvent, context) => {
    let applied = 0;
    const answer: CustomResourceResponse = {
      Status: 'SUCCESS',
      PhysicalResourceId: `registry-topics-${deps.naming.agencyPrefix}`,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
    };
    try {
      if (event.RequestType !== 'Delete') {
        const digest = topicsDigest(deps.registry);
        if (event.ResourceProperties.Digest !== digest)
          throw new Error(
            'the registry bundled into the sync function is not the one the stack was synthesized from; synthesize and deploy again',
          );
        const sync = syncTopics(deps.admin, desiredTopics(deps.registry, deps.naming), {
          prefixes: [deps.naming.agencyPrefix, deps.naming.officePrefix],
          removed: deps.removed,
          dryRun: false,
        });
        const budget = (context?.getRemainingTimeInMillis() ?? 15 * 60_000) - ANSWER_MARGIN_MS;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  'the sync did not finish in time; what it applied stays: run `report-pipeline topics sync`',
                ),
              ),
            budget,
          );
        });
        const result = await Promise.race([sync, late]).finally(() => clearTimeout(timer));
        answer.Data = { ...summarize(result.plan), applied: result.applied };
        applied = result.applied;
        deps.logger.info('registry topics synced', answer.Data);
      }
    } catch (error) {
      deps.logger.error('registry topics sync failed', { error });
      answer.Status = 'FAILED';
      answer.Reason = (error instanceof Error ? error.message : String(error)).slice(0, 900);
    }
    count(deps.metrics, METRIC.topicChanges, applied);
    await respond(event.ResponseURL, answer);
    return answer;
  });
}
