import type { ReportRecord } from '../record.ts';
import type { Finding } from './section-text.ts';

const ROWS = [
  { key: 'regulations', name: '规章' },
  { key: 'normativeDocuments', name: '行政规范性文件' },
] as const;

/**
 * STOCK_FLOW_MISMATCH: this year's 现行有效件数 should be last year's 现行有效件数 + 本年制发 − 本年废止, for
 * 规章 and 行政规范性文件. Both reports must be on the 2021 template: the 2019 one has no 现行有效件数
 * (its 对外公开总数量 counts published documents, not those in force), so such a pair is skipped. A row
 * left out or a cell not read on either side skips that row.
 */
export function stockFlowIssues(current: ReportRecord, previous: ReportRecord | null): Finding[] {
  const now = current.proactive;
  const before = previous?.proactive;
  if (now === null || before == null || previous === null) return [];
  const out: Finding[] = [];
  for (const { key, name } of ROWS) {
    const row = now[key];
    const last = before[key]?.inForce;
    if (row === null || typeof last !== 'number') continue;
    const { issued, repealed, inForce } = row;
    if (typeof issued !== 'number' || typeof repealed !== 'number' || typeof inForce !== 'number') continue;
    const expected = last + issued - repealed;
    if (expected === inForce) continue;
    const lastYear = previous.year ?? '上一';
    out.push({
      code: 'STOCK_FLOW_MISMATCH',
      section: 2,
      table: 'proactive',
      row: key,
      column: 'inForce',
      expected,
      actual: inForce,
      message:
        `第二部分表格"${name}"：现行有效件数（${current.year ?? '本'}年度${inForce}件）不等于${lastYear}年度报告的现行有效件数（${last}件）` +
        `加本年制发（${issued}件）减本年废止（${repealed}件）＝${expected}件；如本年重新清理、重新统计了现行有效件数，请在报告中说明`,
    });
  }
  return out;
}
