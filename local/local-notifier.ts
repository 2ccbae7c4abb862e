import { appendFileSync } from 'node:fs';
import type { Notification } from '../functions/pipeline/notification.ts';
import type { Notifier, TopicRef } from '../functions/pipeline/ports.ts';

export interface SentNotification {
  topic: string;
  at: string;
  subject: string;
  message: string;
  attributes: Notification['attributes'];
}

/**
 * The local stand-in for SNS: each message is appended to an outbox file (JSON lines) and kept for the
 * run's summary, per agency topic, with the same subject, body and attributes SNS would carry.
 */
export class LocalNotifier implements Notifier {
  readonly sent: SentNotification[] = [];
  readonly #outbox: string | null;

  constructor(outbox: string | null) {
    this.#outbox = outbox;
  }

  async publish(topic: TopicRef, n: Notification): Promise<void> {
    const entry: SentNotification = {
      topic: topic.kind === 'agency' ? `agency-${topic.agencyId}` : 'operators',
      at: new Date().toISOString(),
      subject: n.subject,
      message: n.message,
      attributes: n.attributes,
    };
    this.sent.push(entry);
    if (this.#outbox !== null) appendFileSync(this.#outbox, `${JSON.stringify(entry)}\n`);
  }
}
