import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ANALYTICS_PREFIX } from '../functions/analytics/dataset.ts';

/**
 * The local run's analytics dataset (`exports/analytics/v1/` in its bucket) copied into a folder, with the
 * keys' layout, for DuckDB to read (functions/analytics/duckdb.ts) as it would read a copy of the deployed
 * bucket. Returns the folder that holds the tables and how many files were copied.
 */
export async function copyDataset(
  s3: S3Client,
  bucket: string,
  into: string,
): Promise<{ root: string; files: number }> {
  let token: string | undefined;
  let files = 0;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: ANALYTICS_PREFIX, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      const relative = key.slice(ANALYTICS_PREFIX.length);
      // Only the layout's own keys: nothing may climb out of the folder.
      if (!key.startsWith(ANALYTICS_PREFIX) || relative.split('/').some((s) => s === '..' || s === ''))
        continue;
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const target = path.join(into, relative);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, (await got.Body?.transformToByteArray()) ?? new Uint8Array());
      files++;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return { root: into, files };
}
