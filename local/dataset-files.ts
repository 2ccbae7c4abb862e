import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ANALYTICS_PREFIX } from '../functions/analytics/dataset.ts';
import type { ObjectStore } from '../functions/pipeline/ports.ts';
import type { LocalBucket } from './local-bucket.ts';

/**
 * The local run's analytics dataset (`exports/analytics/v1/` in its bucket) copied into a folder, with the
 * keys' layout, for DuckDB to read (functions/analytics/duckdb.ts) as it would read a copy of the deployed
 * bucket. Returns the folder that holds the tables and how many files were copied.
 */
export async function copyDataset(
  bucket: Pick<LocalBucket, 'name' | 'list'>,
  objects: ObjectStore,
  into: string,
): Promise<{ root: string; files: number }> {
  let files = 0;
  for (const { key } of await bucket.list(ANALYTICS_PREFIX)) {
    const relative = key.slice(ANALYTICS_PREFIX.length);
    // Only the layout's own keys: nothing may climb out of the folder.
    if (!key.startsWith(ANALYTICS_PREFIX) || relative.split('/').some((s) => s === '..' || s === ''))
      continue;
    const target = path.join(into, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, (await objects.get(bucket.name, key)) ?? new Uint8Array());
    files++;
  }
  return { root: into, files };
}
