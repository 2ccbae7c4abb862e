import { z } from 'zod';
import { EXTRACTION_ERROR_CODES } from '../extract/errors.ts';
import { ISSUE_CODES, SEVERITIES } from './codes.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  type ColumnSpec,
  fromKeys,
  PROACTIVE_2019_ROWS,
  PROACTIVE_ROWS,
  type ProactiveRowSpec,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  TABLES,
  TEMPLATES,
} from './template.ts';

/**
 * The report record: what the pipeline stores, prints with --json and streams to downstream jobs. Every
 * consumer imports this schema; schema/report-record.schema.json is generated from it (npm run schema).
 * Keys are those of docs/template.md and are never renamed; a breaking change bumps SCHEMA_VERSION.
 */
export const SCHEMA_VERSION = 1;
/** Bumped whenever parsing or validation changes what a report yields. */
export const PARSER_VERSION = '1.2.0';

export const IssueCode = z.enum(ISSUE_CODES);
export type IssueCode = z.infer<typeof IssueCode>;

export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

const Count = z.number().nullable().describe('A number, or null for a blank, "/" or unreadable cell');

function objectOf<const K extends string, V extends z.ZodType>(keys: readonly K[], value: V) {
  return z.strictObject(fromKeys(keys, () => value));
}

export const RequestsRow = objectOf(REQUEST_COLUMNS, Count);
export const Requests = objectOf(REQUEST_ROW_KEYS, RequestsRow.nullable()).describe(
  'Section 3, 25 rows × 7 columns. A row the report does not print is null: otherTotal2019 on the 2021 row ' +
    'set, the three other… sub-rows on the 2019 one (where otherTotal2019 holds （六）其他处理), any row left out',
);
export const Appeals = objectOf(APPEAL_GROUPS, objectOf(APPEAL_COLUMNS, Count)).describe('Section 4');

/** Section 2's shape on a template: a row of columns is an object, null when the report leaves it out. */
type ProactiveShape<Rows extends readonly ProactiveRowSpec[]> = {
  [R in Rows[number] as R['key']]: R['columns'] extends readonly (infer C extends ColumnSpec)[]
    ? z.ZodNullable<z.ZodObject<Record<C['key'], typeof Count>, z.core.$strict>>
    : typeof Count;
};

function proactiveOf<const Rows extends readonly ProactiveRowSpec[]>(rows: Rows) {
  const shape = Object.fromEntries(
    rows.map((r) => [
      r.key,
      r.columns === null
        ? Count
        : objectOf(
            r.columns.map((c) => c.key),
            Count,
          ).nullable(),
    ]),
  );
  return z.strictObject(shape as ProactiveShape<Rows>);
}

export const Proactive = proactiveOf(PROACTIVE_ROWS).describe('Section 2 on the 2021 template');
export const Proactive2019 = proactiveOf(PROACTIVE_2019_ROWS).describe(
  'Section 2 on the 2019 template (keys documented in docs/template.md)',
);

/** One table cell's place: its row and column, or (appeals) its group and column. */
export const CellPlace = z.strictObject({
  row: z.string().optional(),
  group: z.string().optional(),
  column: z.string().optional(),
});
export type CellPlace = z.infer<typeof CellPlace>;

export const Issue = z.strictObject({
  code: IssueCode,
  severity: Severity,
  /** 0 is the document as a whole (title, metadata); 1–6 the sections. */
  section: z.number().int().min(0).max(6),
  table: z.enum(TABLES).optional(),
  row: z.string().optional(),
  column: z.string().optional(),
  group: z.string().optional(),
  expected: z.number().optional(),
  actual: z.number().optional(),
  /** For a run of blank cells reported as one finding (CELL_MISSING): how many cells, and each one's place. */
  count: z.number().int().min(1).optional(),
  cells: z.array(CellPlace).optional(),
  message: z.string().min(1),
  /**
   * The finding's identity across uploads of the same report (functions/report/fingerprint.ts): 16 hex
   * characters from the code, the place and the values, never the wording. Reviewers' decisions are keyed
   * by it. Absent only on records stored before it existed.
   */
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .optional(),
});
export type Issue = z.infer<typeof Issue>;

/** Bounds each stored comparable text: 2 sections × 3000 characters ≈ 18 KB, far below DynamoDB's 400 KB item. */
export const COMPARABLE_TEXT_MAX = 3000;

export const SectionInfo = z.strictObject({
  number: z.number().int().min(1).max(6),
  found: z.boolean(),
  /** The heading as printed, null when missing. */
  title: z.string().nullable(),
  /** Characters of text under the heading, spaces excluded. */
  textLength: z.number().int().min(0),
  /**
   * Sections 1 and 5 only: the text as CONTENT_REPEATED compares it with next year's report (no white
   * space, every number and year made 0), at most COMPARABLE_TEXT_MAX characters. Absent elsewhere.
   */
  comparableText: z.string().max(COMPARABLE_TEXT_MAX).optional(),
});

export const Status = z.enum(['VALID', 'INVALID', 'FAILED']);
export type Status = z.infer<typeof Status>;

/** The uploaded object a record is about (also carried in the pipeline's claim-check envelope). */
export const UploadRef = z.strictObject({
  bucket: z.string(),
  key: z.string(),
  versionId: z.string().nullable(),
  /** S3's per-key event order, left-padded so that string order is event order. */
  sequencer: z.string(),
  /** When S3 received the object (ISO 8601): the publication time for deadline checks. */
  eventTime: z.string(),
  size: z.number().int().min(0),
});

export const ReportRecord = z.strictObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  parserVersion: z.string(),
  source: z.strictObject({
    /** The file as named by the caller: a path on the command line, an object key in S3. */
    file: z.string(),
    format: z.enum(['pdf', 'docx', 'html', 'text']).nullable(),
    bytes: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    pages: z.number().int().min(0).nullable(),
  }),
  /** The uploaded object this record is about, when it came through the bucket. */
  upload: UploadRef.nullable(),
  /** The agency that uploaded the report (from its upload prefix or --agency), null when unknown. */
  agencyId: z.string().nullable(),
  status: Status,
  /** Set when status is FAILED: the extraction failure code and reason. */
  failure: z.strictObject({ code: z.enum(EXTRACTION_ERROR_CODES), message: z.string() }).nullable(),
  agency: z.string().nullable(),
  year: z.number().int().nullable(),
  template: z.enum(TEMPLATES).nullable(),
  title: z.string().nullable(),
  documentNumber: z.string().nullable(),
  /** ISO date printed under the signature. */
  publishedOn: z.string().nullable(),
  sections: z.array(SectionInfo),
  proactive: Proactive.nullable(),
  proactive2019: Proactive2019.nullable(),
  requests: Requests.nullable(),
  appeals: Appeals.nullable(),
  issues: z.array(Issue),
  summary: z.strictObject({ errors: z.number().int().min(0), warnings: z.number().int().min(0) }),
});
export type ReportRecord = z.infer<typeof ReportRecord>;

/** The JSON Schema shipped as schema/report-record.schema.json. */
export function reportRecordJsonSchema(): Record<string, unknown> {
  return {
    $id: `urn:report-pipeline:report-record:v${SCHEMA_VERSION}`,
    title: 'ReportRecord',
    ...z.toJSONSchema(ReportRecord, { target: 'draft-2020-12' }),
  };
}
