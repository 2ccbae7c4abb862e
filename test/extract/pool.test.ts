import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExtractionError, Extractor, inOrder } from '../../functions/extract/index.ts';
import { fixturePath } from '../support/fixtures.ts';
import { buildPdf, deflateRepeated } from '../support/pdf-writer.ts';

/** The extraction pool: input order, a worker killed by a budget, the number of workers, fair budgets. */
const pdf = (group: string, name: string): Uint8Array => readFileSync(fixturePath(group, name));
const small = pdf('synthetic', 'cell-missing-denied-state-secret.pdf');
const real = pdf('real', 'hongze-2023.pdf');
const bomb = buildPdf({
  pages: [
    { deflated: deflateRepeated('BT /F2 12 Tf 10 10 Td (AAAAAAAAAAAAAAAA) Tj ET\n', 300 * 1024 * 1024) },
  ],
});

const opened: Extractor[] = [];
const extractor = (options: ConstructorParameters<typeof Extractor>[0]): Extractor => {
  const ex = new Extractor(options);
  opened.push(ex);
  return ex;
};
afterEach(async () => {
  for (const ex of opened.splice(0)) await ex.close();
});

const outcome = (ex: Extractor, bytes: Uint8Array): Promise<string> =>
  ex.extract(bytes).then(
    (doc) => `ok ${doc.format} ${doc.pages.length}`,
    (error: ExtractionError) => `${error.code} ${error.message}`,
  );

describe('inOrder', () => {
  it('emits in input order when work finishes in reverse, with no more in flight than the window', async () => {
    const releases: Array<() => void> = [];
    let inFlight = 0;
    let most = 0;
    const emitted: number[] = [];
    const done = inOrder(
      [0, 1, 2, 3, 4, 5],
      { concurrency: 2, window: 3 },
      (n) =>
        new Promise<number>((resolve) => {
          inFlight++;
          most = Math.max(most, inFlight);
          releases[n] = () => {
            inFlight--;
            resolve(n * 10);
          };
        }),
      (result, item, index) => emitted.push(result, item, index),
    );
    // Release the started ones last-first, again and again, until all are through.
    while (emitted.length < 18) {
      await new Promise((r) => setTimeout(r, 1));
      for (let n = releases.length - 1; n >= 0; n--) releases[n]?.();
    }
    await done;
    expect(emitted).toEqual([0, 1, 2, 3, 4, 5].flatMap((n) => [n * 10, n, n]));
    expect(most).toBeLessThanOrEqual(3);
  });
});

describe('extraction pool', () => {
  it('hands results over in input order while later files finish first', async () => {
    const ex = extractor({ workers: 2 });
    // The slow real report first: the small ones behind it finish earlier on the other worker.
    const files = [real, small, small, real, small, small];
    const emitted: Array<[number, number]> = [];
    await inOrder(
      files,
      { concurrency: ex.workers },
      (bytes) => ex.extract(bytes).then((doc) => doc.pages.length),
      (pages, _bytes, index) => emitted.push([index, pages]),
    );
    const single = extractor({});
    const pagesOf = new Map([
      [real, (await single.extract(real)).pages.length],
      [small, (await single.extract(small)).pages.length],
    ]);
    const expected = files.map((f) => pagesOf.get(f));
    expect(emitted).toEqual(expected.map((pages, index) => [index, pages]));
  }, 180_000);

  it('survives a worker killed by its memory budget: that file gets its coded failure, the rest finish', async () => {
    const ex = extractor({ workers: 2, limits: { maxMemoryMb: 250, timeoutMs: 90_000 } });
    const results = await Promise.all([small, bomb, small, real, small].map((bytes) => outcome(ex, bytes)));
    expect(results[1]).toMatch(/^FILE_TOO_LARGE PDF .*内存超过上限 250\.0 MB.*压缩炸弹/);
    for (const i of [0, 2, 3, 4]) expect(results[i]).toMatch(/^ok pdf \d+$/);
    // The killed worker was replaced: the pool ran at most one worker more than it was asked for.
    expect(ex.spawned).toBeLessThanOrEqual(3);
  }, 180_000);

  it('uses no more workers than asked, and one worker serves files one at a time', async () => {
    const two = extractor({ workers: 2 });
    await Promise.all(Array.from({ length: 6 }, () => two.extract(small)));
    expect(two.spawned).toBe(2);
    const one = extractor({ workers: 1 });
    await Promise.all(Array.from({ length: 4 }, () => one.extract(small)));
    expect(one.spawned).toBe(1);
  }, 180_000);

  it('judges a file by its own memory: the same result alone and after big files', async () => {
    // 4 MB of text: within every default budget, whatever ran before it (the big PDFs, a bomb).
    const line = '一、总体情况：本机关依法主动公开政府信息，受理政府信息公开申请。\n';
    const text = new TextEncoder().encode(line.repeat(Math.ceil((4 * 1024 * 1024) / 96)));
    const alone = await outcome(extractor({}), text);
    const warmed = extractor({ limits: { timeoutMs: 30_000 } });
    for (const bytes of [real, bomb, real, real]) await outcome(warmed, bytes);
    expect(await outcome(warmed, text)).toBe(alone);
    expect(alone).toMatch(/^ok text \d+$/);

    // A budget that text cannot meet fails it the same way alone and after others, worded for a text file.
    const tight = { maxMemoryMb: 140, timeoutMs: 30_000 };
    const tightAlone = await outcome(extractor({ limits: tight }), text);
    const tightWarmed = extractor({ limits: tight });
    for (const bytes of [real, small]) await outcome(tightWarmed, bytes);
    expect(await outcome(tightWarmed, text)).toBe(tightAlone);
    expect(tightAlone).toMatch(/^FILE_TOO_LARGE 文本内容过于庞大/);
    expect(tightAlone).not.toContain('压缩炸弹');
  }, 240_000);
});
