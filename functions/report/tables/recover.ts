import type { ValueCell } from '../cells.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  fromKeys,
  OTHER_SUB_ROWS,
  REQUEST_COLUMNS,
  RESULT_ROW_KEYS,
  type RequestColumn,
  type RequestRow,
} from '../template.ts';
import type { ParsedCell, TableNote } from './parsed.ts';
import { UNREADABLE } from './parsed.ts';
import {
  AMBIGUOUS,
  agree,
  type CellRef,
  rowReadings,
  type Solved,
  type SumRule,
  solveJoint,
  type Token,
  type Value,
} from './solver.ts';

/**
 * The template's arithmetic as rules for the solver, and the glue between the table readers and it:
 * value cells in, parsed cells and notes out. Budgets bound the work on any input (a row of 40 digits
 * included); beyond them the cells concerned are declared ambiguous, never guessed.
 */
export const ROW_BUDGET = 10_000;
/** Shared by the rows of one table (their splits) and, separately, by the joint search. */
const TABLE_BUDGET = 40_000;

/** A row's value cells as solver tokens: digit runs to split, anything else one cell. */
export function tokensOf(values: readonly ValueCell[]): Token[] {
  return values
    .filter((v) => v.state !== 'blank')
    .map((v): Token => {
      const text = v.text.trim();
      if (v.state === 'number' && /^\d+$/.test(text)) return { kind: 'digits', text };
      return { kind: 'cell', value: null };
    });
}

/** A split row: each solved cell back to a parsed cell; cells printed as text keep their printed state. */
function toParsed(solved: readonly Solved[], values: readonly ValueCell[]): ParsedCell[] {
  const others = values.filter(
    (v) => v.state !== 'blank' && !(v.state === 'number' && /^\d+$/.test(v.text.trim())),
  );
  const settled = !solved.includes(AMBIGUOUS);
  let k = 0;
  return solved.map((s): ParsedCell => {
    if (s === AMBIGUOUS) return UNREADABLE;
    if (s !== null) return { state: 'number', value: s };
    const v = settled ? others[k++] : undefined;
    if (v === undefined) return UNREADABLE;
    if (v.state === 'na') return { state: 'na' };
    return { state: 'invalid', text: v.text };
  });
}

/** The value a rule uses, as validation does: "/" is 0, anything but a number stops the rule. */
function operand(cell: ParsedCell): Value {
  if (cell.state === 'na') return 0;
  return cell.state === 'number' ? cell.value : null;
}

export interface FlatRow {
  row: RequestRow;
  values: ValueCell[];
  /** The printed line, for messages. */
  text: string;
}

const ROW_TOTAL: SumRule<number> = { plus: [0, 1, 2, 3, 4, 5], minus: [6] };

/**
 * Reads the flattened rows of a `requests` table jointly with the rows read normally: row totals,
 * `resultTotal` as the sum of the result rows per column, and the balance per column. Writes the cells
 * read into `rows` and returns the notes: one `recovered` for the table (for the row when only one was
 * flattened), one `unreadable` per row with the columns that stay open.
 */
export function recoverRequests(
  rows: Record<RequestRow, Record<RequestColumn, ParsedCell>>,
  flat: readonly FlatRow[],
  rowSet: '2021' | '2019',
): TableNote[] {
  const width = REQUEST_COLUMNS.length;
  const resultRows =
    rowSet === '2019'
      ? [...RESULT_ROW_KEYS.filter((k) => !OTHER_SUB_ROWS.includes(k)), 'otherTotal2019' as const]
      : RESULT_ROW_KEYS;
  const keys: RequestRow[] = [
    'newReceived',
    'carriedOverFromLastYear',
    ...resultRows,
    'resultTotal',
    'carriedOverToNextYear',
  ];
  const index = (k: RequestRow) => keys.indexOf(k);
  const notes: TableNote[] = [];
  let spent = 0;
  const readings = keys.map((key): Value[][] | null => {
    const f = flat.find((x) => x.row === key);
    if (f !== undefined) {
      const budget = Math.min(ROW_BUDGET, TABLE_BUDGET - spent);
      const r = rowReadings(tokensOf(f.values), width, [ROW_TOTAL], budget);
      spent += r.steps;
      return r.readings;
    }
    const cells = REQUEST_COLUMNS.map((c) => rows[key][c]);
    if (cells.every((c) => c.state === 'absent')) return null;
    return [cells.map(operand)];
  });
  const rules: SumRule<CellRef>[] = REQUEST_COLUMNS.flatMap((_, c) => [
    { plus: resultRows.map((k): CellRef => [index(k), c]), minus: [[index('resultTotal'), c]] },
    {
      plus: [
        [index('newReceived'), c],
        [index('carriedOverFromLastYear'), c],
      ],
      minus: [
        [index('resultTotal'), c],
        [index('carriedOverToNextYear'), c],
      ],
    },
  ]);
  const joint = solveJoint(readings, width, rules, TABLE_BUDGET);
  const read: FlatRow[] = [];
  for (const f of flat) {
    const solved = joint.cells[index(f.row)];
    if (solved == null) {
      rows[f.row] = fromKeys(REQUEST_COLUMNS, () => UNREADABLE);
      notes.push({ kind: 'unreadable', row: f.row, detail: f.text });
      continue;
    }
    const parsed = toParsed(solved, f.values);
    rows[f.row] = fromKeys(REQUEST_COLUMNS, (_, i) => parsed[i] ?? UNREADABLE);
    const open = REQUEST_COLUMNS.filter((_, i) => solved[i] === AMBIGUOUS);
    if (open.length > 0) notes.push({ kind: 'unreadable', row: f.row, columns: open, detail: f.text });
    else read.push(f);
  }
  const [only] = read;
  if (read.length === 1 && only !== undefined && flat.length === 1)
    notes.unshift({ kind: 'recovered', row: only.row, detail: only.text });
  else if (read.length > 0)
    notes.unshift({ kind: 'recovered', detail: `${read[0]?.text ?? ''} …（共${read.length}行）` });
  return notes;
}

const GROUP_TOTALS: SumRule<number>[] = APPEAL_GROUPS.map((_, g) => {
  const at = g * APPEAL_COLUMNS.length;
  return { plus: [at, at + 1, at + 2, at + 3], minus: [at + 4] };
});

/**
 * Splits the appeals row (15 numbers whose cells ran together) by the three group totals. Returns the
 * 15 parsed cells and the notes, or null when no split fits at all.
 */
export function recoverAppeals(
  values: readonly ValueCell[],
  text: string,
): { cells: ParsedCell[]; notes: TableNote[] } | null {
  const width = APPEAL_GROUPS.length * APPEAL_COLUMNS.length;
  const { readings } = rowReadings(tokensOf(values), width, GROUP_TOTALS, ROW_BUDGET);
  if (readings === null) return null;
  const solved = agree(readings, width);
  const cells = toParsed(solved, values);
  const notes: TableNote[] = [];
  APPEAL_GROUPS.forEach((group, g) => {
    const open = APPEAL_COLUMNS.filter((_, i) => solved[g * APPEAL_COLUMNS.length + i] === AMBIGUOUS);
    if (open.length > 0) notes.push({ kind: 'unreadable', group, columns: open, detail: text });
  });
  if (notes.length < APPEAL_GROUPS.length) notes.unshift({ kind: 'recovered', detail: text });
  return { cells, notes };
}
