import type { SourceFormat } from '../../extract/index.ts';
import { countNumbers, splitRow, type ValueCell } from '../cells.ts';
import { type Placed, placeByCount, placeByPitch, splitDigits } from '../columns.ts';
import type { DocLine } from '../lines.ts';
import { APPEAL_COLUMNS, APPEAL_GROUPS, type AppealColumn, type AppealGroup, fromKeys } from '../template.ts';
import { readAppealPieces } from './appeals-pieces.ts';
import { ABSENT, digitCell, fromValue, type ParsedCell, type TableNote, UNREADABLE } from './parsed.ts';

export interface AppealsTable {
  groups: Record<AppealGroup, Record<AppealColumn, ParsedCell>>;
  /** False when no row of numbers was found. */
  found: boolean;
  notes: TableNote[];
  /** Index of the number row, or null. */
  line: number | null;
}

const WIDTH = APPEAL_GROUPS.length * APPEAL_COLUMNS.length;

function groupsBalance(parts: readonly number[]): boolean {
  for (let g = 0; g + APPEAL_COLUMNS.length <= parts.length; g += APPEAL_COLUMNS.length) {
    const [a = 0, b = 0, c = 0, d = 0, total = -1] = parts.slice(g, g + APPEAL_COLUMNS.length);
    if (a + b + c + d !== total) return false;
  }
  return true;
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
    // No row of bare numbers: fall back to the line with the most numbers that has any label.
    let best = -1;
    rows.forEach((r, i) => {
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
  const split = (): Placed | null => {
    const parts =
      filled.length < WIDTH
        ? splitDigits(
            filled.map((v) => v.text.trim()),
            WIDTH,
            groupsBalance,
          )
        : null;
    if (parts === null) return null;
    notes.push({ kind: 'recovered', detail: row.line.text });
    return parts.map((d) => digitCell(String(d), 0));
  };
  const byPosition = () =>
    format === 'pdf' ? placeByPitch(values, WIDTH, leftEdge) : placeByGrid(values, leftEdge);
  let placed = placeByCount(values, WIDTH);
  // Three cells or fewer for fifteen columns is a flattened row (one run of digits, or one per group).
  if (placed === null) placed = filled.length <= 3 ? split() : (byPosition() ?? split());
  if (placed === null) {
    notes.push({ kind: 'unreadable', detail: row.line.text });
    return { groups: build(null, UNREADABLE), found: true, notes, line: row.line.index };
  }
  return { groups: build(placed, ABSENT), found: true, notes, line: row.line.index };
}
