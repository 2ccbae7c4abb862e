import type { Cell, SourceFormat } from '../../extract/index.ts';
import { countNumbers, peelTrailingNumber, splitRow, type ValueCell } from '../cells.ts';
import { anchorsFrom, type Placed, placeByAnchors, placeByCount } from '../columns.ts';
import { headerAnchors } from '../header-anchors.ts';
import type { DocLine } from '../lines.ts';
import { normalizeLabel } from '../normalize.ts';
import {
  fromKeys,
  OTHER_SUB_ROWS,
  OTHER_TOTAL_2019,
  REQUEST_COLUMN_NAMES,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
  REQUEST_ROWS,
  RESULT_ROW_KEYS,
  type RequestColumn,
  type RequestRow,
} from '../template.ts';
import { ABSENT, digitCell, fromValue, type ParsedCell, type TableNote, UNREADABLE } from './parsed.ts';
import { type FlatRow, recoverRequests } from './recover.ts';

export interface RequestsTable {
  /** Every row key; rows the report left out hold `absent` cells. */
  rows: Record<RequestRow, Record<RequestColumn, ParsedCell>>;
  /** Which row set the report prints: the 2021 three （六） sub-rows, or the 2019 single row. */
  rowSet: '2021' | '2019';
  /** Rows the report did not print (never the ones its row set does not have). */
  missingRows: RequestRow[];
  notes: TableNote[];
  /** Index of the first and last line read as a row, or null when no row was found. */
  span: { first: number; last: number } | null;
}

const WIDTH = REQUEST_COLUMNS.length;
const ROWS_2021: RequestRow[] = REQUEST_ROWS.map((r) => r.key);
const ROWS_2019: RequestRow[] = ROWS_2021.flatMap((k): RequestRow[] =>
  k === 'otherNoCorrection' ? ['otherTotal2019'] : OTHER_SUB_ROWS.includes(k) ? [] : [k],
);

/** The result rows `resultTotal` sums on a row set (on 2019's, otherTotal2019 stands for the three others). */
export function resultRowKeys(rowSet: RequestsTable['rowSet']): readonly RequestRow[] {
  return rowSet === '2019'
    ? [...RESULT_ROW_KEYS.filter((k) => !OTHER_SUB_ROWS.includes(k)), 'otherTotal2019']
    : RESULT_ROW_KEYS;
}

interface NumericLine {
  line: DocLine;
  label: string;
  lastLabelCell: Cell | null;
  values: ValueCell[];
  /** Rows the line's own label (or, failing that, the label lines just above it) names. */
  candidates: Set<RequestRow>;
}

function rowsNamedBy(label: string): Set<RequestRow> {
  const norm = normalizeLabel(label);
  const found = new Set<RequestRow>();
  for (const row of REQUEST_ROWS) if (row.keywords.test(norm)) found.add(row.key);
  const hasSubRow =
    OTHER_SUB_ROWS.some((k) => found.has(k)) || /[123][.、]/.test(norm.replace(/^.*其他处理/, ''));
  if (OTHER_TOTAL_2019.keywords.test(norm) && !hasSubRow) found.add('otherTotal2019');
  return found;
}

/**
 * The rows a label-only line names when it is a printed row with blank cells: its label names a row and it
 * carries (nearly) a row's worth of empty cells. A wrapped label (numbers on the next line) has none, and a
 * PDF drops empty cells altogether, so neither is taken for a blank row.
 */
function printedBlank(label: string, values: readonly ValueCell[]): Set<RequestRow> | null {
  if (values.length < WIDTH - 1 || values.some((v) => v.state !== 'blank')) return null;
  const named = rowsNamedBy(label);
  return named.size > 0 ? named : null;
}

/** Table rows in reading order, with printouts' wrapped rows (numbers continued on the next line) rejoined. */
function numericLines(lines: readonly DocLine[]): NumericLine[] {
  const out: NumericLine[] = [];
  let pendingLabel = '';
  for (const line of lines) {
    const { label, lastLabelCell, values } = splitRow(line);
    if (countNumbers(values) === 0) {
      const named = printedBlank(label, values);
      if (named !== null) {
        // A row printed with its label and every cell left blank (the 2019 template, most cells empty).
        out.push({ line, label, lastLabelCell, values, candidates: named });
        pendingLabel = '';
        continue;
      }
      pendingLabel = `${pendingLabel} ${label}`;
      continue;
    }
    const previous = out.at(-1);
    const firstX = values.find((v) => v.state !== 'blank')?.x0 ?? 0;
    const previousLastX = previous?.values.at(-1)?.x0 ?? 0;
    if (
      previous !== undefined &&
      label.trim() === '' &&
      pendingLabel.trim() === '' &&
      countNumbers(previous.values) < WIDTH &&
      countNumbers(previous.values) + countNumbers(values) <= WIDTH &&
      firstX < previousLastX
    ) {
      previous.values = [...previous.values.filter((v) => v.state !== 'blank'), ...values];
      continue;
    }
    const own = rowsNamedBy(label);
    const candidates = own.size > 0 ? own : rowsNamedBy(pendingLabel);
    out.push({ line, label, lastLabelCell, values, candidates });
    pendingLabel = '';
  }
  return out;
}

/**
 * Assigns lines to template rows in order, maximising lines whose label names their row: a sequence
 * alignment, so an unlabelled line (a label broken onto other lines) takes the one row left between its
 * labelled neighbours, and a line is never given a row its label names otherwise.
 */
function align(
  lines: readonly NumericLine[],
  rows: readonly RequestRow[],
): { score: number; rows: (RequestRow | null)[] } {
  const n = lines.length;
  const m = rows.length;
  const score: number[][] = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  const gain = (i: number, j: number): number | null => {
    const c = lines[i]?.candidates;
    const row = rows[j];
    if (c === undefined || row === undefined) return null;
    if (c.size === 0) return 1;
    return c.has(row) ? 4 : null;
  };
  for (let i = n - 1; i >= 0; i--) {
    const row = score[i] ?? [];
    for (let j = m; j >= 0; j--) {
      let best = (score[i + 1]?.[j] ?? 0) - 0.5;
      if (j < m) best = Math.max(best, score[i]?.[j + 1] ?? 0);
      const g = j < m ? gain(i, j) : null;
      if (g !== null) best = Math.max(best, g + (score[i + 1]?.[j + 1] ?? 0));
      row[j] = best;
    }
  }
  const assigned: (RequestRow | null)[] = new Array(n).fill(null);
  let i = 0;
  let j = 0;
  while (i < n) {
    const here = score[i]?.[j] ?? 0;
    const g = j < m ? gain(i, j) : null;
    if (g !== null && here === g + (score[i + 1]?.[j + 1] ?? 0)) {
      assigned[i] = rows[j] ?? null;
      i++;
      j++;
    } else if (j < m && here === (score[i]?.[j + 1] ?? 0)) j++;
    else i++;
  }
  return { score: score[0]?.[0] ?? 0, rows: assigned };
}

/** Places one row's cells into the seven columns; see columns.ts for each strategy. */
function placeRow(
  entry: NumericLine,
  anchors: readonly (number | null)[] | null,
): { placed: Placed } | { flattened: ValueCell[] } | null {
  const direct = placeByCount(entry.values, WIDTH);
  if (direct !== null) return { placed: direct };
  // A row rebuilt from a cell stream: its cells are whole and a blank left no line, so a row short of
  // cells cannot say which are missing.
  if (entry.line.wholeCells === true) return null;
  const filled = entry.values.filter((v) => v.state !== 'blank');
  const peeled = filled.length < WIDTH ? peelTrailingNumber(entry.label) : null;
  if (peeled !== null && filled.length + 1 === WIDTH) {
    const first = entry.values.find((v) => v.state !== 'blank')?.x0 ?? 0;
    return { placed: [digitCell(peeled.digits, first), ...filled] };
  }
  // A number written in words (两) right after the label reads as label text; it is the first value.
  const cell = entry.lastLabelCell;
  const word = cell?.text.trim() ?? '';
  if (
    cell !== null &&
    filled.length + 1 === WIDTH &&
    word.length > 0 &&
    word.length <= 2 &&
    entry.line.cells.length > WIDTH
  ) {
    return {
      placed: [{ state: 'invalid', text: word, x0: cell.x0, x1: cell.x1 }, ...filled],
    };
  }
  // Cells that ran together are split later, with the whole table's arithmetic (recover.ts).
  const split = () =>
    filled.length >= WIDTH
      ? null
      : { flattened: [...(peeled === null ? [] : [digitCell(peeled.digits, 0)]), ...filled] };
  const byPosition =
    anchors === null || entry.line.unpositioned === true || peeled !== null
      ? null
      : placeByAnchors(entry.values, anchors);
  // One or two cells for seven columns is a flattened row, unless each sits in a column of the printed
  // table (organisation columns left blank: only 自然人 and 总计 filled): split it, else place it.
  if (byPosition !== null) return { placed: byPosition };
  return split();
}

/** Rows whose own labels name them that a table must have to be read as table 三 at all. */
const MIN_NAMED_ROWS = 3;

/** The names each column's header may be printed under (社会组织 and 社会公益 are local wordings). */
const HEADER_NAMES: readonly (readonly string[])[] = REQUEST_COLUMNS.map((c) => [
  REQUEST_COLUMN_NAMES[c],
  ...(c === 'socialWelfare' ? ['社会组织', '社会公益'] : c === 'total' ? ['合计'] : []),
]);
/** How many lines above the first row the column header may take (three header rows, wrapped words). */
const HEADER_LINES = 8;

/** The lines above the table's first row, up to the row of numbers before it (another table's). */
function headerLines(lines: readonly DocLine[], firstRow: number | undefined): DocLine[] {
  const at = lines.findIndex((l) => l.index === firstRow);
  if (at <= 0) return [];
  const out: DocLine[] = [];
  for (let i = at - 1; i >= Math.max(0, at - HEADER_LINES); i--) {
    const line = lines[i];
    if (line === undefined || countNumbers(splitRow(line).values) > 0) break;
    out.unshift(line);
  }
  return out;
}

function emptyRow(cell: ParsedCell): Record<RequestColumn, ParsedCell> {
  return fromKeys(REQUEST_COLUMNS, () => cell);
}

/** Reads the `requests` table from the lines of its section (or wherever its rows are). */
export function readRequests(lines: readonly DocLine[], format: SourceFormat): RequestsTable {
  const entries = numericLines(lines);
  const a2021 = align(entries, ROWS_2021);
  const a2019 = align(entries, ROWS_2019);
  const use2019 = a2019.score > a2021.score;
  const rowSet = use2019 ? '2019' : '2021';
  const assigned = (use2019 ? a2019 : a2021).rows;
  const expected = use2019 ? ROWS_2019 : ROWS_2021;

  const rows = fromKeys(REQUEST_ROW_KEYS, () => emptyRow(ABSENT));
  const notes: TableNote[] = [];
  const aligned = entries.flatMap((e, i) => {
    const row = assigned[i];
    return row === null || row === undefined ? [] : [{ entry: e, row }];
  });
  // Rows of other tables (table 二's, the appeals row) fit any unlabelled place: without a few rows its
  // labels name, there is no requests table here (it may be an image), and nothing is read as one.
  const named = aligned.filter((c) => c.entry.candidates.has(c.row)).length;
  const chosen = named >= MIN_NAMED_ROWS ? aligned : [];
  // Plain text gives a cell's index, not its column: rows with one or two label cells disagree, so
  // positions mean nothing there (and blank cells are explicit anyway).
  const anchors =
    format === 'text'
      ? null
      : (anchorsFrom(
          chosen.filter((c) => c.entry.line.unpositioned !== true).map((c) => c.entry.values),
          WIDTH,
        ) ?? headerAnchors(headerLines(lines, chosen[0]?.entry.line.index), HEADER_NAMES));
  const flat: FlatRow[] = [];
  for (const { entry, row } of chosen) {
    const result = placeRow(entry, anchors);
    if (result === null) {
      rows[row] = emptyRow(UNREADABLE);
      notes.push({ kind: 'unreadable', row, detail: entry.line.text });
      continue;
    }
    if ('flattened' in result) {
      flat.push({ row, values: result.flattened, text: entry.line.text });
      continue;
    }
    rows[row] = fromKeys(REQUEST_COLUMNS, (_, i) => fromValue(result.placed[i]));
  }
  if (flat.length > 0) notes.push(...recoverRequests(rows, flat, rowSet));
  const present = new Set(chosen.map((c) => c.row));
  const missingRows = expected.filter((k) => !present.has(k));
  const first = chosen[0]?.entry.line.index;
  const last = chosen.at(-1)?.entry.line.index;
  return {
    rows,
    rowSet,
    missingRows,
    notes,
    span: first === undefined || last === undefined ? null : { first, last },
  };
}
