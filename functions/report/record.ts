import { z } from 'zod';
import { EXTRACTION_ERROR_CODES } from '../extract/errors.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  PROACTIVE_2019_ROWS,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
} from './template.ts';

/**
 * The report record: what the pipeline stores, prints with --json and streams to downstream jobs. Every
 * consumer imports this schema; schema/report-record.schema.json is generated from it (npm run schema).
 * Keys are those of template.md and are never renamed; a breaking change bumps SCHEMA_VERSION.
 */
export const SCHEMA_VERSION = 1;
/** Bumped whenever parsing or validation changes what a report yields. */
export const PARSER_VERSION = '1.1.0';

export const VALIDATION_CODES = [
  'SECTION_MISSING',
  'SECTION_ORDER',
  'TITLE_MISSING',
  'ROW_MISSING',
  'ROW_RECOVERED',
  'CELL_MISSING',
  'CELL_INVALID',
  'CELL_EXTRA',
  'TABLE_UNREADABLE',
  'REQUESTS_BALANCE',
  'REQUESTS_ROW_TOTAL',
  'REQUESTS_RESULT_TOTAL',
  'APPEALS_GROUP_TOTAL',
  'YEAR_MISMATCH',
  'NARRATIVE_MISMATCH',
  'TEMPLATE_OUTDATED',
  'NOT_AN_ANNUAL_REPORT',
  // Cross-year checks, made by the pipeline once the store holds the previous year's report.
  'CARRYOVER_MISMATCH',
  'LATE_PUBLICATION',
  // Reviewers' checks (issue 13): per report, then cross-year.
  'SECTION_EMPTY',
  'FEE_STATEMENT_MISSING',
  'STOCK_FLOW_MISMATCH',
  'CONTENT_REPEATED',
  'UNUSUAL_CHANGE',
] as const;
export type ValidationCode = (typeof VALIDATION_CODES)[number];

export const ISSUE_CODES = [...VALIDATION_CODES, ...EXTRACTION_ERROR_CODES] as const;
export const IssueCode = z.enum(ISSUE_CODES);
export type IssueCode = z.infer<typeof IssueCode>;

/** `info` is for a reviewer's eye only: it changes no status, no summary count and sends no message. */
export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

const Count = z.number().nullable().describe('A number, or null for a blank, "/" or unreadable cell');

function objectOf<const K extends string, V extends z.ZodType>(keys: readonly K[], value: V) {
  return z.strictObject(Object.fromEntries(keys.map((k) => [k, value])) as Record<K, V>);
}

export const RequestsRow = objectOf(REQUEST_COLUMNS, Count);
export const Requests = objectOf(REQUEST_ROW_KEYS, RequestsRow.nullable()).describe(
  'Section 3, 25 rows × 7 columns. A row the report does not print is null: otherTotal2019 on the 2021 row ' +
    'set, the three other… sub-rows on the 2019 one (where otherTotal2019 holds （六）其他处理), any row left out',
);
export const Appeals = objectOf(APPEAL_GROUPS, objectOf(APPEAL_COLUMNS, Count)).describe('Section 4');

const DocumentCounts = z.strictObject({ issued: Count, repealed: Count, inForce: Count });
export const Proactive = z
  .strictObject({
    /** null when the report leaves the row out (only bodies that may issue rules fill 规章). */
    regulations: DocumentCounts.nullable(),
    normativeDocuments: DocumentCounts.nullable(),
    licensing: Count,
    penalties: Count,
    coercion: Count,
    feesTenThousandYuan: Count,
  })
  .describe('Section 2 on the 2021 template');
const columnsOf = (key: (typeof PROACTIVE_2019_ROWS)[number]['key']) =>
  objectOf(PROACTIVE_2019_ROWS.find((r) => r.key === key)?.columns ?? [], Count).nullable();
export const Proactive2019 = z
  .strictObject({
    regulations: columnsOf('regulations'),
    normativeDocuments: columnsOf('normativeDocuments'),
    licensing: columnsOf('licensing'),
    otherExternalServices: columnsOf('otherExternalServices'),
    penalties: columnsOf('penalties'),
    coercion: columnsOf('coercion'),
    fees: columnsOf('fees'),
    centralizedProcurement: columnsOf('centralizedProcurement'),
  })
  .describe('Section 2 on the 2019 template (keys documented in the README)');

export const Issue = z.strictObject({
  code: IssueCode,
  severity: Severity,
  /** 0 is the document as a whole (title, metadata); 1–6 the sections. */
  section: z.number().int().min(0).max(6),
  table: z.enum(['proactive', 'requests', 'appeals']).optional(),
  row: z.string().optional(),
  column: z.string().optional(),
  group: z.string().optional(),
  expected: z.number().optional(),
  actual: z.number().optional(),
  message: z.string().min(1),
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
  template: z.enum(['2021', '2019']).nullable(),
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
