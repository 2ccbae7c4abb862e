import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * The local stand-in for S3 notifications → SQS → Lambda: S3 events (as the in-process S3 emits them)
 * are re-encoded the way AWS encodes them (URL-encoded keys, `+` for a space), wrapped in SQS records and
 * handed to the same handlers the Lambdas run, one message per invocation and up to a route's
 * `concurrency` invocations at once (as Lambda runs several for a queue; messages of a route start in
 * queue order). A message whose handler reports it failed is received again, up to `maxReceiveCount`
 * times, then dead-lettered, as the deployed queues do.
 */
export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface Route {
  name: string;
  prefix: string;
  handler: SqsHandler;
  /** Most messages of this route handled at once (default 1). */
  concurrency?: number;
}

interface Message {
  id: string;
  body: string;
  route: Route;
  receiveCount: number;
  object: EmittedRecord['s3']['object'];
  /** Like SQS's visibility timeout: a failed message is not received again before this time. */
  notBefore: number;
}

export interface DeadLetter {
  queue: string;
  body: string;
  receiveCount: number;
}

export interface EmittedRecord {
  eventVersion?: string;
  eventSource?: string;
  awsRegion?: string;
  eventName: string;
  eventTime?: string;
  s3: {
    bucket: { name: string };
    object: { key: string; eTag?: string; sequencer?: string; size?: number; versionId?: string };
  };
}

/** The agency a key belongs to: `incoming/{agencyId}/…` and `extracted/{agencyId}/…` (keys.ts). */
const agencyOf = (key: string) => key.split('/', 2)[1] ?? '';

/** S3's form-style encoding of keys in events: UTF-8 percent-encoding, `+` for a space, `/` kept. */
export const encodeKey = (key: string): string =>
  encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
    .replace(/%2F/g, '/');

/** One SQS record as a local queue delivers it: the same shape Lambda's SQS event source gives. */
export function localSqsRecord(id: string, body: string, receiveCount: number, queue: string): SQSRecord {
  const now = String(Date.now());
  return {
    messageId: id,
    receiptHandle: `${id}-${receiveCount}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: now,
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:local:000000000000:${queue}`,
    awsRegion: 'local',
  };
}

export class EventRouter {
  readonly deadLetters: DeadLetter[] = [];
  readonly #routes: Route[];
  readonly #maxReceiveCount: number;
  readonly #queue: Message[] = [];
  #running: Promise<void> | null = null;
  #counter = 0;
  #lastSequencer = 0n;
  /** When each agency's last message was started (a counter): agencies take turns (#next). */
  readonly #served = new Map<string, number>();
  #turn = 0;
  /** Wakes the drain loop when it waits for a slot and a message arrives. */
  #wake: (() => void) | null = null;

  constructor(routes: Route[], options: { maxReceiveCount?: number; retryDelayMs?: number } = {}) {
    this.#routes = routes;
    this.#maxReceiveCount = options.maxReceiveCount ?? 5;
    this.#retryDelayMs = options.retryDelayMs ?? 100;
  }

  readonly #retryDelayMs: number;

  /** An S3 event notification as the in-process S3 emits it (raw keys). */
  accept(event: { Records?: EmittedRecord[] }): void {
    for (const record of event.Records ?? []) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const key = record.s3.object.key;
      const route = this.#routes.find((r) => key.startsWith(r.prefix));
      if (route === undefined) continue;
      // Strictly increasing sequencers, whatever produced the event (the store's, or the resume's).
      const now = BigInt(Date.now()) << 16n;
      this.#lastSequencer = now > this.#lastSequencer ? now : this.#lastSequencer + 1n;
      const body = JSON.stringify({
        Records: [
          {
            ...record,
            s3: {
              ...record.s3,
              object: {
                ...record.s3.object,
                key: encodeKey(key),
                sequencer: this.#lastSequencer.toString(16).toUpperCase(),
              },
            },
          },
        ],
      });
      this.#counter++;
      this.#queue.push({
        id: `local-${this.#counter}`,
        body,
        route,
        receiveCount: 0,
        object: record.s3.object,
        notBefore: 0,
      });
    }
    this.#wake?.();
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /** Resolves when every queued message has been handled or dead-lettered. */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #drain(): Promise<void> {
    // Let the upload that produced the event finish before its object is read.
    await new Promise((resolve) => setImmediate(resolve));
    const inFlight = new Map<Route, number>();
    const running = new Set<Promise<void>>();
    for (;;) {
      const at = this.#next(inFlight);
      if (at >= 0) {
        const [message] = this.#queue.splice(at, 1);
        if (message === undefined) continue;
        this.#served.set(agencyOf(message.object.key), ++this.#turn);
        inFlight.set(message.route, (inFlight.get(message.route) ?? 0) + 1);
        const task: Promise<void> = this.#handle(message).finally(() => {
          inFlight.set(message.route, (inFlight.get(message.route) ?? 1) - 1);
          running.delete(task);
        });
        running.add(task);
        continue;
      }
      if (running.size === 0) return;
      // A finished message frees a slot; a newly accepted one may fit a free slot of its route.
      const accepted = new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      await Promise.race([...running, accepted]);
      this.#wake = null;
    }
  }

  /**
   * The queued message to start: among those whose route has room, the first of the agency served
   * longest ago, so agencies take turns. On AWS a burst of one agency (40 posts through one form) is
   * absorbed by Lambda's scaling; here a few workers serve everyone, and first-come order let one agency
   * hold back all the others' results (issue 22 N8). Each agency's own messages keep their order.
   */
  #next(inFlight: Map<Route, number>): number {
    let best = -1;
    let bestTurn = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    for (let i = 0; i < this.#queue.length; i++) {
      const m = this.#queue[i];
      if (m === undefined || (inFlight.get(m.route) ?? 0) >= (m.route.concurrency ?? 1)) continue;
      const agency = agencyOf(m.object.key);
      if (seen.has(agency)) continue;
      seen.add(agency);
      const turn = this.#served.get(agency) ?? 0;
      if (turn < bestTurn) {
        best = i;
        bestTurn = turn;
        if (turn === 0) break;
      }
    }
    return best;
  }

  async #handle(message: Message): Promise<void> {
    const wait = message.notBefore - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    message.receiveCount++;
    const event: SQSEvent = {
      Records: [localSqsRecord(message.id, message.body, message.receiveCount, message.route.name)],
    };
    let failed: boolean;
    try {
      failed = (await message.route.handler(event)).batchItemFailures.length > 0;
    } catch {
      failed = true;
    }
    if (!failed) return;
    if (message.receiveCount >= this.#maxReceiveCount) {
      this.deadLetters.push({
        queue: message.route.name,
        body: message.body,
        receiveCount: message.receiveCount,
      });
    } else {
      message.notBefore = Date.now() + this.#retryDelayMs * message.receiveCount;
      this.#queue.push(message);
    }
  }
}
