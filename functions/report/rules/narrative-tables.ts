import { type ClaimSubject, type NarrativeClaim, narrativeClaims } from '../narrative.ts';
import type { ParsedReport } from '../parse.ts';
import { isCell, type ParsedCell } from '../tables/parsed.ts';
import {
  columnName,
  isKey,
  PROACTIVE_2019_ROWS,
  PROACTIVE_ROWS,
  rowName,
  SINGLE_VALUE_HEADERS,
  sectionName,
} from '../template.ts';
import { type Finding, sectionProse } from './section-text.ts';

/** Section 2's rows on each template. */
const PROACTIVE_KEYS = PROACTIVE_ROWS.map((r) => r.key);
const PROACTIVE_2019_KEYS = PROACTIVE_2019_ROWS.map((r) => r.key);
/** A claim's 2021 column on the 2019 template, where it has one. */
const COLUMN_2019: Partial<Record<string, string>> = { issued: 'newlyMade' };

const number = (c: ParsedCell | undefined): number | null =>
  c === undefined ? null : c.state === 'na' ? 0 : c.state === 'number' ? c.value : null;

/** The table's figure for what a claim is about, its name for the message and its place; null when unread. */
function tableFigure(
  report: ParsedReport,
  subject: ClaimSubject,
): { value: number; name: string; where: Pick<Finding, 'table' | 'row' | 'column' | 'group'> } | null {
  const { groups, found } = report.appeals;
  if (subject === 'review') {
    const v = found ? number(groups.review.total) : null;
    return v === null
      ? null
      : {
          value: v,
          name: '第四部分表格"行政复议·总计"',
          where: { table: 'appeals', group: 'review', column: 'total' },
        };
  }
  if (subject === 'litigation') {
    const direct = found ? number(groups.litigationDirect.total) : null;
    const after = found ? number(groups.litigationAfterReview.total) : null;
    if (direct === null || after === null) return null;
    return {
      value: direct + after,
      name: `第四部分表格行政诉讼总计（未经复议直接起诉${direct}件＋复议后起诉${after}件）`,
      where: { table: 'appeals', column: 'total' },
    };
  }
  const { template } = report.proactive;
  const [row = '', claimed] = subject.split('.');
  // The column a claim is about on each template: 本年制发件数 on 2021's, 本年新制作数量 on 2019's (which has
  // no 本年废止 or 现行有效: 对外公开总数量 counts what was published, not what is in force).
  const column = template === '2021' ? claimed : claimed === undefined ? 'decisions' : COLUMN_2019[claimed];
  if (template === '2019' && column === undefined) return null;
  const keys = template === '2021' ? PROACTIVE_KEYS : PROACTIVE_2019_KEYS;
  const value = isKey(keys, row) ? report.proactive.rows[row] : undefined;
  if (value === undefined) return null;
  const cell = isCell(value)
    ? column === undefined
      ? value
      : undefined
    : column === undefined
      ? undefined
      : value[column];
  const v = number(cell);
  if (v === null) return null;
  const columnLabel =
    column === undefined ? SINGLE_VALUE_HEADERS.count : (columnName(template, 'proactive', column) ?? column);
  return {
    value: v,
    name: `第二部分表格"${rowName(template, 'proactive', row) ?? row}·${columnLabel}"`,
    where: { table: 'proactive', row, ...(column === undefined ? {} : { column }) },
  };
}

/**
 * NARRATIVE_MISMATCH beyond requests: counts of 行政复议, 行政诉讼 and of table 二's items stated in
 * sections 一 and 四 against the tables (see narrativeClaims for the phrasings read).
 */
export function narrativeTableIssues(report: ParsedReport): Finding[] {
  const year = report.metadata.year;
  const claims: Array<NarrativeClaim & { section: 1 | 4 }> = [];
  for (const section of [1, 4] as const) {
    const prose = sectionProse(report, section);
    if (prose === null) continue;
    for (const c of narrativeClaims(prose, year, section === 4)) {
      if (!claims.some((x) => x.subject === c.subject)) claims.push({ ...c, section });
    }
  }
  const out: Finding[] = [];
  for (const claim of claims) {
    const figure = tableFigure(report, claim.subject);
    if (figure === null || figure.value === claim.value) continue;
    out.push({
      code: 'NARRATIVE_MISMATCH',
      section: claim.section,
      ...figure.where,
      expected: figure.value,
      actual: claim.value,
      message: `${sectionName(claim.section)}称"${claim.clause}"，与${figure.name}（${figure.value}件）不符`,
    });
  }
  return out;
}
