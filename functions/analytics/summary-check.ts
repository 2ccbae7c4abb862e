import type { ParsedReport } from '../report/parse.ts';
import type { Issue, IssueCode, ReportRecord } from '../report/record.ts';
import { cellIn, fieldOf } from '../report/table-cells.ts';
import { ABSENT, type ParsedCell } from '../report/tables/parsed.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  fromKeys,
  OTHER_SUB_ROWS,
  proactiveRows,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  SECTIONS,
  type Template,
} from '../report/template.ts';
import { validateReport } from '../report/validate.ts';

/** The three tables of a report, or of an office's 汇总 of them. */
export type Tables = Pick<ReportRecord, 'proactive' | 'proactive2019' | 'requests' | 'appeals'>;

/**
 * The 汇总 tables' own arithmetic, checked by the same rules a report's tables are (functions/report/
 * validate.ts): the sums are laid out as a parsed report (a number, or "/" where no body has one) and
 * validated; only the tables' arithmetic findings are kept. A body on the 2019 row set (（六）其他处理 as
 * one row) is summed into `otherTotal2019`; when any is, the check folds the three 2021 sub-rows into it,
 * so the rule compares like with like.
 */
const ARITHMETIC: ReadonlySet<IssueCode> = new Set([
  'REQUESTS_BALANCE',
  'REQUESTS_ROW_TOTAL',
  'REQUESTS_RESULT_TOTAL',
  'APPEALS_GROUP_TOTAL',
  'CELL_INVALID',
]);

const cell = (v: unknown): ParsedCell =>
  typeof v === 'number' ? { state: 'number', value: v } : { state: 'na' };

export function sumsIssues(tables: Tables, template: Template, year: number, office: string): Issue[] {
  const requests = tables.requests;
  const folded = requests?.otherTotal2019 !== null && requests?.otherTotal2019 !== undefined;
  const rows = fromKeys(REQUEST_ROW_KEYS, (row) =>
    fromKeys(REQUEST_COLUMNS, (column): ParsedCell => {
      if (folded && OTHER_SUB_ROWS.includes(row)) return ABSENT;
      if (folded && row === 'otherTotal2019') {
        const parts = ['otherTotal2019', ...OTHER_SUB_ROWS].map((r) => cellIn(requests, r, column));
        const sum = parts.every((p) => p === null) ? null : parts.reduce<number>((s, p) => s + (p ?? 0), 0);
        return cell(sum);
      }
      if (!folded && row === 'otherTotal2019') return ABSENT;
      return cell(cellIn(requests, row, column));
    }),
  );
  const proactiveTable = template === '2019' ? tables.proactive2019 : tables.proactive;
  const proactive = Object.fromEntries(
    proactiveRows(template).map((spec) => {
      const value = fieldOf(proactiveTable, spec.key);
      if (spec.columns === null) return [spec.key, cell(value)];
      return [spec.key, Object.fromEntries(spec.columns.map((c) => [c.key, cell(fieldOf(value, c.key))]))];
    }),
  );
  const report: ParsedReport = {
    format: 'text',
    pages: 0,
    lines: [],
    sections: SECTIONS.map((s) => ({ number: s.number, title: s.title, line: 0, end: 0 })),
    metadata: {
      title: `${office}${year}年度政府信息公开工作年度报告（汇总）`,
      agency: office,
      year,
      titleYear: year,
      periodYear: year,
      narrativeYear: year,
      documentNumber: null,
      publishedOn: null,
    },
    proactive: { template, rows: proactive, missingRows: [], notes: [], span: { first: 0, last: 0 } },
    requests: {
      rows,
      rowSet: folded ? '2019' : '2021',
      missingRows: [],
      notes: [],
      span: { first: 0, last: 0 },
    },
    appeals: {
      groups: fromKeys(APPEAL_GROUPS, (g) =>
        fromKeys(APPEAL_COLUMNS, (c) => cell(cellIn(tables.appeals, g, c))),
      ),
      found: true,
      notes: [],
      line: 0,
    },
  };
  return validateReport(report).filter((i) => ARITHMETIC.has(i.code) && i.table !== undefined);
}
