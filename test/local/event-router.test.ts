import { describe, expect, it } from 'vitest';
import { objectsCreated } from '../../functions/pipeline/s3-events.ts';
import { EventRouter } from '../../local/event-router.ts';

/** An event as the local store emits it: raw key, its version id, a millisecond sequencer. */
const emitted = (key: string, eTag = 'abc', versionId = 'v1') => ({
  Records: [
    {
      eventVersion: '2.0',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2024-01-20T02:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: 'b' },
        object: { key, eTag, size: 3, versionId, sequencer: '18D2A' },
      },
    },
  ],
});

describe('the local event router', () => {
  it("hands handlers SQS records with AWS-encoded keys, increasing sequencers and the store's version id", async () => {
    const bodies: string[] = [];
    const router = new EventRouter([
      {
        name: 'q',
        prefix: 'incoming/',
        handler: async (e) => {
          bodies.push(e.Records[0]?.body ?? '');
          return { batchItemFailures: [] };
        },
      },
    ]);
    router.accept(emitted('incoming/a/洪泽 (年报).pdf'));
    router.accept(emitted('incoming/a/洪泽 (年报).pdf'));
    router.accept(emitted('other/ignored.pdf'));
    await router.idle();
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toContain('"key":"incoming/a/%E6%B4%AA%E6%B3%BD+%28%E5%B9%B4%E6%8A%A5%29.pdf"');
    const [first, second] = bodies.map((b) => objectsCreated(b)[0]);
    expect(first?.key).toBe('incoming/a/洪泽 (年报).pdf');
    expect(first?.versionId).toBe('v1');
    expect((first?.sequencer ?? '') < (second?.sequencer ?? '')).toBe(true);
  });

  it('retries a failing message up to 5 receives, then dead-letters it', async () => {
    let calls = 0;
    const router = new EventRouter([
      {
        name: 'q',
        prefix: 'incoming/',
        handler: async (e) => {
          calls++;
          return { batchItemFailures: [{ itemIdentifier: e.Records[0]?.messageId ?? '' }] };
        },
      },
    ]);
    router.accept(emitted('incoming/a/x.pdf'));
    await router.idle();
    expect(calls).toBe(5);
    expect(router.deadLetters).toMatchObject([{ queue: 'q', receiveCount: 5 }]);
  });

  it('runs up to a route’s concurrency at once, starting its messages in queue order; other routes are not held back', async () => {
    const started: string[] = [];
    const inFlight = { extract: 0, parse: 0 };
    const most = { extract: 0, parse: 0 };
    let router: EventRouter;
    const handler =
      (route: 'extract' | 'parse', ms: number) => async (e: { Records: { body: string }[] }) => {
        const key = objectsCreated(e.Records[0]?.body ?? '')[0]?.key ?? '';
        started.push(key);
        inFlight[route]++;
        most[route] = Math.max(most[route], inFlight[route]);
        await new Promise((resolve) => setTimeout(resolve, ms));
        // Each extraction writes a document that the parse route picks up, as the real chain does.
        if (route === 'extract') router.accept(emitted(key.replace('incoming/', 'extracted/')));
        inFlight[route]--;
        return { batchItemFailures: [] };
      };
    router = new EventRouter([
      { name: 'extract', prefix: 'incoming/', handler: handler('extract', 30), concurrency: 3 },
      { name: 'parse', prefix: 'extracted/', handler: handler('parse', 5) },
    ]);
    const keys = Array.from({ length: 8 }, (_, i) => `incoming/a/${i}.pdf`);
    for (const key of keys) router.accept(emitted(key));
    await router.idle();
    expect(started.filter((k) => k.startsWith('incoming/'))).toEqual(keys);
    expect(started.filter((k) => k.startsWith('extracted/')).sort()).toEqual(
      keys.map((k) => k.replace('incoming/', 'extracted/')).sort(),
    );
    expect(most).toEqual({ extract: 3, parse: 1 });
    // A parse started before the last extraction did: the parse route did not wait for the extract queue.
    expect(started.findIndex((k) => k.startsWith('extracted/'))).toBeLessThan(
      started.indexOf(keys.at(-1) ?? ''),
    );
  });

  it('one agency’s burst does not hold back another’s upload: agencies take turns (issue 22 N8)', async () => {
    const started: string[] = [];
    const router = new EventRouter([
      {
        name: 'extract',
        prefix: 'incoming/',
        concurrency: 1,
        handler: async (e) => {
          started.push(objectsCreated(e.Records[0]?.body ?? '')[0]?.key ?? '');
          await new Promise((resolve) => setTimeout(resolve, 2));
          return { batchItemFailures: [] };
        },
      },
    ]);
    // 40 posts of one agency to one key, then another agency's upload.
    for (let i = 0; i < 40; i++) router.accept(emitted('incoming/busy/2024/report.pdf', 'abc', `v${i}`));
    router.accept(emitted('incoming/other/2024/report.pdf'));
    await router.idle();
    expect(started).toHaveLength(41);
    expect(started.indexOf('incoming/other/2024/report.pdf')).toBeLessThanOrEqual(1);
    // Each agency's own messages keep their order.
    expect(started.filter((k) => k.startsWith('incoming/busy/'))).toHaveLength(40);
  });
});
