import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../../functions/extract/index.ts';
import { createExportHandler } from '../../functions/handlers/export-handler.ts';
import type { ObjectStore } from '../../functions/pipeline/ports.ts';
import { checkDocument } from '../../functions/report/index.ts';
import { parseStreamRecord } from '../../functions/stream/index.ts';
import { itemKeys, recordAttributes } from '../../functions/stream/items.ts';
import { sampleText } from '../report/helpers.ts';

/** The stream contract downstream jobs import, and the example consumer, on records in the wire shape. */
async function record(versionId: string, text = sampleText()) {
  const bytes = new TextEncoder().encode(text);
  const r = checkDocument(
    {
      file: 'k',
      bytes,
      agencyId: 'qinghe-guangming',
      upload: {
        bucket: 'b',
        key: 'incoming/qinghe-guangming/2023/r.txt',
        versionId,
        sequencer: '0A',
        eventTime: '2024-01-10T00:00:00Z',
        size: bytes.length,
      },
    },
    await extractDocument(bytes),
  );
  return r;
}

function streamRecord(
  eventName: 'INSERT' | 'MODIFY',
  sk: string,
  image: Record<string, unknown>,
  old: Record<string, unknown> | undefined,
  seq: string,
): DynamoDBRecord {
  return {
    eventID: `e-${seq}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'cn-north-1',
    dynamodb: {
      ApproximateCreationDateTime: 1705000000,
      Keys: { pk: { S: String((image.pk as { S: string }).S) }, sk: { S: sk } },
      NewImage: image as never,
      ...(old === undefined ? {} : { OldImage: old as never }),
      SequenceNumber: seq,
      SizeBytes: 1024,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN:
      'arn:aws-cn:dynamodb:cn-north-1:123456789012:table/Reports/stream/2024-01-01T00:00:00.000',
  };
}

async function item(versionId: string, extra: Record<string, unknown> = {}) {
  const r = await record(versionId);
  const keys = itemKeys(r);
  return { pk: { S: keys.pk }, sk: { S: keys.versionSk }, ...recordAttributes(r), ...keys.index, ...extra };
}

describe('parseStreamRecord', () => {
  it('gives typed records, the item type and whether only bookkeeping changed', async () => {
    const inserted = await item('v1');
    const change = parseStreamRecord(streamRecord('INSERT', 'version#v1', inserted, undefined, '100'));
    expect(change).toMatchObject({
      eventName: 'INSERT',
      itemType: 'version',
      objectKey: 'incoming/qinghe-guangming/2023/r.txt',
      previous: null,
      recordUnchanged: false,
    });
    expect(change.record?.requests?.granted?.naturalPerson).toBe(3);
    const notified = parseStreamRecord(
      streamRecord(
        'MODIFY',
        'version#v1',
        { ...inserted, notifiedAt: { S: '2024-01-10T00:00:01Z' } },
        inserted,
        '101',
      ),
    );
    expect(notified.recordUnchanged).toBe(true);
    expect(parseStreamRecord(streamRecord('INSERT', 'current', inserted, undefined, '102')).itemType).toBe(
      'current',
    );
  });

  it('throws on a record that breaks the contract', () => {
    expect(() => parseStreamRecord({ eventID: 'x', eventName: 'INSERT', dynamodb: {} })).toThrow();
  });
});

describe('the JSON-lines export consumer', () => {
  const logger = new Logger({ logLevel: 'SILENT' });
  it('writes one object per batch with one line per new report version', async () => {
    const written: { key: string; body: string }[] = [];
    const objects: ObjectStore = {
      get: async () => null,
      // The JSON lines only: the Parquet dataset files of the same batch are test/analytics/'s.
      put: async (_b, key, body) => void (typeof body === 'string' && written.push({ key, body })),
    };
    const handler = createExportHandler({
      objects,
      bucket: 'b',
      logger,
      now: () => new Date('2024-01-10T08:00:00Z'),
    });
    const a = await item('v1');
    const b = await item('v2');
    const event: DynamoDBStreamEvent = {
      Records: [
        streamRecord('INSERT', 'version#v1', a, undefined, '200'),
        streamRecord('INSERT', 'current', a, undefined, '201'),
        streamRecord('INSERT', 'version#v2', b, undefined, '202'),
        streamRecord('MODIFY', 'version#v2', { ...b, notifiedAt: { S: 'now' } }, b, '203'),
      ],
    };
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    expect(written).toHaveLength(1);
    expect(written[0]?.key).toBe('exports/records/date=2024-01-10/200.jsonl');
    const lines = written[0]?.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines?.map((l) => [l.sequenceNumber, l.upload.versionId])).toEqual([
      ['200', 'v1'],
      ['202', 'v2'],
    ]);
  });

  it('reports the broken record, or the batch when the write fails, for bisect and retry', async () => {
    const failing: ObjectStore = { get: async () => null, put: () => Promise.reject(new Error('SlowDown')) };
    const a = await item('v1');
    const good = streamRecord('INSERT', 'version#v1', a, undefined, '300');
    expect(await createExportHandler({ objects: failing, bucket: 'b', logger })({ Records: [good] })).toEqual(
      {
        batchItemFailures: [{ itemIdentifier: '300' }],
      },
    );
    const broken = {
      ...good,
      dynamodb: { ...good.dynamodb, SequenceNumber: '301', NewImage: { record: { S: '{}' } } },
    };
    const ok: ObjectStore = { get: async () => null, put: async () => {} };
    expect(
      await createExportHandler({ objects: ok, bucket: 'b', logger })({
        Records: [good, broken as DynamoDBRecord],
      }),
    ).toEqual({
      batchItemFailures: [{ itemIdentifier: '301' }],
    });
  });
});
