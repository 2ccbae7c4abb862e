import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
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
 * not finish is finished on the next start. (That no event goes out before its object can be read is
 * versioned-store.test.ts's.)
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
      const putB = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyB, Body: extracted }));
      // B got as far as its extraction (the claim-check), then the run died.
      const extractor = new Extractor();
      try {
        const ref = {
          bucket: BUCKET,
          key: keyB,
          versionId: putB.VersionId ?? '',
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
});
