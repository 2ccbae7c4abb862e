import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ReviewDecision } from '../pipeline/review-decision.ts';
import {
  keysOf,
  recordAttributesOf,
  reviewAttributes,
  reviewDecisionOf,
  type StoredRecord,
  storedRecordOf,
  submissionOf,
} from '../pipeline/table-layout.ts';
import type { ReportRecord } from '../report/record.ts';

/**
 * The reports table's items as DynamoDB JSON — what GetItem and Query return, what a write sends and what
 * the stream's images carry — in the layout of functions/pipeline/table-layout.ts, by the SDK's own codec
 * (@aws-sdk/util-dynamodb: strings as S, numbers as N, lists as L, null as NULL). The store adapters and the
 * stream contract read and write items through here only.
 */
export type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** An item as the SDK or a stream image hands it over (its values are checked by the codec). */
export type Item = Record<string, unknown>;

const encode = (attributes: object): Record<string, AttributeValue> =>
  marshall(attributes, { removeUndefinedValues: true });
// The codec reads what DynamoDB wrote; an attribute of a shape it does not know fails there.
const decode = (item: Item): Record<string, unknown> => unmarshall(item as Record<string, AttributeValue>);

/** The keys of a record's items; `index` holds the GSI keys (DynamoDB JSON), written on version items only. */
export function itemKeys(record: ReportRecord): {
  pk: string;
  versionSk: string;
  index: Record<string, AttributeValue>;
} {
  const keys = keysOf(record);
  return { ...keys, index: encode(keys.index) };
}

/** A record's top-level attributes and the record itself as JSON, in DynamoDB JSON. */
export const recordAttributes = (record: ReportRecord) =>
  // marshall keeps every attribute it is given (none of these is undefined): the same names, encoded.
  encode(recordAttributesOf(record)) as {
    [K in keyof ReturnType<typeof recordAttributesOf>]: AttributeValue;
  };

/** A review item (DynamoDB JSON), keys included. */
export const reviewItem = (decision: ReviewDecision, uuid: string): Record<string, AttributeValue> =>
  encode(reviewAttributes(decision, uuid));

/** The stored record an item holds (as GetItem returns it and stream images carry it); null without one. */
export const decodeItem = (
  item: Item | undefined,
  parse: (json: unknown) => ReportRecord,
): StoredRecord | null => (item === undefined ? null : storedRecordOf(decode(item), parse));

/** The decision a review item holds; throws when it is not one. */
export const decodeReviewItem = (item: Item): ReviewDecision => reviewDecisionOf(decode(item));

/** What a supervision status reads of a `bySubmission` item. */
export const decodeSubmission = (item: Item) => submissionOf(decode(item));

/** The string attribute of an item (e.g. the sequencer a conditional write compares); undefined if none. */
export function stringAttribute(item: Item | undefined, name: string): string | undefined {
  const value = item?.[name] === undefined ? undefined : decode({ [name]: item[name] })[name];
  return typeof value === 'string' ? value : undefined;
}
