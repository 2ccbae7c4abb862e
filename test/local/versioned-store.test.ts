import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { startS3rver } from '../../local/emulators.ts';
import { BUCKET } from '../../local/local-deps.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';

/**
 * The local S3 keeps versions as the stack's versioned bucket does: every put is a version of its own
 * (so A → B → A on one key ends on A), each readable by its id after later puts, and its ObjectCreated
 * event goes out only once it can be read whole.
 */
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '..', 'fixtures', name));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const registry = { operators: [], offices: [], agencies: [] };

describe('the local store keeps every put as a version', () => {
  it('gives each put its own version id, and an older version stays readable by it', async () => {
    const storage = await startS3rver(BUCKET, path.join(mkdtempSync(path.join(tmpdir(), 'vs-')), 's3'));
    try {
      const Key = 'incoming/a/x.txt';
      const ids: string[] = [];
      for (const body of ['A', 'B', 'A']) {
        const out = await storage.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: body }));
        ids.push(out.VersionId ?? '');
      }
      expect(new Set(ids).size).toBe(3);
      const read = async (VersionId?: string) => {
        const got = await storage.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key, VersionId }));
        return { body: await got.Body?.transformToString(), versionId: got.VersionId };
      };
      expect(await read(ids[1])).toEqual({ body: 'B', versionId: ids[1] });
      expect(await read(ids[0])).toEqual({ body: 'A', versionId: ids[0] });
      expect(await read()).toEqual({ body: 'A', versionId: ids[2] });
    } finally {
      await storage.stop();
    }
  }, 60_000);

  it('announces a write only once its bytes can be read whole, with the version the event names', async () => {
    const storage = await startS3rver(BUCKET, path.join(mkdtempSync(path.join(tmpdir(), 'vs-')), 's3'));
    try {
      const body = Buffer.alloc(6 * 1024 * 1024, 7);
      const seen: Promise<boolean>[] = [];
      storage.onEvent((event) => {
        for (const r of event.Records) {
          seen.push(
            storage.s3
              .send(
                new GetObjectCommand({
                  Bucket: BUCKET,
                  Key: r.s3.object.key,
                  VersionId: r.s3.object.versionId,
                }),
              )
              .then(async (got) => Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(body)),
          );
        }
      });
      // Streamed in slowly: the store must not announce it before the last byte.
      const slow = Readable.from(
        (async function* () {
          for (let i = 0; i < 6; i++) {
            await new Promise((resolve) => setTimeout(resolve, 100));
            yield body.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024);
          }
        })(),
      );
      await storage.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'incoming/a/big.bin',
          Body: slow,
          ContentLength: body.length,
        }),
      );
      expect(seen).toHaveLength(1);
      expect(await Promise.all(seen)).toEqual([true]);
    } finally {
      await storage.stop();
    }
  }, 60_000);

  it('A → B → A on one key ends on A, as S3 does (N1)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aba-'));
    const a = fixture('synthetic/clean-single-request.txt');
    // The same report with a line more: another version of the same year (a report of another year would
    // become A's prior year and change its findings).
    const b = Buffer.concat([a, Buffer.from('\n（本报告于发布后更正一处笔误。）\n')]);
    const pipeline = await LocalPipeline.start({ dir, registry });
    try {
      const key = await pipeline.upload('qinghe-edu', '2023/report.txt', a);
      const first = await pipeline.record(key);
      await pipeline.upload('qinghe-edu', '2023/report.txt', b);
      expect((await pipeline.record(key))?.source.sha256).toBe(sha256(b));
      await pipeline.upload('qinghe-edu', '2023/report.txt', a);
      const last = await pipeline.record(key);
      expect(last?.source.sha256).toBe(sha256(a));
      expect(last?.status).toBe(first?.status);
      expect(last?.upload?.versionId).not.toBe(first?.upload?.versionId);
    } finally {
      await pipeline.stop();
    }
  }, 120_000);
});
