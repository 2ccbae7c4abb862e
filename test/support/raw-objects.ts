import { createHash } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { padSequencer } from '../../functions/pipeline/keys.ts';
import { ATTR, CURRENT_SK } from '../../functions/pipeline/table-layout.ts';
import { failedRecord, type ReportRecord } from '../../functions/report/index.ts';
import { itemKeys, recordAttributes } from '../../functions/stream/items.ts';

/**
 * Objects written straight into the local S3's folder, laid out as s3rver lays them out (data, MD5 and
 * metadata files), with no event: what a large earlier season leaves in the state folder, in a fraction
 * of the time thousands of puts take. Such an object carries no version id of the local store; it reads
 * as the version its MD5 names (the local run's versions before every put had its own).
 */
export interface RawObject {
  key: string;
  body: Uint8Array | string;
  /** Its last-modified time (default: now). */
  mtime?: Date;
}

export const md5 = (body: Uint8Array | string) => createHash('md5').update(body).digest('hex');

export function writeRawObjects(s3Dir: string, bucket: string, objects: readonly RawObject[]): void {
  for (const { key, body, mtime } of objects) {
    const parts = key.split('/');
    const name = parts.pop() ?? '';
    const folder = path.join(s3Dir, bucket, ...parts);
    mkdirSync(folder, { recursive: true });
    const data = path.join(folder, `${name}._S3rver_object`);
    writeFileSync(data, body);
    writeFileSync(`${data}.md5`, md5(body));
    writeFileSync(
      path.join(folder, `${name}._S3rver_metadata.json`),
      JSON.stringify({ 'content-type': 'text/plain', 'x-amz-meta-md5': md5(body) }),
    );
    if (mtime !== undefined) utimesSync(data, mtime, mtime);
  }
}

/** A FAILED record of a raw object as the pipeline would have stored it (its version: the MD5). */
export function recordOfRaw(object: RawObject, bucket: string, agencyId: string): ReportRecord {
  const bytes = typeof object.body === 'string' ? new TextEncoder().encode(object.body) : object.body;
  return failedRecord(
    {
      file: object.key,
      bytes,
      agencyId,
      upload: {
        bucket,
        key: object.key,
        versionId: md5(object.body),
        sequencer: padSequencer('1'),
        eventTime: (object.mtime ?? new Date()).toISOString(),
        size: bytes.length,
      },
    },
    'UNSUPPORTED_TYPE',
    'seeded',
  );
}

/**
 * Writes records as the pipeline leaves them once done (version and current items, notice sent), 25 items
 * a request: thousands in seconds, where one save each takes minutes on a loaded machine.
 */
export async function seedDoneRecords(db: DynamoDBClient, table: string, records: readonly ReportRecord[]) {
  const items = records.flatMap((record) => {
    const keys = itemKeys(record);
    const attributes = {
      ...recordAttributes(record),
      [ATTR.revision]: { N: '0' },
      [ATTR.notifiedRevision]: { N: '0' },
    };
    return [
      { ...attributes, ...keys.index, [ATTR.pk]: { S: keys.pk }, [ATTR.sk]: { S: keys.versionSk } },
      { ...attributes, [ATTR.pk]: { S: keys.pk }, [ATTR.sk]: { S: CURRENT_SK } },
    ];
  });
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 4) {
    await Promise.all(
      batches.slice(i, i + 4).map(async (batch) => {
        let unprocessed: Record<string, never[]> | undefined = {
          [table]: batch.map((Item) => ({ PutRequest: { Item } })) as never[],
        };
        while (unprocessed !== undefined && Object.keys(unprocessed).length > 0) {
          const out = await db.send(new BatchWriteItemCommand({ RequestItems: unprocessed }));
          unprocessed = out.UnprocessedItems as typeof unprocessed;
        }
      }),
    );
  }
}
