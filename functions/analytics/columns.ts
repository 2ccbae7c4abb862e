import { SCHEMA_VERSION } from '../report/record.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  PROACTIVE_2019_ROWS,
  PROACTIVE_ROWS,
  type ProactiveRowSpec,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  type TableName,
} from '../report/template.ts';

/**
 * The analytics dataset's columns: one home for the Parquet writer (rows.ts, parquet.ts), the Glue tables
 * (lib/constructs/analytics.ts), the SQL (queries.ts) and docs/analytics.md. Every table cell of the record
 * is a column named by its template keys (table, row, column), derived from template.ts, never listed by
 * hand. Glue and Athena fold names to lower case, so camelCase keys are written snake_case
 * (`requests.partiallyGranted.naturalPerson` → `requests_partially_granted_natural_person`).
 *
 * The dataset's schema is the record's: `DATASET_VERSION` is the record's SCHEMA_VERSION and is a path
 * segment (`v1/`), so a breaking change of the record writes a new table beside the old one.
 */
export const DATASET_VERSION = SCHEMA_VERSION;

/** Parquet physical types as Glue (Hive) names them; DuckDB reads the same files. */
export type ColumnType = 'string' | 'int' | 'bigint' | 'double' | 'timestamp' | 'boolean';

export interface Column {
  name: string;
  type: ColumnType;
  /** What the column holds (docs/analytics.md and the Glue column comment). */
  comment: string;
}

/** A table cell's column: where in the record its number is. */
export interface CellColumn extends Column {
  type: 'double';
  /** `proactive2019` is the 2019 template's section 2. */
  table: TableName | 'proactive2019';
  row: string;
  /** Null for a section-2 row of one number. */
  column: string | null;
}

export const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const cell = (
  table: CellColumn['table'],
  row: string,
  column: string | null,
  comment: string,
): CellColumn => ({
  name: [table, row, ...(column === null ? [] : [column])].map(snake).join('_'),
  type: 'double',
  table,
  row,
  column,
  comment,
});

function proactiveCells(table: 'proactive' | 'proactive2019', rows: readonly ProactiveRowSpec[]) {
  return rows.flatMap((r) =>
    r.columns === null
      ? [cell(table, r.key, null, r.name)]
      : r.columns.map((c) => cell(table, r.key, c.key, `${r.name} · ${c.name}`)),
  );
}

/**
 * Every cell of the record's tables, in template order: section 2 (both templates), the 25 × 7 requests
 * cells and the 15 appeals cells. A cell is DOUBLE: counts are whole numbers, fees may have decimals, and a
 * count the report printed otherwise (the record flags it CELL_INVALID) is kept as printed. Null: blank,
 * "/", unreadable, or a row the report left out.
 */
export const CELL_COLUMNS: readonly CellColumn[] = [
  ...proactiveCells('proactive', PROACTIVE_ROWS),
  ...proactiveCells('proactive2019', PROACTIVE_2019_ROWS),
  ...REQUEST_ROW_KEYS.flatMap((row) => REQUEST_COLUMNS.map((column) => cell('requests', row, column, ''))),
  ...APPEAL_GROUPS.flatMap((group) => APPEAL_COLUMNS.map((column) => cell('appeals', group, column, ''))),
];

/** The partition column of every table: the submission year (declared at upload, else read; 0 if neither). */
export const PARTITION: Column = {
  name: 'year',
  type: 'int',
  comment: 'submission year: declared at upload (API key), else read from the report; 0 when neither',
};

/** One row per exported report version (stream change): metadata, status, counts, then every cell. */
export const VERSION_COLUMNS: readonly Column[] = [
  { name: 'schema_version', type: 'int', comment: 'the record schemaVersion' },
  { name: 'parser_version', type: 'string', comment: 'the parser that made the record' },
  { name: 'object_key', type: 'string', comment: 'the uploaded object key' },
  { name: 'version_id', type: 'string', comment: 'the S3 object version (null when unversioned)' },
  { name: 'sequencer', type: 'string', comment: "S3's per-key event order, padded" },
  { name: 'uploaded_at', type: 'timestamp', comment: 'when S3 received the upload (UTC)' },
  { name: 'uploaded_day', type: 'string', comment: 'the upload day in China time, YYYY-MM-DD' },
  {
    name: 'agency_id',
    type: 'string',
    comment: 'the uploading agency (record agencyId, else the key prefix)',
  },
  { name: 'declared_year', type: 'int', comment: 'the year declared at upload (API key segment)' },
  { name: 'report_year', type: 'int', comment: 'the reporting year read from the report' },
  { name: 'status', type: 'string', comment: 'VALID, INVALID or FAILED' },
  { name: 'failure_code', type: 'string', comment: 'the extraction failure code of a FAILED record' },
  { name: 'agency_name', type: 'string', comment: 'the body name as printed in the report' },
  { name: 'template', type: 'string', comment: '2021 or 2019' },
  { name: 'title', type: 'string', comment: 'the document title as printed' },
  { name: 'document_number', type: 'string', comment: 'the document number line' },
  { name: 'published_on', type: 'string', comment: 'ISO date printed under the signature' },
  { name: 'source_format', type: 'string', comment: 'pdf, docx, html or text' },
  { name: 'source_bytes', type: 'bigint', comment: 'file size' },
  { name: 'pages', type: 'int', comment: 'PDF pages' },
  { name: 'sha256', type: 'string', comment: 'the file SHA-256' },
  { name: 'errors', type: 'int', comment: 'error findings' },
  { name: 'warnings', type: 'int', comment: 'warning findings' },
  { name: 'revision', type: 'int', comment: 're-evaluations that changed the stored record' },
  { name: 'event_name', type: 'string', comment: 'INSERT or MODIFY (the stream change)' },
  {
    name: 'stream_sequence',
    type: 'string',
    comment: 'the stream record sequence number (orders changes of one item)',
  },
  ...CELL_COLUMNS,
];

/** One row per finding of an exported version. */
export const FINDING_COLUMNS: readonly Column[] = [
  { name: 'object_key', type: 'string', comment: 'the version this finding belongs to' },
  { name: 'version_id', type: 'string', comment: '' },
  { name: 'stream_sequence', type: 'string', comment: 'the export of the version it came with' },
  { name: 'agency_id', type: 'string', comment: '' },
  { name: 'finding_index', type: 'int', comment: 'its place in the record issues' },
  { name: 'code', type: 'string', comment: 'the finding code (codes.ts)' },
  { name: 'severity', type: 'string', comment: 'error, warning or info' },
  { name: 'section', type: 'int', comment: '0 the document, 1–6 the sections' },
  { name: 'table_name', type: 'string', comment: 'proactive, requests or appeals' },
  { name: 'row_key', type: 'string', comment: 'template row key' },
  { name: 'group_key', type: 'string', comment: 'appeals group key' },
  { name: 'column_key', type: 'string', comment: 'template column key' },
  { name: 'expected', type: 'double', comment: '' },
  { name: 'actual', type: 'double', comment: '' },
  { name: 'cell_count', type: 'int', comment: 'blank cells grouped in one CELL_MISSING' },
  { name: 'fingerprint', type: 'string', comment: 'the finding identity reviewers decide on' },
  { name: 'message', type: 'string', comment: 'the Chinese message' },
];

/** One row per reviewer decision (the stream's review items). */
export const DECISION_COLUMNS: readonly Column[] = [
  { name: 'agency_id', type: 'string', comment: '' },
  { name: 'fingerprint', type: 'string', comment: '' },
  { name: 'code', type: 'string', comment: '' },
  { name: 'decision', type: 'string', comment: 'CONFIRMED or DISMISSED' },
  { name: 'reason', type: 'string', comment: '' },
  { name: 'reviewer', type: 'string', comment: '' },
  { name: 'office', type: 'string', comment: '' },
  { name: 'decided_at', type: 'timestamp', comment: '' },
  { name: 'object_key', type: 'string', comment: 'the upload the reviewer looked at' },
  { name: 'version_id', type: 'string', comment: '' },
  { name: 'decision_id', type: 'string', comment: 'the item sort key: one decision, however often exported' },
];

/** The supervision tree, one row per (agency, office above it): written from the registry, not the stream. */
export const BODY_COLUMNS: readonly Column[] = [
  { name: 'agency_id', type: 'string', comment: '' },
  { name: 'agency_name', type: 'string', comment: 'the registry name' },
  { name: 'kind', type: 'string', comment: 'government or department' },
  { name: 'office_id', type: 'string', comment: 'an office supervising it, directly or above' },
  { name: 'office_name', type: 'string', comment: '' },
  { name: 'depth', type: 'int', comment: 'offices between them plus one: 1 = supervised directly' },
];

export interface DatasetTable {
  name: string;
  columns: readonly Column[];
  /** Partitioned by submission year (the stream tables), or not (the registry). */
  partitioned: boolean;
  /** Parquet files, or JSON lines (the registry, deployed with the stack). */
  format: 'parquet' | 'jsonl';
}

export const TABLES_OF_DATASET = {
  versions: { name: 'report_versions', columns: VERSION_COLUMNS, partitioned: true, format: 'parquet' },
  findings: { name: 'findings', columns: FINDING_COLUMNS, partitioned: true, format: 'parquet' },
  decisions: { name: 'review_decisions', columns: DECISION_COLUMNS, partitioned: true, format: 'parquet' },
  bodies: { name: 'bodies', columns: BODY_COLUMNS, partitioned: false, format: 'jsonl' },
} as const satisfies Record<string, DatasetTable>;
export type DatasetTableKey = keyof typeof TABLES_OF_DATASET;
