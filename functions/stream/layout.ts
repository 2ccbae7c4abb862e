import { parseUploadKey } from '../pipeline/keys.ts';
import { ReviewDecision } from '../pipeline/review-decision.ts';
import { distinctCodes, errorsFirst } from '../report/findings.ts';
import type { ReportRecord } from '../report/record.ts';

/**
 * The one owner of the reports table's layout: attribute and index names, key builders and parsers, the
 * item codec and the table's key schema. The store adapter, the stream contract, the stack (lib/) and the
 * local run derive from here. No AWS SDK: downstream stream consumers and the CDK app import it as is.
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
export type AttributeValue = { S: string } | { N: string } | { L: { S: string }[] };
export type Item = Record<string, unknown>;

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
const UNVERSIONED = 'unversioned';

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

/** A review item's attributes (DynamoDB JSON), keys included. */
export function reviewItem(
  decision: ReviewDecision,
  uuid: string,
): Record<string, AttributeValue | { NULL: true }> {
  return {
    [ATTR.pk]: { S: reviewPk(decision.agencyId, decision.year) },
    [ATTR.sk]: { S: reviewSk(decision.fingerprint, decision.at, uuid) },
    itemType: { S: REVIEW_ITEM_TYPE },
    agencyId: { S: decision.agencyId },
    year: { N: String(decision.year) },
    fingerprint: { S: decision.fingerprint },
    code: { S: decision.code },
    decision: { S: decision.decision },
    reason: { S: decision.reason },
    reviewer: { S: decision.reviewer },
    office: { S: decision.office },
    at: { S: decision.at },
    objectKey: { S: decision.objectKey },
    [ATTR.versionId]: decision.versionId === null ? { NULL: true } : { S: decision.versionId },
  };
}

/** Decodes a review item (as Query returns it and stream images carry it); throws when it is not one. */
export function decodeReviewItem(item: Item): ReviewDecision {
  const versionId = s(item, ATTR.versionId);
  return ReviewDecision.parse({
    agencyId: s(item, 'agencyId'),
    year: n(item, 'year'),
    fingerprint: s(item, 'fingerprint'),
    code: s(item, 'code'),
    decision: s(item, 'decision'),
    reason: s(item, 'reason'),
    reviewer: s(item, 'reviewer'),
    office: s(item, 'office'),
    at: s(item, 'at'),
    objectKey: s(item, 'objectKey'),
    versionId: versionId ?? null,
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
export function itemKeys(record: ReportRecord) {
  const order = { S: `${record.upload?.eventTime ?? ''}#${record.upload?.sequencer ?? ''}` };
  const submittedFor = submissionYear(record);
  const index: Record<string, AttributeValue> = {
    ...(record.agencyId !== null && record.year !== null
      ? { [ATTR.gsi1pk]: { S: agencyYearPk(record.agencyId, record.year) }, [ATTR.gsi1sk]: order }
      : {}),
    ...(record.agencyId !== null && submittedFor !== null
      ? { [ATTR.gsi2pk]: { S: submissionPk(record.agencyId, submittedFor) }, [ATTR.gsi2sk]: order }
      : {}),
  };
  return {
    pk: uploadPk(record.upload?.key ?? record.source.file),
    versionSk: versionSk(record.upload?.versionId ?? null),
    index,
  };
}

/** Top-level attributes (for queries, filters and people reading the table) and the record itself as JSON. */
export function recordAttributes(record: ReportRecord) {
  return {
    [ATTR.record]: { S: JSON.stringify(record) },
    status: { S: record.status },
    agencyId: { S: record.agencyId ?? 'unknown' },
    ...(record.year === null ? {} : { year: { N: String(record.year) } }),
    codes: { L: distinctCodes(record.issues).map((c) => ({ S: c })) },
    /** The codes of errors, then warnings (no information): what a status table shows. */
    mainCodes: { L: mainCodes(record).map((c) => ({ S: c })) },
    errors: { N: String(record.summary.errors) },
    warnings: { N: String(record.summary.warnings) },
    objectKey: { S: record.upload?.key ?? record.source.file },
    [ATTR.versionId]: { S: record.upload?.versionId ?? UNVERSIONED },
    [ATTR.sequencer]: { S: record.upload?.sequencer ?? '' },
    eventTime: { S: record.upload?.eventTime ?? '' },
    [ATTR.sha256]: { S: record.source.sha256 },
    [ATTR.parserVersion]: { S: record.parserVersion },
    schemaVersion: { N: String(record.schemaVersion) },
  } satisfies Record<string, AttributeValue>;
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

const s = (item: Item | undefined, name: string): string | undefined => {
  const v = (item?.[name] as { S?: unknown } | undefined)?.S;
  return typeof v === 'string' ? v : undefined;
};
const n = (item: Item | undefined, name: string): number | undefined => {
  const v = (item?.[name] as { N?: unknown } | undefined)?.N;
  return typeof v === 'string' ? Number(v) : undefined;
};

/**
 * Decodes an item (DynamoDB JSON, as GetItem returns it and as stream images carry it); null when it holds
 * no record. Items written before revisions existed read as revision 0, notified once if `notifiedAt` is set.
 */
export function decodeItem(
  item: Item | undefined,
  parse: (json: unknown) => ReportRecord,
): StoredRecord | null {
  const json = s(item, ATTR.record);
  if (json === undefined) return null;
  const because = s(item, ATTR.reevaluatedBecause);
  return {
    record: parse(JSON.parse(json)),
    revision: n(item, ATTR.revision) ?? 0,
    reevaluatedBecause: because === undefined ? null : (JSON.parse(because) as Reevaluation),
    notifiedRevision: n(item, ATTR.notifiedRevision) ?? (s(item, ATTR.notifiedAt) !== undefined ? 0 : null),
  };
}

/** Those attributes of an item, decoded (the record's JSON is not read). */
export function decodeSubmission(item: Item) {
  const codes = (item.mainCodes as { L?: { S?: unknown }[] } | undefined)?.L ?? [];
  return {
    status: s(item, 'status') ?? '',
    uploadedAt: s(item, 'eventTime') ?? '',
    errors: n(item, 'errors') ?? 0,
    warnings: n(item, 'warnings') ?? 0,
    mainCodes: codes.flatMap((c) => (typeof c.S === 'string' ? [c.S] : [])),
    objectKey: s(item, 'objectKey') ?? '',
  };
}

/** The raw string attribute of an item (e.g. the sequencer a conditional write compares). */
export const stringAttribute = s;
