import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { Notification } from '../functions/pipeline/notification.ts';
import type { Notifier, TopicRef } from '../functions/pipeline/ports.ts';
import type { ReminderMessage, ReminderSender } from '../functions/pipeline/reminders.ts';
import type { LocalRobots } from './local-robots.ts';

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
 *
 * A notice claimed by a run that was killed before it marked the notice sent comes back flagged
 * `possibleDuplicate`. SNS cannot say whether it delivered the first attempt; the outbox can, so here the
 * repeat is dropped when the outbox already holds that noticeId (as an SNS FIFO topic drops a repeated
 * deduplication id). The one line a kill can tear (cut mid-write) is not counted as sent, and the next
 * line starts on a line of its own.
 *
 * The reminders of the reporting season go to the same outbox, in the same entry shape, with the topic
 * of their agency or office (`agency-{id}`, `office-{id}`); they are not among `sent` (this run's notices).
 */
export class LocalNotifier implements Notifier, ReminderSender {
  /** The notices this run sent, the latest `retain` of them (all of them unless a mode bounds it). */
  readonly sent: SentNotification[] = [];
  /** How many notices this run sent, counting those no longer kept in `sent`. */
  sentCount = 0;
  readonly #outbox: string | null;
  readonly #robots: LocalRobots | null;
  #repaired = false;
  #retain = Number.POSITIVE_INFINITY;

  /** `robots`: the group robots that also get each message whose owner names one (local-robots.ts). */
  constructor(outbox: string | null, robots: LocalRobots | null = null) {
    this.#outbox = outbox;
    this.#robots = robots;
  }

  /**
   * Keeps only the latest `count` notices in memory: a mode that runs until stopped (`--serve`,
   * `--watch`) would otherwise hold every notice it ever sent (issue 22 N9). The outbox file keeps all.
   */
  retain(count: number): void {
    this.#retain = count;
    this.#trim();
  }

  /** The notices sent since the run had sent `from` (a `sentCount`), as far as they are still kept. */
  sentSince(from: number): SentNotification[] {
    const forgotten = this.sentCount - this.sent.length;
    return this.sent.slice(Math.max(0, from - forgotten));
  }

  #trim(): void {
    if (this.sent.length > this.#retain) this.sent.splice(0, this.sent.length - this.#retain);
  }

  async publish(topic: TopicRef, n: Notification): Promise<void> {
    if (n.attributes.possibleDuplicate && this.#inOutbox(n.attributes.noticeId)) return;
    const entry: SentNotification = {
      topic: topic.kind === 'agency' ? `agency-${topic.agencyId}` : 'operators',
      at: new Date().toISOString(),
      subject: n.subject,
      message: n.message,
      attributes: n.attributes,
    };
    this.sent.push(entry);
    this.sentCount++;
    this.#trim();
    if (this.#outbox !== null) {
      this.#repairTornLine(this.#outbox);
      appendFileSync(this.#outbox, `${JSON.stringify(entry)}\n`);
    }
    this.#robots?.post(entry);
  }

  async send(m: ReminderMessage): Promise<void> {
    const entry = {
      topic: `${m.to.kind}-${m.to.id}`,
      at: new Date().toISOString(),
      subject: m.subject,
      message: m.message,
      attributes: m.attributes,
    };
    if (this.#outbox !== null) appendFileSync(this.#outbox, `${JSON.stringify(entry)}\n`);
    this.#robots?.post(entry);
  }

  #inOutbox(noticeId: string): boolean {
    if (this.sent.some((s) => s.attributes.noticeId === noticeId)) return true;
    return this.#outbox !== null && readOutbox(this.#outbox).some((s) => s.attributes.noticeId === noticeId);
  }

  /** A run killed mid-append leaves a line without its end: close it before appending. */
  #repairTornLine(file: string): void {
    if (this.#repaired) return;
    this.#repaired = true;
    if (!existsSync(file)) return;
    const text = readFileSync(file, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) appendFileSync(file, '\n');
  }
}

/** The messages in an outbox file, skipping a line torn by a kill. */
export function readOutbox(file: string): SentNotification[] {
  if (!existsSync(file)) return [];
  const sent: SentNotification[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      sent.push(JSON.parse(line) as SentNotification);
    } catch {
      // Cut by a kill mid-write: never complete, so never sent.
    }
  }
  return sent;
}
