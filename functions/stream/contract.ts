import { z } from 'zod';
import { ReportRecord } from '../report/record.ts';
import { CURRENT_SK } from './item.ts';

/**
 * The downstream contract of the reports table's stream (NEW_AND_OLD_IMAGES). Downstream jobs import
 * `parseStreamRecord` and get typed, validated records; they need no AWS SDK.
 *
 * Each upload yields a `version` item (one per object version, never overwritten except by a re-parse
 * with a newer parser) and updates the key's `current` item. A job that counts reports reads `version`
 * items; one that mirrors the latest state per file reads `current` items.
 */
const Image = z.record(z.string(), z.unknown());
export const DynamoStreamRecord = z.object({
  eventID: z.string(),
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    Keys: z.object({ pk: z.object({ S: z.string() }), sk: z.object({ S: z.string() }) }),
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
}

function recordIn(image: Record<string, unknown> | undefined): ReportRecord | null {
  const json = (image?.record as { S?: unknown } | undefined)?.S;
  return typeof json === 'string' ? ReportRecord.parse(JSON.parse(json)) : null;
}

/** Parses one stream record of the table. Throws (zod) when it breaks the contract. */
export function parseStreamRecord(raw: unknown): ReportChange {
  const r = DynamoStreamRecord.parse(raw);
  const { pk, sk } = r.dynamodb.Keys;
  const newJson = (r.dynamodb.NewImage?.record as { S?: string } | undefined)?.S;
  const oldJson = (r.dynamodb.OldImage?.record as { S?: string } | undefined)?.S;
  return {
    eventId: r.eventID,
    eventName: r.eventName,
    sequenceNumber: r.dynamodb.SequenceNumber,
    itemType: sk.S === CURRENT_SK ? 'current' : 'version',
    objectKey: pk.S.replace(/^upload#/, ''),
    record: recordIn(r.dynamodb.NewImage),
    previous: recordIn(r.dynamodb.OldImage),
    recordUnchanged: newJson !== undefined && newJson === oldJson,
  };
}
