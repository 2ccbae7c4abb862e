import { createHash } from 'node:crypto';
import type { ExtractedDocument, ExtractionErrorCode } from '../extract/index.ts';
import { type ParsedReport, parseReport } from './parse.ts';
import { type Issue, PARSER_VERSION, type ReportRecord, SCHEMA_VERSION } from './record.ts';
import { COMPARED_SECTIONS, comparableText } from './rules/content-repeated.ts';
import { sectionProse } from './rules/section-text.ts';
import type { ParsedCell } from './tables/parsed.ts';
import type { ProactiveValue } from './tables/proactive.ts';
import { APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_COLUMNS, SECTIONS } from './template.ts';
import { SEVERITY, validateReport } from './validate.ts';

/** The uploaded file a record is about. */
export interface SourceFile {
  /** Path as given on the command line, or the S3 object key. */
  file: string;
  /** The file's bytes; or, when they were hashed earlier (the pipeline's extract step), `digest`. */
  bytes: Uint8Array;
  digest?: { sha256: string; size: number };
  /** The uploading agency's id, when known. */
  agencyId?: string | null;
  upload?: ReportRecord['upload'];
}

function describe(source: SourceFile) {
  return {
    file: source.file,
    bytes: source.digest?.size ?? source.bytes.length,
    sha256: source.digest?.sha256 ?? createHash('sha256').update(source.bytes).digest('hex'),
  };
}

const value = (c: ParsedCell): number | null => c.value;

/** A proactive row: its number, its columns, or null for a row the report left out. */
function tableValues(v: ProactiveValue): number | null | Record<string, number | null> {
  if ('state' in v) return value(v as ParsedCell);
  const cells = Object.entries(v);
  if (cells.every(([, c]) => c.state === 'absent')) return null;
  return Object.fromEntries(cells.map(([k, c]) => [k, value(c)]));
}

/** Counts errors and warnings; `info` findings count in neither and never change the status. */
function summary(issues: readonly Issue[]) {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return { errors, warnings: issues.filter((i) => i.severity === 'warning').length };
}

/** Turns a parsed report and its findings into the record (pure; no I/O). */
export function recordFrom(source: SourceFile, parsed: ParsedReport, issues: Issue[]): ReportRecord {
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
    const prose = (COMPARED_SECTIONS as readonly number[]).includes(number)
      ? sectionProse(parsed, number)
      : null;
    return prose === null ? info : { ...info, comparableText: comparableText(prose) };
  });
  const { metadata } = parsed;
  const s = summary(issues);
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
    requests: Object.fromEntries(
      Object.entries(parsed.requests.rows).map(([row, cells]) => [
        row,
        cells.total.state === 'absent'
          ? null
          : Object.fromEntries(REQUEST_COLUMNS.map((c) => [c, value(cells[c])])),
      ]),
    ) as ReportRecord['requests'],
    appeals: Object.fromEntries(
      APPEAL_GROUPS.map((g) => [
        g,
        Object.fromEntries(APPEAL_COLUMNS.map((c) => [c, value(parsed.appeals.groups[g][c])])),
      ]),
    ) as ReportRecord['appeals'],
    issues,
    summary: s,
  };
}

/** Parses and validates an extracted report: the whole of `check` after extraction. */
export function checkDocument(source: SourceFile, doc: ExtractedDocument): ReportRecord {
  const parsed = parseReport(doc);
  return recordFrom(source, parsed, validateReport(parsed));
}

/** The terminal record of an upload whose extraction failed: status FAILED, the code and the reason. */
export function failedRecord(source: SourceFile, code: ExtractionErrorCode, message: string): ReportRecord {
  const issues: Issue[] = [{ code, severity: SEVERITY[code], section: 0, message }];
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
    issues,
    summary: summary(issues),
  };
}

/** The record with more findings (the pipeline's cross-year checks): status and summary follow. */
export function withIssues(record: ReportRecord, extra: readonly Issue[]): ReportRecord {
  if (extra.length === 0) return record;
  const issues = [...record.issues, ...extra];
  const s = summary(issues);
  const status = record.status === 'FAILED' ? 'FAILED' : s.errors > 0 ? 'INVALID' : 'VALID';
  return { ...record, issues, summary: s, status };
}
