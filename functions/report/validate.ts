import { groupBlankCells } from './blank-runs.ts';
import { severityOf } from './codes.ts';
import { narrativeCounts } from './narrative.ts';
import { doubtExplains, doubtMessage, doubtPlaces, isDoubtful, type Operand } from './ocr-doubt.ts';
import type { ParsedReport } from './parse.ts';
import type { Issue, IssueCode } from './record.ts';
import { feeStatementIssues } from './rules/fee-statement.ts';
import { narrativeTableIssues } from './rules/narrative-tables.ts';
import { sectionEmptyIssues } from './rules/section-empty.ts';
import { inTemplateOrder, renumberedSections } from './sections.ts';
import { isCell, type ParsedCell, type TableNote } from './tables/parsed.ts';
import type { ProactiveValue } from './tables/proactive.ts';
import {
  APPEAL_COLUMN_NAMES,
  APPEAL_COLUMNS,
  APPEAL_GROUP_NAMES,
  APPEAL_GROUPS,
  columnName,
  OTHER_SUB_ROWS,
  proactiveRows,
  type Quantity,
  REQUEST_COLUMN_NAMES,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  RESULT_ROW_KEYS,
  type RequestColumn,
  type RequestRow,
  requestRowName,
  rowName,
  SECTION_NUMERALS,
  SECTIONS,
  sectionName,
  type TableName,
  type Template,
} from './template.ts';

type Location = Pick<Issue, 'section' | 'table' | 'row' | 'column' | 'group' | 'expected' | 'actual'>;

function issue(code: IssueCode, location: Location, message: string): Issue {
  return { code, severity: severityOf(code, location.table), ...location, message };
}

/**
 * A failed sum rule: the rule's own error, or OCR_UNCERTAIN when doubtful OCR reads could explain it
 * (ocr-doubt.ts). The finding keeps the rule's place; its `cells` name the doubtful cells.
 */
function sumFailure(
  code: IssueCode,
  where: Location,
  message: string,
  left: readonly Operand[],
  right: readonly Operand[],
): Issue {
  const doubted = doubtExplains(left, right);
  if (doubted === null) return issue(code, where, message);
  return { ...issue('OCR_UNCERTAIN', where, doubtMessage(message, doubted)), cells: doubtPlaces(doubted) };
}

/** The value a rule uses: "/" counts as 0; blank, invalid, unreadable and absent cells stop the rule. */
function operand(cell: ParsedCell): number | null {
  if (cell.state === 'na') return 0;
  return cell.state === 'number' ? cell.value : null;
}

function sum(cells: readonly ParsedCell[]): number | null {
  let total = 0;
  for (const c of cells) {
    const v = operand(c);
    if (v === null) return null;
    total += v;
  }
  return Math.round(total * 100) / 100;
}

function checkCell(cell: ParsedCell, where: Location, place: string, kind: Quantity, out: Issue[]): void {
  const before = out.length;
  checkCellValue(cell, where, place, kind, out);
  // A doubtful OCR read that looks wrong in itself is our misread until a person has looked.
  const found = out[before];
  if (found !== undefined && found.code === 'CELL_INVALID' && isDoubtful(cell)) {
    const op: Operand = { cell, place: placeOf(where), name: place };
    out[before] = {
      ...issue('OCR_UNCERTAIN', where, doubtMessage(found.message, [op])),
      cells: doubtPlaces([op]),
    };
  }
}

function placeOf(where: Location): Operand['place'] {
  return {
    ...(where.row === undefined ? {} : { row: where.row }),
    ...(where.group === undefined ? {} : { group: where.group }),
    ...(where.column === undefined ? {} : { column: where.column }),
  };
}

function checkCellValue(
  cell: ParsedCell,
  where: Location,
  place: string,
  kind: Quantity,
  out: Issue[],
): void {
  if (cell.state === 'blank') out.push(issue('CELL_MISSING', where, `${place}为空`));
  else if (cell.state === 'invalid')
    out.push(
      issue(
        'CELL_INVALID',
        where,
        // No text in an invalid cell: a scan's ink the OCR could not read (cells.ts), never printed empty.
        cell.text === '' ? `${place}有字迹但未能识别` : `${place}不是数字（"${cell.text}"）`,
      ),
    );
  else if (cell.state === 'number') {
    if (kind !== 'change' && cell.value < 0) {
      out.push(issue('CELL_INVALID', where, `${place}为负数（${cell.value}）`));
    } else if (kind !== 'amount' && !Number.isInteger(cell.value)) {
      out.push(issue('CELL_INVALID', where, `${place}应为整数（${cell.value}）`));
    }
  }
}

function noteIssues(
  notes: readonly TableNote[],
  section: 2 | 3 | 4,
  table: TableName,
  template: Template,
): Issue[] {
  const name = (key: string) => rowName(template, table, key) ?? key;
  const columnLabel = (key: string) => columnName(template, table, key) ?? key;
  const label = `${sectionName(section)}表格`;
  return notes.map((n) => {
    const where: Location = {
      section,
      table,
      ...(n.row === undefined ? {} : { row: n.row }),
      ...(n.group === undefined ? {} : { group: n.group }),
      ...(n.columns?.length === 1 ? { column: n.columns[0] } : {}),
    };
    const row =
      n.row !== undefined ? `"${name(n.row)}"行` : n.group !== undefined ? `"${name(n.group)}"` : '';
    if (n.kind === 'unreadable' && n.columns !== undefined && n.columns.length > 0) {
      const cells = n.columns.map((c) => `"${columnLabel(c)}"`).join('、');
      return issue(
        'TABLE_UNREADABLE',
        where,
        `${label}${row}${cells}列无法唯一确定：数字之间缺少分隔（"${n.detail}"），多种拆分都符合表内合计，未读取这些单元格，请核对原文`,
      );
    }
    switch (n.kind) {
      case 'recovered':
        return issue(
          'ROW_RECOVERED',
          where,
          `${label}${row}数字之间缺少分隔（"${n.detail}"），已按表内合计唯一还原，请核对`,
        );
      case 'unreadable':
        return issue(
          'TABLE_UNREADABLE',
          where,
          `${label}${row}数字无法对应到列（"${n.detail}"），未读取该行数字，请核对原文`,
        );
      case 'extraCells':
        return issue('CELL_EXTRA', where, `${label}${row}多出单元格（"${n.detail}"），已取第一个数字`);
    }
    return issue('TABLE_UNREADABLE', where, `${label}无法读取`);
  });
}

function validateSections(report: ParsedReport, out: Issue[]): void {
  const found = new Set(report.sections.map((s) => s.number));
  for (const { number, title } of SECTIONS) {
    if (!found.has(number))
      out.push(issue('SECTION_MISSING', { section: number }, `缺少${sectionName(number)}"${title}"`));
  }
  if (!inTemplateOrder(report.sections)) {
    const order = [...report.sections]
      .sort((a, b) => a.line - b.line)
      .map((s) => SECTION_NUMERALS[s.number - 1]);
    out.push(issue('SECTION_ORDER', { section: 0 }, `各部分顺序与模板不符：实际顺序为${order.join('、')}`));
  }
  for (const s of renumberedSections(report.sections)) {
    const printed = SECTION_NUMERALS[(s.printedNumber ?? 1) - 1];
    out.push(
      issue(
        'SECTION_ORDER',
        { section: s.number },
        `${sectionName(s.number)}的标题"${s.title}"编号为"${printed}"，与模板编号不符`,
      ),
    );
  }
  const misplaced = (n: 2 | 3 | 4, first: number | null, name: string) => {
    const s = report.sections.find((x) => x.number === n);
    if (s === undefined || first === null) return;
    if (first < s.line || first >= s.end) {
      out.push(issue('SECTION_ORDER', { section: n }, `${name}不在"${s.title}"标题之下`));
    }
  };
  misplaced(2, report.proactive.span?.first ?? null, '主动公开政府信息情况表');
  misplaced(3, report.requests.span?.first ?? null, '政府信息公开申请情况表');
  misplaced(4, report.appeals.line, '行政复议、行政诉讼情况表');
}

/** The table's own name in the template (its section's title without the number), for TABLE_MISSING. */
function tableMissing(section: 2 | 3 | 4, table: TableName): Issue {
  const title = SECTIONS[section - 1]?.title.replace(/^[一二三四五六]、/, '') ?? '';
  return issue(
    'TABLE_MISSING',
    { section, table },
    `第${'一二三四五六'[section - 1]}部分未找到"${title}"统计表（表格可能以图片形式发布，或未填报），表中数字无法核对，请以文字表格形式发布`,
  );
}

function validateProactive(report: ParsedReport, out: Issue[]): void {
  const { proactive } = report;
  const specs = proactiveRows(proactive.template);
  const t = { section: 2, table: 'proactive' } as const;
  if (proactive.span === null) {
    out.push(tableMissing(2, 'proactive'));
    return;
  }
  for (const spec of specs) {
    if (proactive.missingRows.includes(spec.key))
      out.push(issue('ROW_MISSING', { ...t, row: spec.key }, `第二部分表格缺少"${spec.name}"行`));
  }
  for (const spec of specs) {
    const value: ProactiveValue | undefined = proactive.rows[spec.key];
    if (value === undefined) continue;
    if (isCell(value)) {
      checkCell(value, { ...t, row: spec.key }, `第二部分表格"${spec.name}"`, spec.quantity ?? 'count', out);
      continue;
    }
    for (const column of spec.columns ?? []) {
      const cell = value[column.key];
      if (cell === undefined) continue;
      checkCell(
        cell,
        { ...t, row: spec.key, column: column.key },
        `第二部分表格"${spec.name}"行"${column.name}"列`,
        column.quantity,
        out,
      );
    }
  }
  out.push(...noteIssues(proactive.notes, 2, 'proactive', proactive.template));
}

function validateRequests(report: ParsedReport, out: Issue[]): void {
  const { requests } = report;
  const t = { section: 3, table: 'requests' } as const;
  const cell = (row: RequestRow, column: RequestColumn) => requests.rows[row][column];
  if (requests.span === null) {
    out.push(tableMissing(3, 'requests'));
    return;
  }
  const op = (row: RequestRow, column: RequestColumn): Operand => ({
    cell: cell(row, column),
    place: { row, column },
    name: `"${requestRowName(row)}"行"${REQUEST_COLUMN_NAMES[column]}"列`,
  });
  for (const row of requests.missingRows) {
    out.push(issue('ROW_MISSING', { ...t, row }, `第三部分表格缺少"${requestRowName(row)}"行`));
  }
  for (const row of REQUEST_ROW_KEYS) {
    for (const column of REQUEST_COLUMNS) {
      checkCell(
        cell(row, column),
        { ...t, row, column },
        `第三部分表格"${requestRowName(row)}"行"${REQUEST_COLUMN_NAMES[column]}"列`,
        'count',
        out,
      );
    }
  }
  out.push(...noteIssues(requests.notes, 3, 'requests', report.proactive.template));

  const resultRows =
    requests.rowSet === '2019'
      ? [...RESULT_ROW_KEYS.filter((k) => !OTHER_SUB_ROWS.includes(k)), 'otherTotal2019' as const]
      : RESULT_ROW_KEYS;
  for (const column of REQUEST_COLUMNS) {
    const name = REQUEST_COLUMN_NAMES[column];
    const left = sum([cell('newReceived', column), cell('carriedOverFromLastYear', column)]);
    const right = sum([cell('resultTotal', column), cell('carriedOverToNextYear', column)]);
    if (left !== null && right !== null && left !== right) {
      out.push(
        sumFailure(
          'REQUESTS_BALANCE',
          { ...t, row: 'carriedOverToNextYear', column, expected: left, actual: right },
          `第三部分表格"${name}"列：第一项加第二项之和（${left}）不等于第三项加第四项之和（${right}）`,
          [op('newReceived', column), op('carriedOverFromLastYear', column)],
          [op('resultTotal', column), op('carriedOverToNextYear', column)],
        ),
      );
    }
    const results = sum(resultRows.map((r) => cell(r, column)));
    const total = operand(cell('resultTotal', column));
    if (results !== null && total !== null && results !== total) {
      out.push(
        sumFailure(
          'REQUESTS_RESULT_TOTAL',
          { ...t, row: 'resultTotal', column, expected: results, actual: total },
          `第三部分表格"${name}"列：各项办理结果之和（${results}）不等于"（七）总计"（${total}）`,
          resultRows.map((r) => op(r, column)),
          [op('resultTotal', column)],
        ),
      );
    }
  }
  for (const row of REQUEST_ROW_KEYS) {
    if (requests.rows[row].total.state === 'absent') continue;
    const parts = sum(REQUEST_COLUMNS.filter((c) => c !== 'total').map((c) => cell(row, c)));
    const total = operand(cell(row, 'total'));
    if (parts !== null && total !== null && parts !== total) {
      out.push(
        sumFailure(
          'REQUESTS_ROW_TOTAL',
          { ...t, row, column: 'total', expected: parts, actual: total },
          `第三部分表格"${requestRowName(row)}"行：各类申请人之和（${parts}）不等于总计（${total}）`,
          REQUEST_COLUMNS.filter((c) => c !== 'total').map((c) => op(row, c)),
          [op(row, 'total')],
        ),
      );
    }
  }
}

function validateAppeals(report: ParsedReport, out: Issue[]): void {
  const { appeals } = report;
  const t = { section: 4, table: 'appeals' } as const;
  if (!appeals.found) {
    out.push(tableMissing(4, 'appeals'));
    return;
  }
  for (const group of APPEAL_GROUPS) {
    const cells = APPEAL_COLUMNS.map((c) => appeals.groups[group][c]);
    const name = APPEAL_GROUP_NAMES[group];
    if (cells.every((c) => c.state === 'blank')) {
      // One finding for a group left blank as a whole (seed 002), not five.
      out.push(issue('CELL_MISSING', { ...t, group }, `第四部分表格"${name}"各项均为空`));
      continue;
    }
    APPEAL_COLUMNS.forEach((column, i) => {
      const c = cells[i];
      if (c !== undefined) {
        checkCell(
          c,
          { ...t, group, column },
          `第四部分表格"${name}·${APPEAL_COLUMN_NAMES[column]}"`,
          'count',
          out,
        );
      }
    });
    const parts = sum(cells.slice(0, 4));
    const total = operand(appeals.groups[group].total);
    if (parts !== null && total !== null && parts !== total) {
      const op = (column: (typeof APPEAL_COLUMNS)[number]): Operand => ({
        cell: appeals.groups[group][column],
        place: { group, column },
        name: `"${name}·${APPEAL_COLUMN_NAMES[column]}"`,
      });
      out.push(
        sumFailure(
          'APPEALS_GROUP_TOTAL',
          { ...t, group, column: 'total', expected: parts, actual: total },
          `第四部分表格"${name}"：结果维持、结果纠正、其他结果、尚未审结之和（${parts}）不等于总计（${total}）`,
          APPEAL_COLUMNS.slice(0, 4).map(op),
          [op('total')],
        ),
      );
    }
  }
  out.push(...noteIssues(appeals.notes, 4, 'appeals', report.proactive.template));
}

function validateYears(report: ParsedReport, out: Issue[]): void {
  const { titleYear, periodYear, narrativeYear } = report.metadata;
  const stated = [
    { where: '标题', year: titleYear },
    { where: '统计期限', year: periodYear },
    { where: '第一部分正文', year: narrativeYear },
  ].filter((s): s is { where: string; year: number } => s.year !== null);
  if (new Set(stated.map((s) => s.year)).size > 1) {
    out.push(
      issue(
        'YEAR_MISMATCH',
        { section: 0 },
        `报告年度前后不一致：${stated.map((s) => `${s.where}为${s.year}年`).join('，')}`,
      ),
    );
  }
}

function validateNarrative(report: ParsedReport, out: Issue[]): void {
  const s1 = report.sections.find((s) => s.number === 1);
  const end = s1?.end ?? Math.min(report.lines.length, report.requests.span?.first ?? report.lines.length);
  const said = narrativeCounts(report.lines.slice(0, end), report.metadata.year);
  const total = (row: RequestRow) => operand(report.requests.rows[row].total);
  const received = total('newReceived');
  const carried = total('carriedOverFromLastYear');
  const next = total('carriedOverToNextYear');
  const where = { section: 1, table: 'requests', column: 'total' } as const;
  if (said.received !== null && received !== null) {
    const withCarried = received + (carried ?? 0);
    if (said.received !== received && said.received !== withCarried) {
      out.push(
        issue(
          'NARRATIVE_MISMATCH',
          { ...where, row: 'newReceived', expected: received, actual: said.received },
          `第一部分称收到政府信息公开申请${said.received}件，与第三部分表格不符（本年新收${received}件${carried ? `，含上年结转共${withCarried}件` : ''}）`,
        ),
      );
    }
  }
  if (said.carriedFromLastYear !== null && carried !== null && said.carriedFromLastYear !== carried) {
    out.push(
      issue(
        'NARRATIVE_MISMATCH',
        { ...where, row: 'carriedOverFromLastYear', expected: carried, actual: said.carriedFromLastYear },
        `第一部分称上年结转${said.carriedFromLastYear}件，与第三部分表格不符（${carried}件）`,
      ),
    );
  }
  if (said.carriedToNextYear !== null && next !== null && said.carriedToNextYear !== next) {
    out.push(
      issue(
        'NARRATIVE_MISMATCH',
        { ...where, row: 'carriedOverToNextYear', expected: next, actual: said.carriedToNextYear },
        `第一部分称结转下年度${said.carriedToNextYear}件，与第三部分表格不符（${next}件）`,
      ),
    );
  }
}

function validateTemplate(report: ParsedReport, out: Issue[]): void {
  const year = report.metadata.year;
  if (year === null || year < 2021) return;
  if (report.proactive.template === '2019') {
    out.push(
      issue(
        'TEMPLATE_OUTDATED',
        { section: 2, table: 'proactive' },
        `第二部分表格使用2019年版模板，${year}年度报告应使用2021年版模板（国办公开办函〔2021〕30号）`,
      ),
    );
  }
  if (report.requests.rowSet === '2019') {
    out.push(
      issue(
        'TEMPLATE_OUTDATED',
        { section: 3, table: 'requests', row: 'otherTotal2019' },
        `第三部分表格"（六）其他处理"未按2021年版模板分列三项，${year}年度报告应使用2021年版模板（国办公开办函〔2021〕30号）`,
      ),
    );
  }
}

/** True when nothing of the template was found: no headings to speak of, no table rows, no title. */
export function looksLikeAnnualReport(report: ParsedReport): boolean {
  return (
    report.sections.length >= 2 ||
    report.requests.span !== null ||
    report.proactive.span !== null ||
    (report.metadata.title !== null && /年度报告/.test(report.metadata.title))
  );
}

/** Every finding for a parsed report, in document order (sections, then tables, then years and narrative). */
export function validateReport(report: ParsedReport): Issue[] {
  if (!looksLikeAnnualReport(report)) {
    return [
      issue(
        'NOT_AN_ANNUAL_REPORT',
        { section: 0 },
        '文件不是政府信息公开工作年度报告：未找到年度报告的标题、章节或统计表',
      ),
    ];
  }
  const out: Issue[] = [];
  if (report.metadata.title === null) {
    out.push(issue('TITLE_MISSING', { section: 0 }, '未找到报告标题（如"××××年政府信息公开工作年度报告"）'));
  }
  validateYears(report, out);
  validateSections(report, out);
  validateProactive(report, out);
  validateRequests(report, out);
  validateAppeals(report, out);
  validateNarrative(report, out);
  validateTemplate(report, out);
  // Reviewers' checks beyond the tables' arithmetic (issue 13), each in functions/report/rules/.
  for (const f of [
    ...narrativeTableIssues(report),
    ...sectionEmptyIssues(report),
    ...feeStatementIssues(report),
  ])
    out.push({ ...f, severity: severityOf(f.code, f.table) });
  return groupBlankCells(out, report);
}
