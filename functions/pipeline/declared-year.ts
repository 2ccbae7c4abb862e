import { type Issue, type ReportRecord, severityOf } from '../report/index.ts';
import { parseUploadKey } from './keys.ts';

/**
 * DECLARED_YEAR_MISMATCH: the agency declares a reporting year when it asks for an upload (it becomes the
 * key's `{year}` segment); a report that states another year was most likely uploaded under the wrong year,
 * e.g. last year's file sent again. A warning, not an error: the report itself may be sound. The key, and so
 * the agency's listing for the declared year, keeps the year as uploaded.
 *
 * Silent when either year is unknown: no declared year (a key without a year segment), or a report whose
 * year could not be read (FAILED, or no year found; YEAR_MISMATCH and the title checks speak for those).
 */
export function declaredYearIssues(record: ReportRecord, declaredYear: number | null): Issue[] {
  if (declaredYear === null || record.year === null || record.status === 'FAILED') return [];
  if (declaredYear === record.year) return [];
  return [
    {
      code: 'DECLARED_YEAR_MISMATCH',
      severity: severityOf('DECLARED_YEAR_MISMATCH'),
      section: 0,
      expected: declaredYear,
      actual: record.year,
      message: `上传时填写的报告年度为${declaredYear}年，报告所述年度为${record.year}年，请核对是否上传了其他年度的报告；记录保留上传时填写的${declaredYear}年`,
    },
  ];
}

/** The declared year of an uploaded object's key (null for a key without one). */
export const declaredYearOfKey = (key: string): number | null => parseUploadKey(key)?.declaredYear ?? null;
