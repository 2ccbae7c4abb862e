import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Registry } from '../pipeline/registry.ts';
import { type Delivery, postRobot } from '../webhooks/deliver.ts';
import { NotANotice, parseEnvelope, webhookFor } from '../webhooks/notices.ts';
import type { WebhookSecrets } from '../webhooks/robots.ts';
import { type Instruments, instrumented } from './observability.ts';

/**
 * The group-robot subscriber: an SQS batch of SNS notices (the queue is subscribed to the topics whose
 * owner names a webhook), each posted to its owner's robot. A failed post is returned for retry, with a
 * permanent one (a wrong key, a refused signature) logged as an error so the operator knows before the
 * dead-letter alarm; the queue dead-letters a message after its receive limit. A message that is no SNS
 * notice, or whose owner has no webhook (any more), is logged and dropped. E-mail is untouched: SNS
 * delivers to the e-mail subscribers as before.
 */
export function createWebhookHandler(
  deps: Instruments & {
    registry: Registry;
    secrets: WebhookSecrets;
    prefixes: { agency: string; office: string };
    timeoutMs: number;
    fetch?: typeof fetch;
    now?: () => Date;
  },
) {
  return instrumented(deps, async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      let delivery: Delivery;
      try {
        const envelope = parseEnvelope(record.body);
        const target = webhookFor(envelope.TopicArn, deps.registry, deps.prefixes);
        if (target === null) {
          deps.logger.warn('no webhook for this topic: dropped', { topicArn: envelope.TopicArn });
          continue;
        }
        const hook = await deps.secrets.get(target.webhook.secret);
        delivery = await postRobot(target.webhook.robot, hook, envelope.notice, {
          timeoutMs: deps.timeoutMs,
          ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
          ...(deps.now === undefined ? {} : { now: deps.now() }),
        });
        if (delivery.ok) {
          deps.logger.info('robot notified', { owner: target.owner, robot: target.webhook.robot });
          continue;
        }
        const log = delivery.transient ? deps.logger.warn : deps.logger.error;
        log.call(deps.logger, 'robot not notified', {
          owner: target.owner,
          robot: target.webhook.robot,
          reason: delivery.reason,
          receiveCount: record.attributes?.ApproximateReceiveCount,
        });
      } catch (error) {
        if (error instanceof NotANotice) {
          deps.logger.error('dropping a message that is no SNS notice', {
            messageId: record.messageId,
            reason: error.message,
          });
          continue;
        }
        deps.logger.warn('webhook delivery failed', { error });
      }
      failures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures: failures };
  });
}
