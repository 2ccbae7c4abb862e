import { chinaDay } from '../pipeline/china-time.ts';
import { parseUploadKey } from '../pipeline/keys.ts';
import type { Registry } from '../pipeline/registry.ts';
import { fingerprintOf } from '../pipeline/review.ts';
import type { ReviewDecision } from '../pipeline/review-decision.ts';
import { submissionYear } from '../pipeline/table-layout.ts';
import type { ReportRecord } from '../report/record.ts';
import { cellIn } from '../report/table-cells.ts';
import { CELL_COLUMNS, type CellColumn } from './columns.ts';

/**
 * Records, decisions and the registry as dataset rows (columns.ts names every column). A row is a plain
 * object keyed by column name; `year` is the partition value. No I/O: the export consumer, the bench and
 * the tests call these.
 */
export type Value = string | number | boolean | Date | null;
export type Row = Record<string, Value>;

/** A cell's number in a record (null when blank, "/", unreadable, or its row or table is absent). */
export function cellValue(
  record: Pick<ReportRecord, 'proactive' | 'proactive2019' | 'requests' | 'appeals'>,
  c: CellColumn,
): number | null {
  return cellIn(record[c.table], c.row, c.column);
}

/** The agency an upload belongs to: the record's, else its key's prefix (how review decisions are keyed). */
export function agencyOf(record: ReportRecord): string | null {
  return record.agencyId ?? parseUploadKey(record.upload?.key ?? '')?.agencyId ?? null;
}

/** The partition a record goes to: its submission year, 0 when neither declared nor read. */
export const partitionYear = (record: ReportRecord): number => submissionYear(record) ?? 0;

export interface ExportMeta {
  eventName: string;
  sequenceNumber: string;
  revision: number;
}

export function versionRow(record: ReportRecord, meta: ExportMeta): Row {
  const uploadedAt = record.upload === null ? null : new Date(record.upload.eventTime);
  const row: Row = {
    year: partitionYear(record),
    schema_version: record.schemaVersion,
    parser_version: record.parserVersion,
    object_key: record.upload?.key ?? record.source.file,
    version_id: record.upload?.versionId ?? null,
    sequencer: record.upload?.sequencer ?? null,
    uploaded_at: uploadedAt !== null && !Number.isNaN(uploadedAt.getTime()) ? uploadedAt : null,
    uploaded_day: uploadedAt !== null && !Number.isNaN(uploadedAt.getTime()) ? chinaDay(uploadedAt) : null,
    agency_id: agencyOf(record),
    declared_year: parseUploadKey(record.upload?.key ?? '')?.declaredYear ?? null,
    report_year: record.year,
    status: record.status,
    failure_code: record.failure?.code ?? null,
    agency_name: record.agency,
    template: record.template,
    title: record.title,
    document_number: record.documentNumber,
    published_on: record.publishedOn,
    source_format: record.source.format,
    source_bytes: record.source.bytes,
    pages: record.source.pages,
    sha256: record.source.sha256,
    errors: record.summary.errors,
    warnings: record.summary.warnings,
    revision: meta.revision,
    event_name: meta.eventName,
    stream_sequence: meta.sequenceNumber,
  };
  for (const c of CELL_COLUMNS) row[c.name] = cellValue(record, c);
  return row;
}

export function findingRows(record: ReportRecord, meta: ExportMeta): Row[] {
  const base = {
    year: partitionYear(record),
    object_key: record.upload?.key ?? record.source.file,
    version_id: record.upload?.versionId ?? null,
    stream_sequence: meta.sequenceNumber,
    agency_id: agencyOf(record),
  };
  return record.issues.map((issue, i) => ({
    ...base,
    finding_index: i,
    code: issue.code,
    severity: issue.severity,
    section: issue.section,
    table_name: issue.table ?? null,
    row_key: issue.row ?? null,
    group_key: issue.group ?? null,
    column_key: issue.column ?? null,
    expected: issue.expected ?? null,
    actual: issue.actual ?? null,
    cell_count: issue.count ?? null,
    fingerprint: fingerprintOf(issue),
    message: issue.message,
  }));
}

export function decisionRow(decision: ReviewDecision, decisionId: string): Row {
  return {
    year: decision.year,
    agency_id: decision.agencyId,
    fingerprint: decision.fingerprint,
    code: decision.code,
    decision: decision.decision,
    reason: decision.reason,
    reviewer: decision.reviewer,
    office: decision.office,
    decided_at: new Date(decision.at),
    object_key: decision.objectKey,
    version_id: decision.versionId,
    decision_id: decisionId,
  };
}

/**
 * The supervision tree as rows: each agency once per office above it, with how far up (1 = directly), the
 * queries' office filter and their per-office breakdown. Offices are walked from the agency upwards, nearest
 * first, so an office reached on two paths gets the shorter one.
 */
export function bodyRows(registry: Registry): Row[] {
  const offices = new Map(registry.offices.map((o) => [o.id, o]));
  return registry.agencies.flatMap((agency) => {
    const depth = new Map<string, number>();
    let level = agency.supervisedBy;
    for (let d = 1; level.length > 0; d++) {
      const next: string[] = [];
      for (const id of level) {
        if (depth.has(id)) continue;
        depth.set(id, d);
        next.push(...(offices.get(id)?.supervisedBy ?? []));
      }
      level = next;
    }
    return [...depth].flatMap(([id, d]) => {
      const office = offices.get(id);
      return office === undefined
        ? []
        : [
            {
              agency_id: agency.id,
              agency_name: agency.name,
              kind: agency.kind,
              office_id: id,
              office_name: office.name,
              depth: d,
            },
          ];
    });
  });
}
