import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { Extractor } from '../../functions/extract/index.ts';
import { extractUpload } from '../../functions/pipeline/extract-step.ts';
import { padSequencer, uploadKeyFor } from '../../functions/pipeline/keys.ts';
import { startS3rver } from '../../local/emulators.ts';
import { BUCKET } from '../../local/local-deps.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';

/**
 * The local run after a crash and against its own S3's torn writes: what an earlier run stored but did
 * not finish is finished on the next start; an object announced before its bytes are on disk is waited for.
 */
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '..', 'fixtures', name));
const registry = { operators: [], offices: [], agencies: [] };
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

/** Puts objects into the state folder's bucket with no pipeline listening: a run killed right after. */
async function storeWithoutPipeline(
  dir: string,
  put: (s3: Awaited<ReturnType<typeof startS3rver>>) => Promise<void>,
) {
  const storage = await startS3rver(BUCKET, path.join(dir, 's3'));
  try {
    await put(storage);
  } finally {
    await storage.stop();
  }
}

describe('the local run resumes what a crash left', () => {
  it('an upload stored but never processed, and an extraction never recorded, get their records on start', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'resume-'));
    const plain = fixture('synthetic/appeals-litigation-direct-total-broken.txt');
    const extracted = fixture('real/huaian-2024.pdf');
    const keyA = uploadKeyFor('qinghe-edu', '2023/appeals-litigation-direct-total-broken.txt');
    const keyB = uploadKeyFor('huaian-gov', '年报.pdf');
    await storeWithoutPipeline(dir, async ({ s3 }) => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyA, Body: plain }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyB, Body: extracted }));
      // B got as far as its extraction (the claim-check), then the run died.
      const extractor = new Extractor();
      try {
        const ref = {
          bucket: BUCKET,
          key: keyB,
          versionId: md5(extracted),
          sequencer: padSequencer('1'),
          eventTime: new Date().toISOString(),
          size: extracted.length,
          eTag: md5(extracted),
        };
        const out = await extractUpload(ref, { objects: new S3ObjectStore(s3), extractor });
        expect(out).toMatchObject({ kind: 'stored', ok: true });
      } finally {
        await extractor.close();
      }
    });

    const pipeline = await LocalPipeline.start({ dir, registry });
    try {
      expect(await pipeline.record(keyA)).toBeNull();
      expect(await pipeline.resume()).toBe(2);
      expect((await pipeline.record(keyA))?.status).toBe('INVALID');
      expect((await pipeline.record(keyB))?.status).toBe('VALID');
      expect(pipeline.deps.outbox.sent).toHaveLength(1);
      // Nothing is left: a second start resumes nothing and sends nothing.
      expect(await pipeline.resume()).toBe(0);
      expect(pipeline.deps.outbox.sent).toHaveLength(1);
    } finally {
      await pipeline.stop();
    }
  }, 120_000);

  it('waits for an object announced before its bytes are on disk, instead of reading it empty', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'torn-'));
    const bytes = fixture('real/huaian-2024.pdf');
    const pipeline = await LocalPipeline.start({ dir, registry });
    try {
      const first = await pipeline.upload('huaian-gov', 'a.pdf', bytes);
      expect((await pipeline.record(first))?.status).toBe('VALID');
      // What s3rver leaves for a moment after announcing a write: metadata in place, the data not yet.
      const folder = path.join(dir, 's3', BUCKET, 'incoming', 'huaian-gov');
      for (const file of readdirSync(folder).filter((f) => f.startsWith('a.pdf._S3rver_'))) {
        copyFileSync(path.join(folder, file), path.join(folder, file.replace('a.pdf', 'b.pdf')));
      }
      writeFileSync(path.join(folder, 'b.pdf._S3rver_object'), '');
      const key = uploadKeyFor('huaian-gov', 'b.pdf');
      pipeline.router.accept({
        Records: [
          {
            eventSource: 'aws:s3',
            eventName: 'ObjectCreated:Put',
            eventTime: new Date().toISOString(),
            s3: { bucket: { name: BUCKET }, object: { key, size: bytes.length, eTag: `"${md5(bytes)}"` } },
          },
        ],
      });
      setTimeout(() => writeFileSync(path.join(folder, 'b.pdf._S3rver_object'), bytes), 1500);
      await pipeline.router.idle();
      expect((await pipeline.record(key))?.status).toBe('VALID');
      expect(pipeline.router.deadLetters).toEqual([]);
    } finally {
      await pipeline.stop();
    }
  }, 120_000);
});
