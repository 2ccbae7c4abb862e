import { appendFileSync, readFileSync } from 'node:fs';
import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { createWebhookHandler } from '../functions/handlers/webhook-handler.ts';
import type { Registry } from '../functions/pipeline/registry.ts';
import type { WebhookSecret, WebhookSecrets } from '../functions/webhooks/robots.ts';
import { localSqsRecord } from './event-router.ts';

/**
 * The group robots (企业微信, 钉钉, 飞书) on the local run: each notice and reminder that goes to the outbox
 * also goes, when its owner names a webhook in the registry, through the same subscriber the deployed
 * robots' queue feeds (functions/handlers/webhook-handler.ts), with the queue's redelivery: a failed post
 * is tried again up to MAX_RECEIVES times, later each time, then kept as a dead letter (in memory and in
 * `robots-dead-letter.jsonl` of the state folder). The outbox stays the record of what was sent; a robot
 * is one more reader of it, as on AWS the robots' queue is one more subscriber of the topics.
 *
 * The URLs and signing secrets come from a JSON file of the shape each Secrets Manager secret holds,
 * keyed by the registry's secret names: `{"huaian-office": {"url": "https://…", "secret": "SEC…"}}`
 * (`--webhooks FILE`, or REPORT_PIPELINE_WEBHOOKS). Without it nothing is posted.
 */
export const WEBHOOKS_ENV = 'REPORT_PIPELINE_WEBHOOKS';
/** As the deployed robots' queue (lib/constructs/queues.ts MIN_RECEIVE_COUNT). */
export const MAX_RECEIVES = 5;

/** A robot's URL: https, as Secrets Manager's adapter requires, or plain http to this machine only. */
const RobotUrl = z
  .url()
  .refine(
    (u) => u.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u),
    'an https URL (or http on this machine)',
  );
const WebhooksFile = z.record(z.string(), z.strictObject({ url: RobotUrl, secret: z.string().optional() }));

export class WebhooksFileError extends Error {
  override readonly name = 'WebhooksFileError';
}

/** The webhook secrets of a local file, read and checked once, at start (a bad file stops the run). */
export function readWebhooksFile(file: string): WebhookSecrets {
  let parsed: z.infer<typeof WebhooksFile>;
  try {
    parsed = WebhooksFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    const reason = error instanceof z.ZodError ? z.prettifyError(error) : String(error);
    throw new WebhooksFileError(`${file}: not a webhooks file (${reason})`);
  }
  const secrets = new Map<string, WebhookSecret>(
    Object.entries(parsed).map(([name, { url, secret }]) => [
      name,
      secret === undefined ? { url } : { url, secret },
    ]),
  );
  return {
    get: async (name) => {
      const found = secrets.get(name);
      if (found === undefined) throw new Error(`${file} has no webhook "${name}"`);
      return found;
    },
  };
}

export interface RobotDeadLetter {
  topic: string;
  subject: string;
  receiveCount: number;
  at: string;
}

/** What the outbox hands on: the local topic (`agency-{id}`, `office-{id}`) and the message. */
export interface OutboxEntry {
  topic: string;
  subject: string;
  message: string;
  /** The message's attributes (a notice's, a reminder's); only `possibleDuplicate` is read. */
  attributes: object;
}

export class LocalRobots {
  readonly deadLetters: RobotDeadLetter[] = [];
  readonly #handler: ReturnType<typeof createWebhookHandler>;
  readonly #deadLetterFile: string | null;
  readonly #retryDelayMs: number;
  readonly #pending = new Set<Promise<void>>();
  #counter = 0;

  constructor(options: {
    registry: Registry;
    secrets: WebhookSecrets;
    logger: Logger;
    deadLetterFile: string | null;
    timeoutMs?: number;
    retryDelayMs?: number;
    fetch?: typeof fetch;
  }) {
    this.#deadLetterFile = options.deadLetterFile;
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
    this.#handler = createWebhookHandler({
      registry: options.registry,
      secrets: options.secrets,
      // The outbox's topic names are the ids after these prefixes, as the topics' ARNs are on AWS.
      prefixes: { agency: 'agency-', office: 'office-' },
      timeoutMs: options.timeoutMs ?? 5000,
      logger: options.logger,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
  }

  /** Hands one outbox entry to its owner's robot, in the background (the pipeline never waits for it). */
  post(entry: OutboxEntry): void {
    const body = JSON.stringify({
      Type: 'Notification',
      TopicArn: entry.topic,
      Subject: entry.subject,
      Message: entry.message,
      MessageAttributes:
        'possibleDuplicate' in entry.attributes && entry.attributes.possibleDuplicate === true
          ? { possibleDuplicate: { Type: 'String', Value: 'true' } }
          : {},
    });
    const run = this.#deliver(`robot-${++this.#counter}`, body, entry).finally(() => {
      this.#pending.delete(run);
    });
    this.#pending.add(run);
  }

  /** Resolves when every post handed on has been delivered or dead-lettered. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  async #deliver(messageId: string, body: string, entry: OutboxEntry): Promise<void> {
    for (let receiveCount = 1; ; receiveCount++) {
      const answer = await this.#handler({
        Records: [localSqsRecord(messageId, body, receiveCount, 'robots')],
      });
      if (answer.batchItemFailures.length === 0) return;
      if (receiveCount >= MAX_RECEIVES) {
        const letter = {
          topic: entry.topic,
          subject: entry.subject,
          receiveCount,
          at: new Date().toISOString(),
        };
        this.deadLetters.push(letter);
        if (this.#deadLetterFile !== null)
          appendFileSync(this.#deadLetterFile, `${JSON.stringify({ ...letter, message: entry.message })}\n`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.#retryDelayMs * receiveCount));
    }
  }
}
