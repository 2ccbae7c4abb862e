import type { Registry, Webhook } from '../pipeline/registry.ts';
import type { RobotNotice } from './robots.ts';

/**
 * Which registry entry a notice belongs to, from the topic it was published on (`{prefix}{id}`, the
 * one naming rule of functions/pipeline/topic-sync.ts), and that entry's webhook, if it names one.
 */
export function webhookFor(
  topicArn: string,
  registry: Registry,
  prefixes: { agency: string; office: string },
): { owner: string; webhook: Webhook } | null {
  const owner = (kind: 'agency' | 'office') =>
    topicArn.startsWith(prefixes[kind]) ? topicArn.slice(prefixes[kind].length) : null;
  const agencyId = owner('agency');
  const officeId = owner('office');
  const entry =
    agencyId !== null
      ? registry.agencies.find((a) => a.id === agencyId)
      : officeId !== null
        ? registry.offices.find((o) => o.id === officeId)
        : undefined;
  return entry?.webhook === undefined ? null : { owner: entry.id, webhook: entry.webhook };
}

/** The notice an SNS notification carries (as delivered to an SQS subscriber, not raw). */
export interface SnsEnvelope {
  Type: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

export class NotANotice extends Error {
  override name = 'NotANotice';
}

export function parseEnvelope(body: string): SnsEnvelope & { notice: RobotNotice } {
  let envelope: SnsEnvelope;
  try {
    envelope = JSON.parse(body) as SnsEnvelope;
  } catch {
    throw new NotANotice('not JSON');
  }
  if (
    envelope?.Type !== 'Notification' ||
    typeof envelope.TopicArn !== 'string' ||
    typeof envelope.Message !== 'string'
  ) {
    throw new NotANotice('not an SNS notification');
  }
  return {
    ...envelope,
    notice: {
      subject: envelope.Subject ?? '年报校验通知',
      message: envelope.Message,
      possibleDuplicate: envelope.MessageAttributes?.possibleDuplicate?.Value === 'true',
    },
  };
}
