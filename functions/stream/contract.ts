import { z } from 'zod';
import type { ReviewDecision } from '../pipeline/review-decision.ts';
import { ATTR, parseItemKey, REVIEW_PK_PREFIX, type Reevaluation } from '../pipeline/table-layout.ts';
import { ReportRecord } from '../report/record.ts';
import { decodeItem, decodeReviewItem } from './items.ts';

/**
 * The downstream contract of the reports table's stream (NEW_AND_OLD_IMAGES). Downstream jobs import
 * `parseStreamRecord` and get typed, validated records; of the AWS SDK they need only its DynamoDB JSON codec
 * (@aws-sdk/util-dynamodb, through items.ts).
 *
 * Each upload yields a `version` item (one per object version, never overwritten except by a re-parse
 * with a newer parser) and updates the key's `current` item. A job that counts reports reads `version`
 * items; one that mirrors the latest state per file reads `current` items.
 *
 * Reviewers' decisions are items of their own (`pk = review#{agencyId}#{year}`): `parseReviewStreamRecord`
 * reads them. They are written once and never changed (an INSERT per decision; the latest per fingerprint
 * counts), carry no record, and `parseStreamRecord` refuses them, so a report consumer filters on
 * `REPORT_PK_PREFIX` as it does for the reminder log.
 */
const Image = z.record(z.string(), z.unknown());
export const DynamoStreamRecord = z.object({
  eventID: z.string(),
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    Keys: z.object({ [ATTR.pk]: z.object({ S: z.string() }), [ATTR.sk]: z.object({ S: z.string() }) }),
    NewImage: Image.optional(),
    OldImage: Image.optional(),
    SequenceNumber: z.string(),
  }),
});

export interface ReportChange {
  eventId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  itemType: 'version' | 'current';
  /** The uploaded object's key. */
  objectKey: string;
  /** The record after the change (null on REMOVE). */
  record: ReportRecord | null;
  /** The record before the change (null on INSERT). */
  previous: ReportRecord | null;
  /** True when only bookkeeping changed (e.g. notifiedAt), not the record. */
  recordUnchanged: boolean;
  /** 0 as first written; each re-evaluation that changed the record adds one (null on REMOVE). */
  revision: number | null;
  /** Why the record was last re-evaluated (null when never). */
  reevaluatedBecause: Reevaluation | null;
}

const decode = (image: Record<string, unknown> | undefined) =>
  decodeItem(image, (json) => ReportRecord.parse(json));

/** Parses one stream record of the table. Throws (zod) when it breaks the contract. */
export function parseStreamRecord(raw: unknown): ReportChange {
  const r = DynamoStreamRecord.parse(raw);
  const key = parseItemKey(r.dynamodb.Keys[ATTR.pk].S, r.dynamodb.Keys[ATTR.sk].S);
  const json = (image: Record<string, unknown> | undefined) => (image?.[ATTR.record] as { S?: string })?.S;
  const newJson = json(r.dynamodb.NewImage);
  const after = decode(r.dynamodb.NewImage);
  return {
    eventId: r.eventID,
    eventName: r.eventName,
    sequenceNumber: r.dynamodb.SequenceNumber,
    itemType: key.itemType,
    objectKey: key.objectKey,
    record: after?.record ?? null,
    previous: decode(r.dynamodb.OldImage)?.record ?? null,
    recordUnchanged: newJson !== undefined && newJson === json(r.dynamodb.OldImage),
    revision: after?.revision ?? null,
    reevaluatedBecause: after?.reevaluatedBecause ?? null,
  };
}

/** One reviewer's decision as the stream carries it (docs/data-model.md, "Stream record contract"). */
export interface ReviewChange {
  eventId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  itemType: 'review';
  /** The decision as written (null on REMOVE, which only an operator's clean-up makes). */
  decision: ReviewDecision | null;
  /** The item before the change (null on INSERT, the only change the pipeline makes). */
  previous: ReviewDecision | null;
}

/** Whether a raw stream record is a review item's (by its partition key). */
export function isReviewStreamRecord(raw: unknown): boolean {
  const pk = (raw as { dynamodb?: { Keys?: Record<string, { S?: unknown }> } })?.dynamodb?.Keys?.[ATTR.pk]?.S;
  return typeof pk === 'string' && pk.startsWith(REVIEW_PK_PREFIX);
}

/** Parses one stream record of a review item. Throws (zod) when it breaks the contract or is no review item. */
export function parseReviewStreamRecord(raw: unknown): ReviewChange {
  const r = DynamoStreamRecord.parse(raw);
  const pk = r.dynamodb.Keys[ATTR.pk].S;
  if (!pk.startsWith(REVIEW_PK_PREFIX)) throw new Error(`not a review item key: ${pk}`);
  const decode = (image: Record<string, unknown> | undefined) =>
    image === undefined ? null : decodeReviewItem(image);
  return {
    eventId: r.eventID,
    eventName: r.eventName,
    sequenceNumber: r.dynamodb.SequenceNumber,
    itemType: 'review',
    decision: decode(r.dynamodb.NewImage),
    previous: decode(r.dynamodb.OldImage),
  };
}
