import { distinctCodes, errorsFirst } from '../report/findings.ts';
import type { ReportRecord } from '../report/record.ts';
import { parseUploadKey, UNVERSIONED } from './keys.ts';
import { ReviewDecision } from './review-decision.ts';

/**
 * The one owner of the reports table's layout: attribute and index names, key builders and parsers, each
 * item's attributes and the table's key schema. The item codec (functions/stream/items.ts), the store
 * adapters, the stack (lib/) and the local run derive from here. Domain code: no AWS SDK.
 *
 * Items (see docs/data-model.md, "Table design"):
 * - `pk = upload#{key}`, `sk = version#{versionId}`: one record per uploaded object version.
 * - `pk = upload#{key}`, `sk = current`: a copy of the record of the key's latest version.
 * - GSI `byAgencyYear` (`gsi1pk = agency#{id}#year#{year}`, `gsi1sk = {eventTime}#{sequencer}`), on version
 *   items with a year: an agency's latest report for a year.
 * - GSI `bySubmission` (`gsi2pk = submission#{agencyId}#{year}`, `gsi2sk = {eventTime}#{sequencer}`), on
 *   version items, where the year is the one the upload was declared for (the API's key segment) or else
 *   the year read from the report: an agency's latest upload for a year, failed ones included (a FAILED
 *   record has no year read from it). The supervision status reads one item per agency from it.
 * - `pk = reminder#{agency|office}#{id}`, `sk = day#{YYYY-MM-DD}`: the reminder log, one item per message
 *   of the reporting season sent to an agency's or office's topic on a China-time day (its claim).
 * - `pk = review#{agencyId}#{year}`, `sk = finding#{fingerprint}#{at}#{uuid}`: one reviewer's decision on
 *   a finding, never overwritten (the history is kept); one Query per agency-year reads them all.
 */
/**
 * An item's attributes as plain values (strings, numbers, lists of strings, null): the layout says what
 * they are; the DynamoDB JSON codec (functions/stream/items.ts, @aws-sdk/util-dynamodb) writes and reads
 * them, so this module needs no SDK.
 */
export type Attributes = Record<string, string | number | null | readonly string[]>;

export const ATTR = {
  pk: 'pk',
  sk: 'sk',
  gsi1pk: 'gsi1pk',
  gsi1sk: 'gsi1sk',
  gsi2pk: 'gsi2pk',
  gsi2sk: 'gsi2sk',
  record: 'record',
  sequencer: 'sequencer',
  versionId: 'versionId',
  sha256: 'sha256',
  parserVersion: 'parserVersion',
  /** How often the stored record was re-evaluated after it was first written (absent: never). */
  revision: 'revision',
  /** Why the last re-evaluation changed the record (JSON of {@link Reevaluation}). */
  reevaluatedBecause: 'reevaluatedBecause',
  /** The revision whose notice supervisors were sent, and when. */
  notifiedRevision: 'notifiedRevision',
  notifiedAt: 'notifiedAt',
  /** The revision a notice is being sent for, and since when (the intent written before publishing). */
  noticeClaimRevision: 'noticeClaimRevision',
  noticeClaimedAt: 'noticeClaimedAt',
} as const;

export const INDEX_BY_AGENCY_YEAR = 'byAgencyYear';
export const INDEX_BY_SUBMISSION = 'bySubmission';

/** The top-level attributes a supervision status reads from a `bySubmission` item. */
export const SUBMISSION_ATTRIBUTES = [
  'status',
  'eventTime',
  'errors',
  'warnings',
  'mainCodes',
  'objectKey',
] as const;

export interface IndexKeys {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** Projected non-key attributes; absent: all attributes. */
  include?: readonly string[];
}

/**
 * The table's keys and indexes, in a form both CreateTable (local run, tests) and CDK are built from.
 * `bySubmission` projects only what a status row needs: a province's status reads thousands of items, and
 * each read is charged by the projected item's size, not the whole record's.
 */
export const TABLE_KEYS: { partitionKey: string; sortKey: string; indexes: readonly IndexKeys[] } = {
  partitionKey: ATTR.pk,
  sortKey: ATTR.sk,
  indexes: [
    { name: INDEX_BY_AGENCY_YEAR, partitionKey: ATTR.gsi1pk, sortKey: ATTR.gsi1sk },
    {
      name: INDEX_BY_SUBMISSION,
      partitionKey: ATTR.gsi2pk,
      sortKey: ATTR.gsi2sk,
      include: SUBMISSION_ATTRIBUTES,
    },
  ],
};

export const CURRENT_SK = 'current';
/** The key prefix of report items: stream consumers of records filter on it. */
export const REPORT_PK_PREFIX = 'upload#';
export const VERSION_SK_PREFIX = 'version#';

export const uploadPk = (objectKey: string): string => `${REPORT_PK_PREFIX}${objectKey}`;
export const versionSk = (versionId: string | null): string =>
  `${VERSION_SK_PREFIX}${versionId ?? UNVERSIONED}`;
export const agencyYearPk = (agencyId: string, year: number): string => `agency#${agencyId}#year#${year}`;
export const submissionPk = (agencyId: string, year: number): string => `submission#${agencyId}#${year}`;

export interface ItemKey {
  objectKey: string;
  itemType: 'version' | 'current';
  /** The object version of a version item (null when unversioned or a current item). */
  versionId: string | null;
}

/** The reminder log's keys (functions/pipeline/reminders.ts). Its items carry no record. */
export const REMINDER_PK_PREFIX = 'reminder#';
export const reminderPk = (owner: { kind: 'agency' | 'office'; id: string }): string =>
  `${REMINDER_PK_PREFIX}${owner.kind}#${owner.id}`;
export const reminderSk = (day: string): string => `day#${day}`;

/**
 * The year an upload was submitted for: the year declared at upload (the API key's `{year}` segment), else
 * the year read from the report; null when neither is known. The `bySubmission` index and the review items
 * are keyed by it.
 */
export function submissionYear(record: Pick<ReportRecord, 'upload' | 'year'>): number | null {
  return parseUploadKey(record.upload?.key ?? '')?.declaredYear ?? record.year;
}

/** Reviewers' decisions (functions/pipeline/review-decision.ts): their own items, apart from the records. */
export const REVIEW_PK_PREFIX = 'review#';
export const REVIEW_SK_PREFIX = 'finding#';
export const reviewPk = (agencyId: string, year: number): string => `${REVIEW_PK_PREFIX}${agencyId}#${year}`;
export const reviewSk = (fingerprint: string, at: string, uuid: string): string =>
  `${REVIEW_SK_PREFIX}${fingerprint}#${at}#${uuid}`;
/** The `itemType` attribute of a review item (report items carry none). */
export const REVIEW_ITEM_TYPE = 'review';

/** A review item's attributes, keys included. */
export function reviewAttributes(decision: ReviewDecision, uuid: string): Attributes {
  // The decision's own fields under their own names (ReviewDecision is strict: nothing else rides along),
  // but the version id, which every item keeps under the layout's one attribute name.
  const { versionId, ...fields } = decision;
  return {
    [ATTR.pk]: reviewPk(decision.agencyId, decision.year),
    [ATTR.sk]: reviewSk(decision.fingerprint, decision.at, uuid),
    itemType: REVIEW_ITEM_TYPE,
    ...fields,
    [ATTR.versionId]: versionId,
  };
}

/** The decision a review item's attributes hold; throws (zod) when they are no review item's. */
export function reviewDecisionOf(attributes: Record<string, unknown>): ReviewDecision {
  return ReviewDecision.parse({
    agencyId: attributes.agencyId,
    year: attributes.year,
    fingerprint: attributes.fingerprint,
    code: attributes.code,
    decision: attributes.decision,
    reason: attributes.reason,
    reviewer: attributes.reviewer,
    office: attributes.office,
    at: attributes.at,
    objectKey: attributes.objectKey,
    versionId: attributes[ATTR.versionId] ?? null,
  });
}

/** Reads `pk`/`sk` back; throws on keys this layout never writes. */
export function parseItemKey(pk: string, sk: string): ItemKey {
  if (!pk.startsWith(REPORT_PK_PREFIX)) throw new Error(`not a report item key: ${pk}`);
  const objectKey = pk.slice(REPORT_PK_PREFIX.length);
  if (sk === CURRENT_SK) return { objectKey, itemType: 'current', versionId: null };
  if (!sk.startsWith(VERSION_SK_PREFIX)) throw new Error(`not a report item sort key: ${sk}`);
  const version = sk.slice(VERSION_SK_PREFIX.length);
  return { objectKey, itemType: 'version', versionId: version === UNVERSIONED ? null : version };
}

/** The keys of a record's items; `index` holds the GSI keys, written on version items only. */
export function keysOf(record: ReportRecord): {
  pk: string;
  versionSk: string;
  index: Record<string, string>;
} {
  const order = `${record.upload?.eventTime ?? ''}#${record.upload?.sequencer ?? ''}`;
  const submittedFor = submissionYear(record);
  const index: Record<string, string> = {
    ...(record.agencyId !== null && record.year !== null
      ? { [ATTR.gsi1pk]: agencyYearPk(record.agencyId, record.year), [ATTR.gsi1sk]: order }
      : {}),
    ...(record.agencyId !== null && submittedFor !== null
      ? { [ATTR.gsi2pk]: submissionPk(record.agencyId, submittedFor), [ATTR.gsi2sk]: order }
      : {}),
  };
  return {
    pk: uploadPk(record.upload?.key ?? record.source.file),
    versionSk: versionSk(record.upload?.versionId ?? null),
    index,
  };
}

/** Top-level attributes (for queries, filters and people reading the table) and the record itself as JSON. */
export function recordAttributesOf(record: ReportRecord) {
  return {
    [ATTR.record]: JSON.stringify(record),
    status: record.status,
    agencyId: record.agencyId ?? 'unknown',
    ...(record.year === null ? {} : { year: record.year }),
    codes: distinctCodes(record.issues),
    /** The codes of errors, then warnings (no information): what a status table shows. */
    mainCodes: mainCodes(record),
    errors: record.summary.errors,
    warnings: record.summary.warnings,
    objectKey: record.upload?.key ?? record.source.file,
    [ATTR.versionId]: record.upload?.versionId ?? UNVERSIONED,
    [ATTR.sequencer]: record.upload?.sequencer ?? '',
    eventTime: record.upload?.eventTime ?? '',
    [ATTR.sha256]: record.source.sha256,
    [ATTR.parserVersion]: record.parserVersion,
    schemaVersion: record.schemaVersion,
  } satisfies Attributes;
}

/** The distinct codes of a record's errors, then its warnings. */
export function mainCodes(record: ReportRecord): string[] {
  return distinctCodes(errorsFirst(record.issues.filter((i) => i.severity !== 'info')));
}

/** Why a stored record was changed after it was first written. */
export interface Reevaluation {
  /** What triggered it; today only the arrival of the previous year's report. */
  kind: 'previous-year-report';
  /** The object key and version of the report it was re-evaluated against. */
  objectKey: string;
  versionId: string | null;
  year: number;
  at: string;
}

/** What an item holds besides the record: its revision and the notice bookkeeping. */
export interface StoredRecord {
  record: ReportRecord;
  revision: number;
  reevaluatedBecause: Reevaluation | null;
  /** The revision supervisors were last sent a notice for (null: none). */
  notifiedRevision: number | null;
}

const text = (attributes: Record<string, unknown> | undefined, name: string): string | undefined => {
  const v = attributes?.[name];
  return typeof v === 'string' ? v : undefined;
};
const count = (attributes: Record<string, unknown> | undefined, name: string): number | undefined => {
  const v = attributes?.[name];
  return typeof v === 'number' ? v : undefined;
};

/**
 * The stored record an item's attributes hold; null when they hold no record. Items written before
 * revisions existed read as revision 0, notified once if `notifiedAt` is set.
 */
export function storedRecordOf(
  attributes: Record<string, unknown> | undefined,
  parse: (json: unknown) => ReportRecord,
): StoredRecord | null {
  const json = text(attributes, ATTR.record);
  if (json === undefined) return null;
  const because = text(attributes, ATTR.reevaluatedBecause);
  return {
    record: parse(JSON.parse(json)),
    revision: count(attributes, ATTR.revision) ?? 0,
    reevaluatedBecause: because === undefined ? null : (JSON.parse(because) as Reevaluation),
    notifiedRevision:
      count(attributes, ATTR.notifiedRevision) ??
      (text(attributes, ATTR.notifiedAt) !== undefined ? 0 : null),
  };
}

/** What a supervision status reads of an item ({@link SUBMISSION_ATTRIBUTES}; the record's JSON is not read). */
export function submissionOf(attributes: Record<string, unknown>) {
  const codes = attributes.mainCodes;
  return {
    status: text(attributes, 'status') ?? '',
    uploadedAt: text(attributes, 'eventTime') ?? '',
    errors: count(attributes, 'errors') ?? 0,
    warnings: count(attributes, 'warnings') ?? 0,
    mainCodes: Array.isArray(codes) ? codes.filter((c): c is string => typeof c === 'string') : [],
    objectKey: text(attributes, 'objectKey') ?? '',
  };
}
