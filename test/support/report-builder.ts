import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  OTHER_SUB_ROWS,
  proactiveRows,
  REQUEST_COLUMNS,
  REQUEST_ROWS,
  RESULT_ROW_KEYS,
  type RequestColumn,
  type RequestRow,
  type Template,
} from '../../functions/report/index.ts';

/**
 * Writes a report on the national template as plain text with tab-separated tables, from numbers the
 * test chooses: the input of the property tests and of parser unit tests. Cells print as given, so a test
 * can blank one (null), put text in it, or flatten a row.
 */
export type Cellish = number | string | null;
export type RequestValues = Record<RequestRow, Record<RequestColumn, Cellish>>;
export type AppealValues = Record<
  (typeof APPEAL_GROUPS)[number],
  Record<(typeof APPEAL_COLUMNS)[number], Cellish>
>;

export interface ReportSpec {
  agency: string;
  year: number;
  requests: RequestValues;
  appeals: AppealValues;
  /** 2019: print （六）其他处理 as one row (otherTotal2019). */
  rowSet?: '2021' | '2019';
  /** Rows printed with no separator between their numbers (a flattened web page). */
  flattened?: RequestRow[];
  /** Leave these rows out of the table. */
  omitRows?: RequestRow[];
  /** Leave these sections' headings out. */
  omitSections?: number[];
  /** Narrative count of requests received; defaults to newReceived.total. */
  narrativeReceived?: number | null;
  /** Extra sentences for section 一, after the request counts. */
  narrative?: string[];
  /** Section 五's and 六's text; default a two-sentence problem and fix, and the fee statement. */
  section5?: string[];
  section6?: string[];
  /** Table 二's figures; default 规范性文件 1|0|12, 行政许可 35, 行政处罚 4. */
  proactive?: { normativeDocuments?: [number, number, number]; licensing?: number; penalties?: number };
}

const text = (v: Cellish): string => (v === null ? '' : String(v));

/** Consistent numbers from per-column result counts and carry-overs (what fast-check draws). */
export function consistentRequests(
  results: readonly (readonly number[])[],
  carriedFrom: readonly number[],
  carriedNext: readonly number[],
): RequestValues {
  const rows = {} as RequestValues;
  const set = (row: RequestRow, perColumn: number[]) => {
    const total = perColumn.reduce((a, b) => a + b, 0);
    rows[row] = Object.fromEntries(
      REQUEST_COLUMNS.map((c, i) => [c, i < 6 ? (perColumn[i] ?? 0) : total]),
    ) as Record<RequestColumn, Cellish>;
  };
  const columns = [0, 1, 2, 3, 4, 5];
  RESULT_ROW_KEYS.forEach((row, r) => {
    set(
      row,
      columns.map((c) => results[r]?.[c] ?? 0),
    );
  });
  const resultTotal = columns.map((c) => RESULT_ROW_KEYS.reduce((a, _, r) => a + (results[r]?.[c] ?? 0), 0));
  set('resultTotal', resultTotal);
  const from = columns.map((c) =>
    Math.min(carriedFrom[c] ?? 0, (resultTotal[c] ?? 0) + (carriedNext[c] ?? 0)),
  );
  set('carriedOverFromLastYear', from);
  set(
    'carriedOverToNextYear',
    columns.map((c) => carriedNext[c] ?? 0),
  );
  set(
    'newReceived',
    columns.map((c) => (resultTotal[c] ?? 0) + (carriedNext[c] ?? 0) - (from[c] ?? 0)),
  );
  set('otherTotal2019', [0, 0, 0, 0, 0, 0]);
  return rows;
}

export function consistentAppeals(parts: readonly (readonly number[])[]): AppealValues {
  return Object.fromEntries(
    APPEAL_GROUPS.map((g, gi) => {
      const [upheld = 0, corrected = 0, other = 0, pending = 0] = parts[gi] ?? [];
      return [g, { upheld, corrected, other, pending, total: upheld + corrected + other + pending }];
    }),
  ) as AppealValues;
}

export function renderReport(spec: ReportSpec): string {
  const { requests: q, appeals, year, agency } = spec;
  const omitted = new Set(spec.omitSections ?? []);
  const heading = (n: number, title: string) => (omitted.has(n) ? [] : [title]);
  const total = (row: RequestRow) => q[row].total;
  const docs = spec.proactive?.normativeDocuments ?? [1, 0, 12];
  const received = spec.narrativeReceived === undefined ? total('newReceived') : spec.narrativeReceived;
  const lines: string[] = [
    `${agency}${year}年政府信息公开工作年度报告`,
    `本报告根据《中华人民共和国政府信息公开条例》要求编制，数据统计期限为${year}年1月1日至12月31日。`,
    ...heading(1, '一、总体情况'),
    `${year}年，我单位认真贯彻落实《中华人民共和国政府信息公开条例》。`,
    received === null
      ? '依申请公开工作规范有序。'
      : `${year}年共收到政府信息公开申请${text(received)}件，上年结转${text(total('carriedOverFromLastYear'))}件，结转下年度继续办理${text(total('carriedOverToNextYear'))}件。`,
    ...(spec.narrative ?? []),
    ...heading(2, '二、主动公开政府信息情况'),
    '第二十条第（一）项',
    '信息内容\t本年制发件数\t本年废止件数\t现行有效件数',
    '规章\t0\t0\t0',
    `行政规范性文件\t${docs.join('\t')}`,
    '第二十条第（五）项',
    '信息内容\t本年处理决定数量',
    `行政许可\t${spec.proactive?.licensing ?? 35}`,
    '第二十条第（六）项',
    '信息内容\t本年处理决定数量',
    `行政处罚\t${spec.proactive?.penalties ?? 4}`,
    '行政强制\t0',
    '第二十条第（八）项',
    '信息内容\t本年收费金额（单位：万元）',
    '行政事业性收费\t0.5',
    ...heading(3, '三、收到和处理政府信息公开申请情况'),
    '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况',
    '\t自然人\t法人或其他组织\t\t\t\t\t总计',
    '\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他',
  ];
  const omit = new Set(spec.omitRows ?? []);
  for (const row of REQUEST_ROWS) {
    if (spec.rowSet === '2019' && OTHER_SUB_ROWS.includes(row.key)) {
      if (row.key === 'otherNoCorrection')
        lines.push(requestLine(spec, 'otherTotal2019', '（六）其他处理', omit));
      continue;
    }
    lines.push(requestLine(spec, row.key, row.name, omit));
  }
  lines.push(
    ...heading(4, '四、政府信息公开行政复议、行政诉讼情况'),
    '行政复议\t\t\t\t\t行政诉讼',
    '结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉',
    '\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计',
    APPEAL_GROUPS.flatMap((g) => APPEAL_COLUMNS.map((c) => text(appeals[g][c]))).join('\t'),
    ...heading(5, '五、存在的主要问题及改进情况'),
    ...(spec.section5 ?? ['公开内容的全面性有待提升。', '下一步将细化公开目录，按月检查栏目更新情况。']),
    ...heading(6, '六、其他需要报告的事项'),
    ...(spec.section6 ?? ['本年度未收取信息处理费。']),
    agency,
    `${year + 1}年1月20日`,
  );
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}

function requestLine(spec: ReportSpec, row: RequestRow, name: string, omit: ReadonlySet<RequestRow>): string {
  if (omit.has(row)) return '';
  const values = REQUEST_COLUMNS.map((c) => text(spec.requests[row][c]));
  const label = name.replace(' ', '\t');
  return spec.flattened?.includes(row) ? `${label}\t${values.join('')}` : `${label}\t${values.join('\t')}`;
}

/** Section 2 as plain text from the vocabulary: a header line per column set, then the rows. */
function section2(template: Template, cell: (row: string, column: number) => Cellish): string {
  const lines = ['二、主动公开政府信息情况'];
  let header = '';
  for (const row of proactiveRows(template)) {
    const names = row.columns === null ? ['本年处理决定数量'] : row.columns.map((c) => c.name);
    if (names.join() !== header) lines.push(`信息内容\t${names.join('\t')}`);
    header = names.join();
    lines.push([row.name, ...names.map((_, i) => String(cell(row.key, i) ?? ''))].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** A consistent report on the template, with section 2 written by `cell` (default: 1 everywhere). */
export function report(
  template: Template,
  spec: ReportSpec,
  cell: (row: string, column: number) => Cellish = () => 1,
): string {
  return renderReport(spec).replace(/二、主动公开政府信息情况[\s\S]*?(?=三、收到)/, section2(template, cell));
}

/**
 * A sound report of 清河区光明街道办事处 for `year` whose carry-over rows are the given ones (上年结转,
 * 结转下年度 by applicant column): two years of it exercise the cross-year checks.
 */
export function carryoverSpec(year: number, carriedFrom: number[], carriedNext: number[]): ReportSpec {
  const results = Array.from({ length: 21 }, (_, r) => [r === 0 ? 4 : 0, 0, 0, 0, 0, 0]);
  return {
    agency: '清河区光明街道办事处',
    year,
    requests: consistentRequests(results, carriedFrom, carriedNext),
    appeals: consistentAppeals([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]),
  };
}
