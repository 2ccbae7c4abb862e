import { distinctCodes, type ReportRecord } from '../report/index.ts';

/**
 * The layout of a record in the table, shared by the store adapter and the stream contract (no AWS SDK:
 * downstream jobs import this without it). Attribute values are in DynamoDB's JSON form.
 */
export type AttributeValue = { S: string } | { N: string } | { L: { S: string }[] };

export const CURRENT_SK = 'current';

export function itemKeys(record: ReportRecord) {
  const key = record.upload?.key ?? record.source.file;
  const index: Record<string, AttributeValue> =
    record.agencyId !== null && record.year !== null
      ? {
          gsi1pk: { S: `agency#${record.agencyId}#year#${record.year}` },
          gsi1sk: { S: `${record.upload?.eventTime ?? ''}#${record.upload?.sequencer ?? ''}` },
        }
      : {};
  return {
    pk: `upload#${key}`,
    versionSk: `version#${record.upload?.versionId ?? 'unversioned'}`,
    index,
  };
}

/** Top-level attributes (for queries, filters and people reading the table) and the record itself as JSON. */
export function recordAttributes(record: ReportRecord) {
  return {
    record: { S: JSON.stringify(record) },
    status: { S: record.status },
    agencyId: { S: record.agencyId ?? 'unknown' },
    ...(record.year === null ? {} : { year: { N: String(record.year) } }),
    codes: { L: distinctCodes(record.issues).map((c) => ({ S: c })) },
    errors: { N: String(record.summary.errors) },
    warnings: { N: String(record.summary.warnings) },
    objectKey: { S: record.upload?.key ?? record.source.file },
    versionId: { S: record.upload?.versionId ?? 'unversioned' },
    sequencer: { S: record.upload?.sequencer ?? '' },
    eventTime: { S: record.upload?.eventTime ?? '' },
    parserVersion: { S: record.parserVersion },
    schemaVersion: { N: String(record.schemaVersion) },
  } satisfies Record<string, AttributeValue>;
}
