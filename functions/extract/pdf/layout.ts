import { isCjk, joinFragments } from '../cjk.ts';
import { textToLine } from '../plain-text.ts';
import type { Cell, Line } from '../types.ts';

/**
 * Turns positioned text items of one PDF page into lines and cells. Pure geometry, no pdf.js, so that
 * every rule here is unit-tested on hand-made items.
 *
 * pdf.js splits Chinese text into many small items and reports cell gaps only as positions. Items on
 * one baseline form a line; the horizontal gap between neighbours decides between nothing (glyphs of one
 * run), a space, and a cell boundary. Table rows whose label wraps over several lines print the numbers
 * once, vertically centred: label-only lines next to a row of numbers are folded into that row.
 */
export interface TextItem {
  str: string;
  /** Left edge, baseline and advance width in page units (points). */
  x: number;
  y: number;
  width: number;
  fontSize: number;
}

interface Fragment extends Cell {
  y: number;
  size: number;
}

interface RawLine {
  y: number;
  size: number;
  cells: Fragment[];
}

const NUMERIC = /^(?:[-+]?\d[\d,，]*(?:\.\d+)?|[/／—–-]|[—–-]{2})$/;
export const isNumericCell = (text: string): boolean => NUMERIC.test(text.trim());

/*
 * The layout tolerances, in one place (as pdf.js names its own). Distances are in font sizes (ems) of the
 * text compared, unless said otherwise, so that they hold at any print size. Where a figure from "the
 * fixtures" is given, it was measured over every PDF in test/fixtures; test/extract/layout.test.ts pins the
 * rules on hand-made items and test/extract/fixtures.test.ts on those PDFs.
 */
/** At or above this gap, text separates into two cells: a full em is wider than any space inside a label. */
const CELL_GAP = 1.0;
/** Between a number and its neighbour, a smaller gap already separates cells (numbers never wrap). */
const NUMBER_CELL_GAP = 0.6;
/** A gap wider than this between Latin letters or digits is a space (a word space is about a quarter em). */
const SPACE_GAP_LATIN = 0.15;
/** CJK glyphs are set solid, with no spaces: only a gap of more than a third of an em is one. */
const SPACE_GAP_CJK = 0.35;
/** Baselines closer than this fraction of the font size are one line: under half a line apart. */
const SAME_LINE = 0.45;
/**
 * A wrapped label line is at most this many font sizes from its row's numbers: the outer line of a
 * three-line label centred on its numbers is one line pitch away (at most 1.68 em in the fixtures).
 */
const FOLD_DISTANCE = 1.7;
/** A label line ends at least this far left of its row's first number: text up to the numbers is no label. */
const LABEL_CLEARANCE = 0.3;
/** A label line's font size is within this fraction of its row's: a heading in another size is no label. */
const LABEL_SIZE_TOLERANCE = 0.2;
/** A label folds into a row at most this many lines away, so the search stays local (2 in the fixtures). */
const FOLD_REACH_LINES = 6;
/**
 * A line that continues a stacked label (3+ lines) is at most this far from the line it stacks on: one line
 * pitch (1.44 em in the fixtures).
 */
const STACK_DISTANCE = 1.6;
/** …and at most this many lines from it: a stack never climbs past the next row (2 in the fixtures). */
const STACK_REACH_LINES = 3;
/** Fragments that overlap by more than this share a column; edges that touch (a rounding apart) do not. */
const COLUMN_OVERLAP = 0.1;
/**
 * Points added to the distance of the row below, so that a label equally near two rows folds into the
 * one above, where a top-aligned cell continues; far below any real difference of position.
 */
const BELOW_TIE_BREAK = 0.01;
/**
 * Fraction of the page's text width: a wrapped row's last number ends this near the right margin and its
 * continuation starts this near the left one (a printed tab stop can leave the number a few ems short).
 */
const WRAP_MARGIN = 0.1;

function groupLines(items: TextItem[]): RawLine[] {
  const sorted = items.filter((it) => it.str.trim() !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Array<{ y: number; size: number; items: TextItem[] }> = [];
  for (const item of sorted) {
    const last = lines.at(-1);
    if (last && Math.abs(last.y - item.y) <= SAME_LINE * Math.max(last.size, item.fontSize)) {
      last.items.push(item);
      last.size = Math.max(last.size, item.fontSize);
    } else {
      lines.push({ y: item.y, size: item.fontSize, items: [item] });
    }
  }
  return lines.map((line) => ({ y: line.y, size: line.size, cells: cellsOf(line.items, line.y) }));
}

/** The gap, in font sizes, at or above which an item starts a new cell after the previous one. */
function cellGapBetween(at: {
  prevNumeric: boolean;
  numeric: boolean;
  nextNumericAfterCellGap: boolean;
  last: boolean;
}): number {
  // Two numbers with any visible gap are two cells: no count is printed with a space inside it. The same
  // holds for the first number of a run of table numbers, even when a printed tab left only a narrow gap.
  if (at.numeric && (at.prevNumeric || at.nextNumericAfterCellGap)) return SPACE_GAP_LATIN;
  // A number that ends the line after a visible gap is a table value, not part of its label.
  if (at.numeric && at.last) return SPACE_GAP_CJK;
  return at.numeric || at.prevNumeric ? NUMBER_CELL_GAP : CELL_GAP;
}

function cellsOf(items: TextItem[], y: number): Fragment[] {
  const byX = [...items].sort((a, b) => a.x - b.x);
  const texts = byX.map((it) => it.str.replace(/\s+/g, ' ').trim());
  const cells: Fragment[] = [];
  byX.forEach((item, i) => {
    const text = texts[i] ?? '';
    const prev = cells.at(-1);
    if (!prev) {
      cells.push({ text, x0: item.x, x1: item.x + item.width, y, size: item.fontSize });
      return;
    }
    const size = Math.max(prev.size, item.fontSize);
    const gap = item.x - prev.x1;
    const next = byX[i + 1];
    const nextText = texts[i + 1];
    const cellGap = cellGapBetween({
      prevNumeric: isNumericCell(prev.text),
      numeric: isNumericCell(text),
      nextNumericAfterCellGap:
        next !== undefined &&
        nextText !== undefined &&
        isNumericCell(nextText) &&
        next.x - (item.x + item.width) >= NUMBER_CELL_GAP * size,
      last: next === undefined,
    });
    if (gap >= cellGap * size) {
      cells.push({ text, x0: item.x, x1: item.x + item.width, y, size: item.fontSize });
      return;
    }
    const cjk = isCjk(prev.text.at(-1)) || isCjk(text[0]);
    const space = gap > (cjk ? SPACE_GAP_CJK : SPACE_GAP_LATIN) * size;
    prev.text = space ? `${prev.text} ${text}` : prev.text + text;
    prev.x1 = Math.max(prev.x1, item.x + item.width);
  });
  return cells;
}

const numericCells = (line: RawLine): Fragment[] => line.cells.filter((c) => isNumericCell(c.text));

/** A row of a statistics table: numbers beside (or under) a label. */
function isNumberRow(line: RawLine): boolean {
  const numbers = numericCells(line).length;
  return numbers >= 2 || (numbers === 1 && line.cells.length >= 2);
}

/** Can this label-only line be part of that row's label column? */
function foldsInto(label: RawLine, row: RawLine): boolean {
  if (numericCells(label).length > 0 || isNumberRow(label)) return false;
  const firstNumber = Math.min(...numericCells(row).map((c) => c.x0));
  if (label.cells.some((c) => c.x1 > firstNumber - LABEL_CLEARANCE * row.size)) return false;
  if (Math.abs(label.size - row.size) > LABEL_SIZE_TOLERANCE * row.size) return false;
  return Math.abs(label.y - row.y) <= FOLD_DISTANCE * row.size;
}

/** Joins fragments that share a column (x ranges overlap) top to bottom; columns stay left to right. */
function mergeColumns(fragments: Fragment[]): Cell[] {
  const sorted = [...fragments].sort((a, b) => a.x0 - b.x0);
  const groups: Fragment[][] = [];
  for (const f of sorted) {
    const group = groups.at(-1);
    const overlaps = group?.some(
      (g) => f.x0 < g.x1 - COLUMN_OVERLAP * f.size && !isNumericCell(g.text) && !isNumericCell(f.text),
    );
    if (group && overlaps) group.push(f);
    else groups.push([f]);
  }
  return groups.map((group) => {
    const ordered = [...group].sort((a, b) => b.y - a.y || a.x0 - b.x0);
    return {
      text: ordered.map((f) => f.text).reduce(joinFragments, ''),
      x0: Math.min(...group.map((f) => f.x0)),
      x1: Math.max(...group.map((f) => f.x1)),
    };
  });
}

/** Coordinates are kept to a tenth of a point: finer is noise from pdf.js's float arithmetic. */
const round = (n: number): number => Math.round(n * 10) / 10;

/** A label line that continues a stacked label already folded into a row (labels of 3+ lines). */
function continuesStack(label: RawLine, folded: RawLine, row: RawLine): boolean {
  if (Math.abs(label.y - folded.y) > STACK_DISTANCE * row.size) return false;
  return label.cells.some((a) => folded.cells.some((b) => a.x0 < b.x1 && b.x0 < a.x1));
}

export function layoutPage(items: TextItem[]): Line[] {
  const raw = groupLines(items);
  const rows = raw.flatMap((line, i) => (isNumberRow(line) ? [i] : []));
  const nearestRow = (i: number): number => {
    const y = raw[i]?.y ?? 0;
    let best = -1;
    for (const j of rows)
      if (best < 0 || Math.abs((raw[j]?.y ?? 0) - y) < Math.abs((raw[best]?.y ?? 0) - y)) best = j;
    return best;
  };
  // Each label-only line goes to the nearest number row it can belong to (ties go to the row above,
  // which is where a top-aligned cell continues).
  const target = new Map<number, number>();
  raw.forEach((line, i) => {
    if (isNumberRow(line)) return;
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const j of rows) {
      const row = raw[j];
      if (!row || Math.abs(j - i) > FOLD_REACH_LINES || !foldsInto(line, row)) continue;
      const distance = Math.abs(row.y - line.y) + (j > i ? BELOW_TIE_BREAK : 0);
      if (distance < bestDistance) {
        best = j;
        bestDistance = distance;
      }
    }
    if (best >= 0) target.set(i, best);
  });
  // Then labels of three or more lines: a line stacked on an already folded line of the same column
  // joins that row, unless another row of numbers is nearer.
  for (let changed = true; changed; ) {
    changed = false;
    raw.forEach((line, i) => {
      if (target.has(i) || isNumberRow(line)) return;
      for (const [k, t] of target) {
        const folded = raw[k];
        const row = raw[t];
        if (!folded || !row || Math.abs(k - i) > STACK_REACH_LINES || nearestRow(i) !== t) continue;
        if (!foldsInto({ ...line, y: row.y }, row) || !continuesStack(line, folded, row)) continue;
        target.set(i, t);
        changed = true;
        return;
      }
    });
  }
  const lines: Line[] = [];
  raw.forEach((line, i) => {
    if (target.has(i)) return;
    const piped = pipeRow(line);
    if (piped) {
      lines.push(piped);
      return;
    }
    if (!isNumberRow(line)) {
      lines.push({
        cells: line.cells.map(({ text, x0, x1 }) => ({ text, x0: round(x0), x1: round(x1) })),
        table: false,
      });
      return;
    }
    const fragments = [...line.cells];
    for (const [from, to] of target) if (to === i) fragments.push(...(raw[from]?.cells ?? []));
    const cells = mergeColumns(fragments).map((c) => ({ ...c, x0: round(c.x0), x1: round(c.x1) }));
    lines.push({ cells, table: true });
  });
  return rejoinWrappedRows(lines);
}

/** A flattened web page printed to PDF keeps its `a | b | c |` rows: split them like plain text. */
function pipeRow(line: RawLine): Line | null {
  const text = line.cells.map((c) => c.text).join(' ');
  if ((text.match(/\|/g)?.length ?? 0) < 2) return null;
  return textToLine(text);
}

/**
 * A text file printed to PDF wraps a long table row at the right margin: its last numbers continue on a
 * line of their own at the left margin. Such a numbers-only line is put back at the end of its row.
 */
function rejoinWrappedRows(lines: Line[]): Line[] {
  const cellsOfAll = lines.flatMap((l) => l.cells);
  if (cellsOfAll.length === 0) return lines;
  const left = Math.min(...cellsOfAll.map((c) => c.x0));
  const right = Math.max(...cellsOfAll.map((c) => c.x1));
  const margin = WRAP_MARGIN * (right - left);
  const out: Line[] = [];
  for (const line of lines) {
    const prev = out.at(-1);
    const numbersOnly = line.cells.length > 0 && line.cells.every((c) => isNumericCell(c.text));
    const prevLast = prev?.cells.at(-1);
    if (
      prev?.table &&
      prevLast &&
      isNumericCell(prevLast.text) &&
      prevLast.x1 >= right - margin &&
      numbersOnly &&
      (line.cells[0]?.x0 ?? 0) <= left + margin
    ) {
      prev.cells.push(...line.cells);
      continue;
    }
    out.push(line);
  }
  return out;
}
