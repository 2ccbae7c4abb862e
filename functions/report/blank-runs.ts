import type { ParsedReport } from './parse.ts';
import type { CellPlace, Issue } from './record.ts';
import { isCell, type ParsedCell } from './tables/parsed.ts';
import { resultRowKeys } from './tables/requests.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  columnName,
  isKey,
  proactiveRows,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  rowName,
  sectionName,
  type Template,
} from './template.ts';

/**
 * Blank cells in bulk. Many bodies leave the organisation columns, a group or a whole table blank instead
 * of writing 0; one finding per cell (126 on one report) buries what matters. Validation reports each
 * blank cell; this turns them into one CELL_MISSING per blank run (the whole table, a run of columns, a
 * run of rows, a stretch of one column, what is left of one row), each with its cells' places and count,
 * and says whether the table's arithmetic holds when the blanks are read as 0.
 */

type TableKey = 'proactive' | 'requests' | 'appeals';

/** A table as a grid of places: row keys (appeals: groups) × column keys, with the cells it prints. */
interface Grid {
  table: TableKey;
  section: 2 | 3 | 4;
  rows: string[];
  columns: string[];
  cell(row: string, column: string): ParsedCell | undefined;
  rowName(row: string): string;
  columnName(column: string): string;
  /** Arithmetic rules: the sum of `left` equals the sum of `right`. */
  rules: { left: [string, string][]; right: [string, string][] }[];
  /** Appeals places are groups, not rows. */
  rowField: 'row' | 'group';
}

const SINGLE = ''; // the column key of a one-number proactive row

/** A grid's row and column names come from the template vocabulary, so a message never shows a key. */
const names = (template: Template, table: Grid['table']) => ({
  rowName: (row: string) => rowName(template, table, row) ?? row,
  columnName: (column: string) => columnName(template, table, column) ?? column,
});

function requestsGrid(report: ParsedReport): Grid {
  const { requests } = report;
  const rows = REQUEST_ROW_KEYS.filter((r) =>
    REQUEST_COLUMNS.some((c) => requests.rows[r][c].state !== 'absent'),
  );
  const results = resultRowKeys(requests.rowSet);
  const rules: Grid['rules'] = [];
  for (const c of REQUEST_COLUMNS) {
    rules.push({
      left: [
        ['newReceived', c],
        ['carriedOverFromLastYear', c],
      ],
      right: [
        ['resultTotal', c],
        ['carriedOverToNextYear', c],
      ],
    });
    rules.push({ left: results.map((r) => [r, c]), right: [['resultTotal', c]] });
  }
  for (const r of rows) {
    rules.push({
      left: REQUEST_COLUMNS.filter((c) => c !== 'total').map((c) => [r, c]),
      right: [[r, 'total']],
    });
  }
  return {
    table: 'requests',
    section: 3,
    rows,
    columns: [...REQUEST_COLUMNS],
    cell: (r, c) =>
      isKey(REQUEST_ROW_KEYS, r) && isKey(REQUEST_COLUMNS, c) ? requests.rows[r][c] : undefined,
    ...names(report.proactive.template, 'requests'),
    rules,
    rowField: 'row',
  };
}

function appealsGrid(report: ParsedReport): Grid {
  const { groups } = report.appeals;
  return {
    table: 'appeals',
    section: 4,
    rows: [...APPEAL_GROUPS],
    columns: [...APPEAL_COLUMNS],
    cell: (g, c) => (isKey(APPEAL_GROUPS, g) && isKey(APPEAL_COLUMNS, c) ? groups[g][c] : undefined),
    ...names(report.proactive.template, 'appeals'),
    rules: APPEAL_GROUPS.map((g) => ({
      left: APPEAL_COLUMNS.filter((c) => c !== 'total').map((c): [string, string] => [g, c]),
      right: [[g, 'total']],
    })),
    rowField: 'group',
  };
}

function proactiveGrid(report: ParsedReport): Grid {
  const { proactive } = report;
  const specs = proactiveRows(proactive.template);
  const columns = [
    SINGLE,
    ...new Set(specs.flatMap((s) => (s.columns === null ? [] : s.columns.map((c) => c.key)))),
  ];
  const keys = specs.map((s) => s.key);
  return {
    table: 'proactive',
    section: 2,
    rows: keys.filter((k) => !proactive.missingRows.includes(k)),
    columns,
    cell: (r, c) => {
      const v = isKey(keys, r) ? proactive.rows[r] : undefined;
      if (v === undefined) return undefined;
      if (isCell(v)) return c === SINGLE ? v : undefined;
      return c === SINGLE ? undefined : v[c];
    },
    ...names(proactive.template, 'proactive'),
    rules: [],
    rowField: 'row',
  };
}

const key = (row: string, column: string) => `${row}\u0000${column}`;

interface Run {
  kind: 'table' | 'columns' | 'rows' | 'columnStretch' | 'row';
  places: [string, string][];
}

/** Splits the blank places of a grid into runs, largest shapes first. */
function runsOf(grid: Grid, blank: Set<string>): Run[] {
  const exists = (r: string, c: string) => {
    const cell = grid.cell(r, c);
    return cell !== undefined && cell.state !== 'absent';
  };
  const all = grid.rows.flatMap((r) =>
    grid.columns.filter((c) => exists(r, c)).map((c): [string, string] => [r, c]),
  );
  const left = new Set(blank);
  const runs: Run[] = [];
  const take = (kind: Run['kind'], places: [string, string][]) => {
    for (const [r, c] of places) left.delete(key(r, c));
    runs.push({ kind, places });
  };
  if (all.length > 1 && all.every(([r, c]) => blank.has(key(r, c)))) {
    take('table', all);
    return runs;
  }
  // Whole columns, adjacent ones together (the organisation columns left blank).
  if (grid.table !== 'proactive' && grid.rows.length > 1) {
    let current: string[] = [];
    const flush = () => {
      if (current.length > 0)
        take(
          'columns',
          grid.rows.flatMap((r) => current.filter((c) => exists(r, c)).map((c): [string, string] => [r, c])),
        );
      current = [];
    };
    for (const c of grid.columns) {
      const cells = grid.rows.filter((r) => exists(r, c));
      if (cells.length > 1 && cells.every((r) => blank.has(key(r, c)))) current.push(c);
      else flush();
    }
    flush();
  }
  // Whole rows (what is left of them), adjacent ones together.
  let rowRun: string[] = [];
  const flushRows = () => {
    if (rowRun.length > 0)
      take(
        'rows',
        rowRun.flatMap((r) =>
          grid.columns.filter((c) => left.has(key(r, c))).map((c): [string, string] => [r, c]),
        ),
      );
    rowRun = [];
  };
  for (const r of grid.rows) {
    const cells = grid.columns.filter((c) => exists(r, c));
    const full = cells.length > 1 && cells.every((c) => blank.has(key(r, c)));
    if (full && cells.some((c) => left.has(key(r, c)))) rowRun.push(r);
    else flushRows();
  }
  flushRows();
  // A stretch of three or more rows of one column (the 2019 总计 column left blank on every outcome row).
  for (const c of grid.columns) {
    let stretch: string[] = [];
    const flush = () => {
      if (stretch.length >= 3)
        take(
          'columnStretch',
          stretch.map((r): [string, string] => [r, c]),
        );
      stretch = [];
    };
    for (const r of grid.rows) {
      if (left.has(key(r, c))) stretch.push(r);
      else if (exists(r, c)) flush();
    }
    flush();
  }
  // What is left, one finding per row.
  for (const r of grid.rows) {
    const cells = grid.columns.filter((c) => left.has(key(r, c)));
    if (cells.length > 0)
      take(
        'row',
        cells.map((c): [string, string] => [r, c]),
      );
  }
  return runs;
}

/** Whether the arithmetic the run takes part in holds with blanks read as 0; null when no rule can say. */
function holdsAsZero(grid: Grid, run: Run): boolean | null {
  const inRun = new Set(run.places.map(([r, c]) => key(r, c)));
  const value = ([r, c]: [string, string]): number | null => {
    const cell = grid.cell(r, c);
    if (cell === undefined) return null;
    if (cell.state === 'blank' || cell.state === 'na') return 0;
    return cell.state === 'number' ? cell.value : null;
  };
  const sum = (places: [string, string][]) => {
    let total = 0;
    for (const p of places) {
      const v = value(p);
      if (v === null) return null;
      total += v;
    }
    return Math.round(total * 100) / 100;
  };
  let verdict: boolean | null = null;
  for (const rule of grid.rules) {
    if (![...rule.left, ...rule.right].some(([r, c]) => inRun.has(key(r, c)))) continue;
    const a = sum(rule.left);
    const b = sum(rule.right);
    if (a === null || b === null) continue;
    if (a !== b) return false;
    verdict = true;
  }
  return verdict;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join('、');

function span(names: readonly string[], unit: string): string {
  if (names.length === 1) return `"${names[0]}"${unit}`;
  if (names.length === 2) return `${quoted(names)}${unit}`;
  return `"${names[0]}"至"${names.at(-1)}"${names.length}${unit}`;
}

function describeRun(grid: Grid, run: Run): string {
  const label = `${sectionName(grid.section)}表格`;
  const n = run.places.length;
  const rows = [...new Set(run.places.map(([r]) => r))];
  const columns = [...new Set(run.places.map(([, c]) => c))].filter((c) => c !== SINGLE);
  const rowNames = rows.map(grid.rowName);
  const columnNames = columns.map(grid.columnName);
  const count = n > 1 ? `（共${n}个单元格）` : '';
  switch (run.kind) {
    case 'table':
      return `${label}全部${n}个单元格均为空`;
    case 'columns':
      return `${label}${span(columnNames, '列')}均为空${count}`;
    case 'rows':
      if (grid.rowField === 'group' && rows.length === 1) return `${label}"${rowNames[0]}"各项均为空${count}`;
      return `${label}${span(rowNames, grid.rowField === 'group' ? '组' : '行')}均为空${count}`;
    case 'columnStretch':
      return `${label}"${columnNames[0]}"列自"${rowNames[0]}"至"${rowNames.at(-1)}"${rows.length}行为空${count}`;
    case 'row': {
      const where = grid.rowField === 'group' ? `"${rowNames[0]}·` : `"${rowNames[0]}"行"`;
      if (columns.length === 0) return `${label}"${rowNames[0]}"为空`;
      return grid.rowField === 'group'
        ? `${label}${columns.map((c) => `${where}${grid.columnName(c)}"`).join('、')}为空`
        : `${label}${where}${columnNames.join('"、"')}"列为空${count}`;
    }
  }
}

function findingOf(grid: Grid, run: Run, severity: Issue['severity']): Issue {
  const rows = [...new Set(run.places.map(([r]) => r))];
  const columns = [...new Set(run.places.map(([, c]) => c))];
  const holds = holdsAsZero(grid, run);
  const verdict =
    holds === null
      ? ''
      : holds
        ? '；按0计算时表内勾稽关系成立，空白可能表示0，请填写0'
        : '；按0计算时表内勾稽关系也不成立，请补填';
  const cells: CellPlace[] = run.places.map(([r, c]) => ({
    [grid.rowField]: r,
    ...(c === SINGLE ? {} : { column: c }),
  }));
  return {
    code: 'CELL_MISSING',
    severity,
    section: grid.section,
    table: grid.table,
    ...(rows.length === 1 ? { [grid.rowField]: rows[0] } : {}),
    ...(columns.length === 1 && columns[0] !== SINGLE ? { column: columns[0] } : {}),
    count: run.places.length,
    cells,
    message: `${describeRun(grid, run)}${verdict}`,
  };
}

/** The blank places a CELL_MISSING finding of validation stands for (a whole appeals group, or one cell). */
function placesOf(issue: Issue, grid: Grid): [string, string][] {
  const row = grid.rowField === 'group' ? issue.group : issue.row;
  if (row === undefined) return [];
  if (issue.column !== undefined) return [[row, issue.column]];
  if (grid.table === 'proactive') return [[row, SINGLE]];
  return grid.columns
    .filter((c) => grid.cell(row, c)?.state === 'blank')
    .map((c): [string, string] => [row, c]);
}

/**
 * Replaces validation's per-cell CELL_MISSING findings by one finding per blank run, each in the place of
 * the first blank cell of its table. Other findings (a table not found at all) are left as they are.
 */
export function groupBlankCells(issues: readonly Issue[], report: ParsedReport): Issue[] {
  if (!issues.some((i) => i.code === 'CELL_MISSING')) return [...issues];
  const grids: Record<TableKey, Grid> = {
    proactive: proactiveGrid(report),
    requests: requestsGrid(report),
    appeals: appealsGrid(report),
  };
  const blank: Record<TableKey, Set<string>> = {
    proactive: new Set(),
    requests: new Set(),
    appeals: new Set(),
  };
  const severity: Partial<Record<TableKey, Issue['severity']>> = {};
  const isCellFinding = (i: Issue) =>
    i.code === 'CELL_MISSING' && i.table !== undefined && (i.row !== undefined || i.group !== undefined);
  for (const i of issues) {
    if (!isCellFinding(i) || i.table === undefined) continue;
    for (const [r, c] of placesOf(i, grids[i.table])) blank[i.table].add(key(r, c));
    severity[i.table] = i.severity;
  }
  const out: Issue[] = [];
  const done = new Set<TableKey>();
  for (const i of issues) {
    if (!isCellFinding(i) || i.table === undefined) {
      out.push(i);
      continue;
    }
    const table = i.table;
    if (done.has(table)) continue;
    done.add(table);
    const grid = grids[table];
    for (const run of runsOf(grid, blank[table]))
      out.push(findingOf(grid, run, severity[table] ?? i.severity));
  }
  return out;
}
