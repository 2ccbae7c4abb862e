import type { SourceFormat } from '../../extract/index.ts';
import { countNumbers, splitRow, type ValueCell } from '../cells.ts';
import { type Placed, placeByCount, placeByPitch } from '../columns.ts';
import type { DocLine } from '../lines.ts';
import { normalizeLabel } from '../normalize.ts';
import { APPEAL_COLUMNS, APPEAL_GROUPS, type AppealColumn, type AppealGroup, fromKeys } from '../template.ts';
import { readAppealPieces } from './appeals-pieces.ts';
import { ABSENT, fromValue, type ParsedCell, type TableNote, UNREADABLE } from './parsed.ts';
import { recoverAppeals } from './recover.ts';

export interface AppealsTable {
  groups: Record<AppealGroup, Record<AppealColumn, ParsedCell>>;
  /** False when no row of numbers was found. */
  found: boolean;
  notes: TableNote[];
  /** Index of the number row, or null. */
  line: number | null;
}

const WIDTH = APPEAL_GROUPS.length * APPEAL_COLUMNS.length;
/** Labels the appeals row may carry: its groups' and columns' words. */
const APPEALS_LABEL = /复议|诉讼|起诉|维持|纠正|结果|审结|总计|合计/;

function fromCells(cells: readonly ParsedCell[]): AppealsTable['groups'] {
  return fromKeys(APPEAL_GROUPS, (_, gi) =>
    fromKeys(APPEAL_COLUMNS, (_, ci) => cells[gi * APPEAL_COLUMNS.length + ci] ?? UNREADABLE),
  );
}

/** Grid formats (HTML, DOCX, TXT) give each cell its column index; blank columns are simply absent. */
function placeByGrid(values: readonly ValueCell[], leftEdge: number): Placed | null {
  const placed: Placed = new Array(WIDTH).fill(null);
  let last = -1;
  for (const v of values) {
    if (v.state === 'blank') continue;
    const column = Math.round(v.x0 - leftEdge);
    if (column <= last || column >= WIDTH) return null;
    placed[column] = v;
    last = column;
  }
  return placed;
}

function build(placed: Placed | null, fill: ParsedCell): AppealsTable['groups'] {
  return fromKeys(APPEAL_GROUPS, (_, gi) =>
    fromKeys(APPEAL_COLUMNS, (_, ci) =>
      placed === null ? fill : fromValue(placed[gi * APPEAL_COLUMNS.length + ci]),
    ),
  );
}

/**
 * Reads the one row of 15 numbers of the `appeals` table from the lines of its section. `heading` is the
 * index of the section heading (excluded from the header extent), when found.
 */
export function readAppeals(lines: readonly DocLine[], format: SourceFormat): AppealsTable {
  const pieces = readAppealPieces(lines);
  if (pieces !== null) {
    const placed = pieces.flatMap((p) => p.placed);
    return { groups: build(placed, ABSENT), found: true, notes: [], line: pieces[0]?.line ?? null };
  }
  const rows = lines.map((line) => ({ line, ...splitRow(line) }));
  let start = rows.findIndex((r) => r.label.trim() === '' && countNumbers(r.values) > 0);
  if (start < 0) {
    // No row of bare numbers: fall back to the line with the most numbers whose label is the table's own
    // (a header word the row was printed beside, 总计 or 尚未审结), never another table's row (规章 0 0 0).
    let best = -1;
    rows.forEach((r, i) => {
      if (!APPEALS_LABEL.test(normalizeLabel(r.label))) return;
      if (countNumbers(r.values) > (best < 0 ? 0 : countNumbers(rows[best]?.values ?? []))) best = i;
    });
    start = best;
  }
  if (start < 0 || countNumbers(rows[start]?.values ?? []) === 0) {
    // The row printed with every cell blank (grid formats keep empty cells): found, all blank.
    const blankRow = rows.find((r) => r.label.trim() === '' && r.values.length >= WIDTH - 1);
    if (blankRow !== undefined)
      return { groups: build(null, fromValue(null)), found: true, notes: [], line: blankRow.line.index };
  }
  const row = rows[start];
  if (row === undefined) return { groups: build(null, ABSENT), found: false, notes: [], line: null };

  // A printout may wrap the row: bare-number lines right after it continue it.
  let values = [...row.values];
  for (let i = start + 1; i < rows.length && countNumbers(values) < WIDTH; i++) {
    const next = rows[i];
    if (next === undefined || next.label.trim() !== '' || countNumbers(next.values) === 0) break;
    if (countNumbers(values) + countNumbers(next.values) > WIDTH) break;
    values = [...values.filter((v) => v.state !== 'blank'), ...next.values];
  }

  const header = rows.slice(0, start).filter((r) => r.line.cells.length > 0);
  const leftEdge = Math.min(...header.flatMap((r) => r.line.cells.map((c) => c.x0)), values[0]?.x0 ?? 0);
  const notes: TableNote[] = [];
  const filled = values.filter((v) => v.state !== 'blank');
  // Cells that ran together: split by the group totals (recover.ts), ambiguous cells left unread.
  const split = (): AppealsTable['groups'] | null => {
    // A row rebuilt from a cell stream has whole cells: one short of fifteen cannot say which is blank.
    if (row.line.wholeCells === true) return null;
    const result = filled.length < WIDTH ? recoverAppeals(filled, row.line.text) : null;
    if (result === null) return null;
    notes.push(...result.notes);
    return fromCells(result.cells);
  };
  const byPosition = () =>
    format === 'pdf' ? placeByPitch(values, WIDTH, leftEdge) : placeByGrid(values, leftEdge);
  // Three cells or fewer for fifteen columns is a flattened row (one run of digits, or one per group).
  const placed =
    placeByCount(values, WIDTH) ??
    (filled.length <= 3 || row.line.unpositioned === true ? null : byPosition());
  const groups = placed === null ? split() : build(placed, ABSENT);
  if (groups === null) {
    notes.push({ kind: 'unreadable', detail: row.line.text });
    return { groups: build(null, UNREADABLE), found: true, notes, line: row.line.index };
  }
  return { groups, found: true, notes, line: row.line.index };
}
