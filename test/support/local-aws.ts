import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startDynalite as startDynamo, startS3rver } from '../../local/emulators.ts';

/** Real local AWS APIs for integration tests (the local run's own emulators), each on a free port. */
export async function startDynalite(tableName = 'reports') {
  return { ...(await startDynamo(tableName)), tableName };
}

export async function startS3(bucket = 'uploads') {
  const started = await startS3rver(bucket, mkdtempSync(path.join(tmpdir(), 's3rver-')));
  return { ...started, bucket };
}
