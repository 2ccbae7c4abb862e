import { createHash } from 'node:crypto';
import type { ExtractedDocument, ExtractionErrorCode } from '../extract/index.ts';
import { severityOf } from './codes.ts';
import { summaryOf } from './findings.ts';
import { fingerprinted } from './fingerprint.ts';
import { type ParsedReport, parseReport } from './parse.ts';
import { type Issue, PARSER_VERSION, type ReportRecord, SCHEMA_VERSION } from './record.ts';
import { COMPARED_SECTIONS, comparableText } from './rules/content-repeated.ts';
import { sectionProse } from './rules/section-text.ts';
import { isCell, type ParsedCell } from './tables/parsed.ts';
import type { ProactiveValue } from './tables/proactive.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  fromKeys,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  SECTIONS,
} from './template.ts';
import { validateReport } from './validate.ts';

interface Source {
  /** Path as given on the command line, or the S3 object key. */
  file: string;
  /** The uploading agency's id, when known. */
  agencyId?: string | null;
  upload?: ReportRecord['upload'];
}

/** The uploaded file a record is about, with its bytes at hand (the CLI): they are hashed here. */
export interface SourceFile extends Source {
  bytes: Uint8Array;
}

/** An uploaded file hashed earlier (the pipeline's extract step): only its digest travels on. */
export interface HashedSource extends Source {
  digest: { sha256: string; size: number };
}

function describe(source: SourceFile | HashedSource) {
  const { file } = source;
  if ('digest' in source) return { file, bytes: source.digest.size, sha256: source.digest.sha256 };
  return {
    file,
    bytes: source.bytes.length,
    sha256: createHash('sha256').update(source.bytes).digest('hex'),
  };
}

const value = (c: ParsedCell): number | null => (c.state === 'number' ? c.value : null);

/** A proactive row: its number, its columns, or null for a row the report left out. */
function tableValues(v: ProactiveValue): number | null | Record<string, number | null> {
  if (isCell(v)) return value(v);
  const cells = Object.entries(v);
  if (cells.every(([, c]) => c.state === 'absent')) return null;
  return Object.fromEntries(cells.map(([k, c]) => [k, value(c)]));
}

/** Turns a parsed report and its findings into the record (pure; no I/O). */
export function recordFrom(
  source: SourceFile | HashedSource,
  parsed: ParsedReport,
  issues: Issue[],
): ReportRecord {
  const proactive = Object.fromEntries(
    Object.entries(parsed.proactive.rows).map(([k, v]) => [k, tableValues(v)]),
  );
  const sections = SECTIONS.map(({ number }) => {
    const s = parsed.sections.find((x) => x.number === number);
    const textLength =
      s === undefined
        ? 0
        : parsed.lines.slice(s.line + 1, s.end).reduce((n, l) => n + l.text.replace(/\s+/g, '').length, 0);
    const info = { number, found: s !== undefined, title: s?.title ?? null, textLength };
    // Kept for next year's CONTENT_REPEATED: the previous report's text is only available from its record.
    const prose = COMPARED_SECTIONS.some((n) => n === number) ? sectionProse(parsed, number) : null;
    return prose === null ? info : { ...info, comparableText: comparableText(prose) };
  });
  const { metadata } = parsed;
  const s = summaryOf(issues);
  return {
    schemaVersion: SCHEMA_VERSION,
    parserVersion: PARSER_VERSION,
    source: { ...describe(source), format: parsed.format, pages: parsed.pages },
    upload: source.upload ?? null,
    agencyId: source.agencyId ?? null,
    status: s.errors > 0 ? 'INVALID' : 'VALID',
    failure: null,
    agency: metadata.agency,
    year: metadata.year,
    template: parsed.proactive.template,
    title: metadata.title,
    documentNumber: metadata.documentNumber,
    publishedOn: metadata.publishedOn,
    sections,
    proactive: parsed.proactive.template === '2021' ? (proactive as ReportRecord['proactive']) : null,
    proactive2019: parsed.proactive.template === '2019' ? (proactive as ReportRecord['proactive2019']) : null,
    requests: fromKeys(REQUEST_ROW_KEYS, (row) => {
      const cells = parsed.requests.rows[row];
      return cells.total.state === 'absent' ? null : fromKeys(REQUEST_COLUMNS, (c) => value(cells[c]));
    }),
    appeals: fromKeys(APPEAL_GROUPS, (g) =>
      fromKeys(APPEAL_COLUMNS, (c) => value(parsed.appeals.groups[g][c])),
    ),
    issues: fingerprinted(issues),
    summary: s,
  };
}

/** Parses and validates an extracted report: the whole of `check` after extraction. */
export function checkDocument(source: SourceFile | HashedSource, doc: ExtractedDocument): ReportRecord {
  const parsed = parseReport(doc);
  return recordFrom(source, parsed, validateReport(parsed));
}

/** The terminal record of an upload whose extraction failed: status FAILED, the code and the reason. */
export function failedRecord(
  source: SourceFile | HashedSource,
  code: ExtractionErrorCode,
  message: string,
): ReportRecord {
  const issues: Issue[] = [{ code, severity: severityOf(code), section: 0, message }];
  return {
    schemaVersion: SCHEMA_VERSION,
    parserVersion: PARSER_VERSION,
    source: { ...describe(source), format: null, pages: null },
    upload: source.upload ?? null,
    agencyId: source.agencyId ?? null,
    status: 'FAILED',
    failure: { code, message },
    agency: null,
    year: null,
    template: null,
    title: null,
    documentNumber: null,
    publishedOn: null,
    sections: [],
    proactive: null,
    proactive2019: null,
    requests: null,
    appeals: null,
    issues: fingerprinted(issues),
    summary: summaryOf(issues),
  };
}

/** The record with more findings (the pipeline's cross-year checks): status and summary follow. */
export function withIssues(record: ReportRecord, extra: readonly Issue[]): ReportRecord {
  if (extra.length === 0) return record;
  const issues = fingerprinted([...record.issues, ...extra]);
  const s = summaryOf(issues);
  const status = record.status === 'FAILED' ? 'FAILED' : s.errors > 0 ? 'INVALID' : 'VALID';
  return { ...record, issues, summary: s, status };
}
