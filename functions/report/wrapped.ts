import type { SourceFormat } from '../extract/index.ts';
import { type DocLine, docLine } from './lines.ts';
import { isHeadingLine } from './sections.ts';

/**
 * Lines wrapped at a margin, put back together. A crawled page saved as text and printed, or pasted into a
 * narrow box, breaks its long lines wherever the margin falls: inside a heading (`二、主动公开政` / `府信息
 * 情况`), inside a digit run of cells that ran together (`6400` / `20470`). Before sections and tables are
 * read, each line that ends at the margin is joined with the one after it, with nothing in between (a
 * wrap adds no character; where it took a space, the cell boundary is lost, which only leaves the solver
 * more readings, never a wrong one).
 *
 * A line ends at the margin when the first word of the next line would not have fitted on it: the margin
 * is the widest line's end, and a word is what a printer keeps together (one CJK character with the
 * punctuation that may not start or end a line, or a run of Latin letters and digits). The margin must
 * be evidenced by several lines that reach it, so ordinary paragraphs of a document are left alone.
 */

/** Lines that must reach the margin before it is taken for one. */
const MIN_AT_MARGIN = 3;
/** A margin narrower than this many columns (two per CJK character) is a list, not wrapped prose. */
const MIN_MARGIN_COLUMNS = 30;
/** How far a line may end short of the margin and still reach it, in columns (a full-width character). */
const AT_MARGIN_SLACK = 2;
/** The first-line indent a wrapped paragraph may have, in columns (two CJK characters). */
const INDENT = 4;
/** Relative difference in column width above which two lines are in different type sizes. */
const SAME_SIZE = 0.2;
/** How far past the margin the longest line may run (a few glyphs wider than measured), in columns. */
const PAST_MARGIN = 4;
/**
 * Columns a wrapped line may fall short of what the next word needs: a space the wrap swallowed, a glyph a
 * little narrower than the measure.
 */
const WRAP_SLACK = 1.5;
/** How far right of the left margin a continued line may start, in columns (an indented line is a new paragraph). */
const LEFT_SLACK = 1;

/** A line that opens with a field's name: `发布时间: 2022-02-08`, `栏目：政府信息公开年报`. */
const FIELD_START = /^[\u4e00-\u9fff]{2,6}\s*[:：]/;

const WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u2014\u2018-\u201d]/;
/** Punctuation a line may not start with (it stays with the character before it). */
const NO_START = /[，。、；：？！）》」』】〕”’,.;:?!)\]%]/;
/** Punctuation a line may not end with (it moves on with the character after it). */
const NO_END = /[（《「『【〔“‘([]/;

/** Display columns of a text: two for a CJK or full-width character (the ranges of WIDE), one otherwise. */
export const columnsOf = (text: string): number => {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const wide =
      (c >= 0x2e80 && c <= 0x9fff) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xff00 && c <= 0xffef) ||
      c === 0x2014 ||
      (c >= 0x2018 && c <= 0x201d);
    n += wide ? 2 : 1;
  }
  return n;
};

/**
 * The columns of what a printer keeps together at the start of a line: opening punctuation with what
 * follows it, one CJK character or a run of Latin letters and digits, the punctuation that may not start a
 * line, and after a quotation mark the digits glued to it (`定”0000000`: no break around quotation marks).
 */
function firstWordColumns(text: string): number {
  let i = 0;
  const chars = [...text];
  const at = (k: number) => chars[k] ?? '';
  while (i < chars.length && NO_END.test(at(i))) i++;
  if (i < chars.length && WIDE.test(at(i))) i++;
  else while (i < chars.length && LATIN.test(at(i))) i++;
  if (i === 0) i = 1;
  while (i < chars.length && (NO_START.test(at(i)) || QUOTE.test(at(i)))) {
    i++;
    if (QUOTE.test(at(i - 1))) while (i < chars.length && LATIN.test(at(i))) i++;
  }
  return columnsOf(chars.slice(0, i).join(''));
}

const LATIN = /[A-Za-z0-9.%\-_/:]/;
const QUOTE = /[”’"']/;

interface Measured {
  line: DocLine;
  /** Left and right end, and the width of one column, in the pass's units (points, or columns). */
  left: number;
  right: number;
  column: number;
  /** The width of one column in the format's units, to tell type sizes apart (points, or 1). */
  size: number;
  /** What shares a margin: the page, or the whole document for a count of columns. */
  group: number;
}

/** A prose line's extent: one cell (text), or cells close together that fill the line (PDF). */
function measure(line: DocLine, format: SourceFormat): Measured | null {
  if (line.text === '') return null;
  if (format !== 'pdf') {
    if (line.cells.length !== 1 || line.table) return null;
    const lead = /^\s*/.exec(line.cells[0]?.text ?? '')?.[0].length ?? 0;
    const right = lead + columnsOf(line.text);
    return { line, left: lead, right, column: 1, size: 1, group: line.page };
  }
  const first = line.cells[0];
  const last = line.cells.at(-1);
  if (first === undefined || last === undefined) return null;
  // A table row the printer wrapped, put back together by the extraction: its cells start again at the left
  // margin. Its pieces are no prose line, and its end is no margin.
  if (line.cells.some((c, k) => k > 0 && c.x0 < (line.cells[k - 1]?.x0 ?? 0))) return null;
  const extent = last.x1 - first.x0;
  const inked = line.cells.reduce((s, c) => s + (c.x1 - c.x0), 0);
  // A table row's cells stand apart; a prose line's fill it (its gaps are spaces).
  if (!(extent > 0) || inked < 0.85 * extent) return null;
  const column = extent / Math.max(1, columnsOf(line.cells.map((c) => c.text).join(' ')));
  return { line, left: first.x0, right: last.x1, column, size: column, group: line.page };
}

/**
 * A PDF's prose lines counted in columns, once the page's margin has joined what it wrapped. Text
 * hard-wrapped at a count of columns before it was printed ends where the count fell, not at one place on
 * the page (digits and punctuation print wider or narrower than half an ideograph); where the count was
 * wider than the page, the printer wrapped each such line again and the page's margin joined the pieces.
 * So a line's end is counted from the last count-wrapped line in it (see lastCountLine). The count is the
 * one at which most lines at least that long end (none when no count is evident).
 */
function measureColumns({ lines, sizes, pieces }: Rejoined): (Measured | null)[] {
  const physical = lines.map((l) => measure(l, 'pdf'));
  const lefts = new Map<number, number>();
  for (const m of physical) {
    if (m !== null) lefts.set(m.line.page, Math.min(lefts.get(m.line.page) ?? m.left, m.left));
  }
  const counted = physical.map((m) => (m === null ? null : { m, columns: columnsOf(m.line.text) }));
  const all = counted.flatMap((c) => (c === null ? [] : [c.columns]));
  // Where the count fitted the page, the page's margin may have been found at its longest lines and joined
  // them into runs that no longer show it, or show a multiple of it (runs of two or three lines): their
  // printed lines still show the count itself.
  const printed = counted.flatMap((c, k) => (c === null ? [] : (pieces[k] ?? [])));
  const joined = columnCount(all);
  const own = columnCount(printed);
  const width = joined === null || (own !== null && isMultipleOf(joined, own)) ? own : joined;
  if (width === null) return physical.map(() => null);
  return counted.map((c, k) => {
    if (c === null) return null;
    const { m, columns } = c;
    // In columns of its first printed line's type: a line the page's margin joined spans many lines, and its
    // own extent over its columns is no column's width.
    const size = sizes[k] ?? m.size;
    const left = Math.round((m.left - (lefts.get(m.line.page) ?? m.left)) / size);
    const right = left + lastCountLine(pieces[k] ?? [columns], width);
    return { ...m, left, right, column: 1, size, group: COLUMN_GROUP };
  });
}

/** Whether a count is two or more times another, each within AT_MARGIN_SLACK. */
function isMultipleOf(count: number, of: number): boolean {
  const times = Math.round(count / of);
  return times >= 2 && Math.abs(count - times * of) <= times * AT_MARGIN_SLACK;
}

/** The margin group of lines counted in columns (the whole document). */
const COLUMN_GROUP = -1;
/** The share of the lines at least a count long that must end at it (or at a multiple of it). */
const COUNT_SHARE = 0.6;

/** The count of columns lines were wrapped at: see measureColumns. */
function columnCount(columns: readonly number[]): number | null {
  const counts: { width: number; near: number }[] = [];
  for (const width of new Set(columns)) {
    if (width < MIN_MARGIN_COLUMNS) continue;
    const long = columns.filter((c) => c >= width - AT_MARGIN_SLACK);
    const near = long.filter((c) => endsAtCount(c, width)).length;
    if (near >= MIN_AT_MARGIN && near >= COUNT_SHARE * long.length) counts.push({ width, near });
  }
  // Lines of twice a count end at half of it too: of the counts most lines end at, the widest.
  const most = Math.max(0, ...counts.map((c) => c.near));
  const widest = counts.filter((c) => c.near >= NEAR_MOST * most).sort((a, b) => b.width - a.width)[0];
  return widest?.width ?? null;
}
/**
 * Whether a line of `columns` ends where a count-wrapped line ends: its last count-wrapped line within
 * AT_MARGIN_SLACK of the count, each one before it perhaps a column short (an ideograph that did not fit),
 * up to MAX_DRIFT columns in all.
 */
function endsAtCount(columns: number, width: number): boolean {
  const before = Math.ceil(columns / width) - 1;
  const rest = ((columns - 1) % width) + 1;
  return rest >= width - AT_MARGIN_SLACK - Math.min(before, MAX_DRIFT);
}
/**
 * The columns of the last count-wrapped line in a line the page's margin joined from printed pieces. A
 * count-wrapped line ends after a piece where it reaches the count (within AT_MARGIN_SLACK: a wide
 * character that did not fit) and the next piece would not fit on it; pieces the printer cut from one
 * count-wrapped line add up to it (`…中华人民共和国政府` / `信`). Counted piece by piece, a page whose
 * count-wrapped lines each fell a column or two short (the margin, fitting the page, was mistaken for the
 * page's) does not drift; past the count's slack, the columns are taken modulo the count as before.
 */
function lastCountLine(pieces: readonly number[], width: number): number {
  let line = 0;
  for (const piece of pieces) {
    if (line >= width - AT_MARGIN_SLACK && line + piece > width + AT_MARGIN_SLACK) line = 0;
    line += piece;
  }
  if (line <= width + AT_MARGIN_SLACK) return line >= width - AT_MARGIN_SLACK ? width : line;
  return endsAtCount(line, width) ? width : ((line - 1) % width) + 1;
}
/** The most columns the count-wrapped lines joined in one may fall short of their counts together. */
const MAX_DRIFT = 8;
/** How near the most lines a count must come to be taken over a narrower one. */
const NEAR_MOST = 0.8;

/**
 * The lines with every run of margin-wrapped lines joined into one line: in a PDF first where lines
 * reach the page's margin, then where they reach a count of columns (text wrapped before it was printed,
 * the longer lines wrapped again by the printer).
 */
export function rejoinWrappedLines(lines: readonly DocLine[], format: SourceFormat): DocLine[] {
  const once = rejoin(
    lines,
    lines.map((l) => measure(l, format)),
  );
  return format === 'pdf' ? rejoin(once.lines, measureColumns(once)).lines : once.lines;
}

/**
 * Where the lines of a page end when they were wrapped: the MIN_AT_MARGIN-th longest line's end (one line
 * run past it, a wider glyph, does not move it), when the longest lines end together there (the longest
 * lines of ordinary paragraphs end anywhere).
 */
function rightMargin(mine: readonly Measured[]): number | null {
  const rights = mine.map((m) => m.right).sort((a, b) => b - a);
  if (rights.length < MIN_AT_MARGIN) return null;
  const column = mine[0]?.column ?? 1;
  const right = rights[MIN_AT_MARGIN - 1] ?? 0;
  return (rights[0] ?? 0) - right <= PAST_MARGIN * column ? right : null;
}

/** The lines joined, and the type size of each (its first line's; undefined where not measured). */
interface Rejoined {
  lines: DocLine[];
  sizes: (number | undefined)[];
  /** The columns of each line joined into each (one for a line left alone). */
  pieces: number[][];
}

function rejoin(lines: readonly DocLine[], measured: readonly (Measured | null)[]): Rejoined {
  // Margins per page (a PDF's pages share them; text has one page or form-fed ones). The right margin is
  // where the MIN_AT_MARGIN-th longest line ends: one line run past it (a wider glyph) does not move it.
  const margins = new Map<number, { left: number; right: number }>();
  // A page with too few lines to show its margin (the last lines of a report) has the document's: its
  // pages are one paper, so a line there that fills it was wrapped as the others were.
  const shared = rightMargin(measured.filter((m): m is Measured => m !== null));
  for (const group of new Set(measured.map((m) => m?.group))) {
    const mine = measured.filter((m): m is Measured => m !== null && m.group === group);
    const right = rightMargin(mine) ?? shared;
    if (group === undefined || right === null) continue;
    margins.set(group, { left: Math.min(...mine.map((m) => m.left)), right });
  }
  const reaches = (m: Measured) => {
    const margin = margins.get(m.group);
    return margin !== undefined && m.right >= margin.right - AT_MARGIN_SLACK * m.column;
  };
  const atMargin = measured.filter((m) => m !== null && reaches(m)).length;
  if (atMargin < MIN_AT_MARGIN)
    return {
      lines: [...lines],
      sizes: measured.map((m) => m?.size),
      pieces: lines.map((l) => [columnsOf(l.text)]),
    };

  const wraps = (m: Measured, next: Measured): boolean => {
    const margin = margins.get(m.group);
    const nextMargin = margins.get(next.group);
    if (margin === undefined || nextMargin === undefined) return false;
    if (next.left > nextMargin.left + LEFT_SLACK * next.column) return false;
    // A paragraph's first line may be indented; a centred line (a title) is not prose that wraps.
    if (m.left > margin.left + INDENT * m.column) return false;
    // A title or heading in a larger size than the text under it is no part of that text.
    if (Math.abs(m.size - next.size) > SAME_SIZE * Math.max(m.size, next.size)) return false;
    // A heading on a line of its own starts a section, even after a paragraph that happened to fill its line;
    // so does a field of a page's header block (发布时间: …, 来源：…) after a title that did.
    if (isHeadingLine(next.line, m.line.text) || FIELD_START.test(next.line.text)) return false;
    if ((margin.right - margin.left) / m.column < MIN_MARGIN_COLUMNS) return false;
    const word = firstWordColumns(next.line.text.trimStart()) * m.column;
    return m.right + word + WRAP_SLACK * m.column > margin.right;
  };
  const out: DocLine[] = [];
  const sizes: (number | undefined)[] = [];
  const pieces: number[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as DocLine;
    let m = measured[i];
    sizes.push(m?.size);
    let text = line.text;
    let j = i;
    while (m != null) {
      const next = measured[j + 1];
      if (next == null || !wraps(m, next)) break;
      text += next.line.text;
      m = next;
      j++;
    }
    pieces.push(lines.slice(i, j + 1).map((l) => columnsOf(l.text)));
    if (j === i) {
      out.push(line);
      continue;
    }
    // The joined line spans the widest of its lines.
    const x0 = line.cells[0]?.x0 ?? 0;
    const x1 = Math.max(...lines.slice(i, j + 1).map((l) => l.cells.at(-1)?.x1 ?? 0));
    out.push(
      docLine(
        {
          page: line.page,
          cells: [{ text, x0, x1 }],
          table: false,
        },
        0,
        text,
      ),
    );
    i = j;
  }
  return { lines: out.map((l, index) => ({ ...l, index })), sizes, pieces };
}
