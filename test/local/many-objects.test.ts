import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { uploadIdFor } from '../../functions/api/upload-keys.ts';
import { startDynalite } from '../../local/emulators.ts';
import { BUCKET, TABLE } from '../../local/local-deps.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { serve } from '../../local/serve.ts';
import { runLocal } from '../cli/local-run.ts';
import { type RawObject, recordOfRaw, seedDoneRecords, writeRawObjects } from '../support/raw-objects.ts';
import { tokens } from '../support/sign-in.ts';

/**
 * A season of more than 1,000 objects under one prefix (S3 lists 1,000 a page): the local run starts on
 * it, resumes what it left past the first page, runs again, and the upload list answers for the
 * agency-year. The objects are written straight into the state folder and their records seeded (one
 * upload through the pipeline would take seconds; thousands, minutes): what is under test is the listing.
 */
const AGENCY = 'qinghe-guangming';
const YEAR = 2024;
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '..', 'fixtures', name));

/** `count` recorded uploads under incoming/{agency}/{year}/, plus one never processed whose key sorts last. */
async function season(count: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'season-'));
  const old = new Date(Date.now() - 24 * 3600 * 1000);
  const fillers: RawObject[] = Array.from({ length: count - 1 }, (_, i) => ({
    key: `incoming/${AGENCY}/${YEAR}/${randomUUID().replace(/^f/, 'e')}-f${i}.txt`,
    body: `filler ${i}\n`,
    mtime: old,
  }));
  // Sorts after every filler (no filler's UUID starts with f), so it is on the last page.
  const last: RawObject = {
    key: `incoming/${AGENCY}/${YEAR}/ffffffff-ffff-4fff-8fff-ffffffffffff-年报.txt`,
    body: fixture('synthetic/appeals-litigation-direct-total-broken.txt'),
  };
  writeRawObjects(path.join(dir, 's3'), BUCKET, [...fillers, last]);
  const table = await startDynalite(TABLE, { path: path.join(dir, 'dynamodb') });
  try {
    await seedDoneRecords(
      table.db,
      TABLE,
      fillers.map((o) => recordOfRaw(o, BUCKET, AGENCY)),
    );
  } finally {
    await table.stop();
  }
  return { dir, last };
}

async function startsAndLists(count: number) {
  const { dir, last } = await season(count);
  const pipeline = await LocalPipeline.start({ dir });
  try {
    expect(await pipeline.resume()).toBe(1);
    expect((await pipeline.record(last.key))?.status).toBe('INVALID');
    const served = await serve(pipeline.deps, 0);
    const token = tokens(() => served);
    try {
      const res = await fetch(`${served.url}/uploads?year=${YEAR}`, {
        headers: { authorization: `Bearer ${await token(AGENCY)}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        uploads: { uploadId: string; status: string }[];
        truncated: boolean;
      };
      expect(body.truncated).toBe(true);
      // Newest first, over every page: the one written last leads, and it opens.
      expect(body.uploads[0]).toMatchObject({ uploadId: uploadIdFor(last.key), status: 'INVALID' });
      const opened = await fetch(`${served.url}/uploads/${body.uploads[0]?.uploadId}`, {
        headers: { authorization: `Bearer ${await token(AGENCY)}` },
      });
      expect(opened.status).toBe(200);
    } finally {
      await new Promise((resolve) => served.server.close(resolve));
    }
  } finally {
    await pipeline.stop();
  }
  // Nothing is left to resume, and a later run (the batch) starts on the same state.
  const again = await runLocal([
    '--dir',
    dir,
    '--json',
    path.join(import.meta.dirname, '..', 'fixtures', 'synthetic', 'clean-single-request.txt'),
    '--agency',
    AGENCY,
  ]);
  expect(again.stderr).not.toMatch(/InternalError|at .*\.ts:/);
  expect(again.stderr).not.toMatch(/resumed/);
  expect(again.status).toBe(0);
}

describe('a season of more than 1,000 objects under one prefix', () => {
  it('1,001 objects: the run starts, resumes the one past the first page, lists and opens them, runs again', async () => {
    await startsAndLists(1001);
  }, 120_000);

  it('5,000 objects: the same', async () => {
    await startsAndLists(5000);
  }, 180_000);
});
