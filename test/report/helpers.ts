import { extractDocument } from '../../functions/extract/index.ts';
import { checkDocument, type ReportRecord } from '../../functions/report/index.ts';
import {
  consistentAppeals,
  consistentRequests,
  type ReportSpec,
  renderReport,
} from '../support/report-builder.ts';

/** Checks a report written as text, through the real text extractor. */
export async function checkText(text: string): Promise<ReportRecord> {
  const bytes = new TextEncoder().encode(text);
  return checkDocument({ file: 'report.txt', bytes }, await extractDocument(bytes));
}

/** A small consistent report: 9 requests, two carried over, a lawsuit pending. */
export function sampleSpec(overrides: Partial<ReportSpec> = {}): ReportSpec {
  const results = Array.from({ length: 21 }, (_, r) => [
    r === 0 ? 3 : r === 12 ? 2 : 0,
    r === 0 ? 1 : 0,
    0,
    0,
    0,
    0,
  ]);
  return {
    agency: '清河区光明街道办事处',
    year: 2023,
    requests: consistentRequests(results, [1, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0]),
    appeals: consistentAppeals([
      [1, 0, 0, 0],
      [0, 0, 1, 1],
      [0, 0, 0, 0],
    ]),
    ...overrides,
  };
}

export const sampleText = (overrides: Partial<ReportSpec> = {}) => renderReport(sampleSpec(overrides));
export const codes = (r: ReportRecord) => r.issues.map((i) => i.code);
export const errors = (r: ReportRecord) => r.issues.filter((i) => i.severity === 'error');
