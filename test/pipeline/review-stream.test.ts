import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReviewStore } from '../../functions/adapters/dynamo-review-store.ts';
import type { ReviewDecision } from '../../functions/pipeline/review-decision.ts';
import { reviewPk } from '../../functions/pipeline/table-layout.ts';
import {
  isReviewStreamRecord,
  parseReviewStreamRecord,
  parseStreamRecord,
  REPORT_PK_PREFIX,
} from '../../functions/stream/index.ts';
import { startDynalite } from '../support/local-aws.ts';

/**
 * The review item in the table's stream: the item exactly as the store wrote it (read back from dynalite)
 * in the wire shape of a DynamoDB stream record, parsed by the contract downstream jobs import.
 */
let dynamo: Awaited<ReturnType<typeof startDynalite>>;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(() => dynamo?.stop());

const decision: ReviewDecision = {
  agencyId: 'hongze-edu',
  year: 2022,
  fingerprint: '0123456789abcdef',
  code: 'REQUESTS_BALANCE',
  decision: 'DISMISSED',
  reason: '结转数口径不同',
  reviewer: 'gongkai@hongze.example.gov.cn',
  office: 'hongze-office',
  at: '2026-12-01T03:00:00.000Z',
  objectKey: 'incoming/hongze-edu/2022/0d8b3c52-0d4c-4a55-9a39-8c9b0a0e4b1f-年报.pdf',
  versionId: null,
};

async function storedItems(d: ReviewDecision) {
  const out = await dynamo.db.send(
    new QueryCommand({
      TableName: dynamo.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: reviewPk(d.agencyId, d.year) } },
    }),
  );
  return out.Items ?? [];
}

function streamRecord(image: Record<string, unknown>, seq: string): DynamoDBRecord {
  return {
    eventID: `e-${seq}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'cn-north-1',
    dynamodb: {
      ApproximateCreationDateTime: 1705000000,
      Keys: { pk: image.pk as never, sk: image.sk as never },
      NewImage: image as never,
      SequenceNumber: seq,
      SizeBytes: 512,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN:
      'arn:aws-cn:dynamodb:cn-north-1:123456789012:table/Reports/stream/2024-01-01T00:00:00.000',
  };
}

describe('review items in the stream contract', () => {
  it('carries each decision as written, its own item type; a second decision is a new item', async () => {
    const store = new DynamoReviewStore(dynamo.db, dynamo.tableName);
    await store.decide(decision);
    const later = {
      ...decision,
      decision: 'CONFIRMED' as const,
      at: '2026-12-01T04:00:00.000Z',
      versionId: 'v2',
    };
    await store.decide(later);
    const items = await storedItems(decision);
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item.pk?.S).toBe('review#hongze-edu#2022');
      expect(item.sk?.S).toMatch(/^finding#0123456789abcdef#2026-12-01T0[34]:00:00\.000Z#[0-9a-f-]{36}$/);
      expect(item.itemType?.S).toBe('review');
    }
    const changes = items.map((item, i) => parseReviewStreamRecord(streamRecord(item, `10${i}`)));
    expect(changes.map((c) => c.decision)).toEqual([decision, later]);
    expect(changes[0]).toMatchObject({ itemType: 'review', eventName: 'INSERT', previous: null });
    expect(await store.decisions('hongze-edu', 2022)).toEqual([decision, later]);
    expect(await store.decisions('hongze-edu', 2023)).toEqual([]);
  });

  it('is told apart by its key; a report consumer refuses it, as the stack’s filter never passes it', async () => {
    const [item] = await storedItems(decision);
    const raw = streamRecord(item as Record<string, unknown>, '200');
    expect(isReviewStreamRecord(raw)).toBe(true);
    expect(String(raw.dynamodb?.Keys?.pk?.S).startsWith(REPORT_PK_PREFIX)).toBe(false);
    expect(() => parseStreamRecord(raw)).toThrow(/not a report item key/);
  });

  it('rejects a review item that breaks the contract', async () => {
    const [item] = await storedItems(decision);
    const broken = { ...(item as Record<string, unknown>), decision: { S: 'MAYBE' } };
    expect(() => parseReviewStreamRecord(streamRecord(broken, '300'))).toThrow();
    const noReason = { ...(item as Record<string, unknown>) };
    delete noReason.reason;
    expect(() => parseReviewStreamRecord(streamRecord(noReason, '301'))).toThrow();
  });
});
