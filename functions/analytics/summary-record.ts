import { PARSER_VERSION, type ReportRecord, SCHEMA_VERSION } from '../report/record.ts';
import { SECTIONS } from '../report/template.ts';
import type { OfficeSummary } from './summary.ts';

/**
 * The 汇总 as a report record, so the report view (local/web/report-view.js) draws it in the template's
 * table layout, the sums' arithmetic findings marked on their cells, exactly as it draws an agency's report.
 * Sections 2–4 are the tables.
 */
export function summaryRecord(summary: OfficeSummary): ReportRecord {
  const errors = summary.issues.filter((i) => i.severity === 'error').length;
  return {
    schemaVersion: SCHEMA_VERSION,
    parserVersion: PARSER_VERSION,
    source: {
      file: `${summary.officeId}-${summary.year}-汇总`,
      format: null,
      bytes: 0,
      sha256: '0'.repeat(64),
      pages: null,
    },
    upload: null,
    agencyId: summary.officeId,
    status: errors > 0 ? 'INVALID' : 'VALID',
    failure: null,
    agency: `${summary.officeName}（汇总 ${summary.counts.included}/${summary.counts.bodies} 个机关）`,
    year: summary.year,
    template: summary.template,
    title: `${summary.officeName}${summary.year}年度政府信息公开工作年度报告汇总表`,
    documentNumber: null,
    publishedOn: null,
    // The view's checklist would call the narrative sections missing; they are the office's to write.
    sections: SECTIONS.map((s) => ({ number: s.number, found: true, title: s.title, textLength: 0 })),
    ...summary.tables,
    issues: summary.issues,
    summary: { errors, warnings: summary.issues.length - errors },
  };
}
