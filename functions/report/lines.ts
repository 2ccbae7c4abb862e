import type { Cell, ExtractedDocument } from '../extract/index.ts';
import { isPageFooter } from './cells.ts';
import { normalizeLabel } from './normalize.ts';
import { rebuildCellStreams, type StreamLine } from './tables/cell-stream.ts';

/** One line of the document in reading order, with the page it is on and its normalised text. */
export interface DocLine {
  index: number;
  page: number;
  cells: Cell[];
  table: boolean;
  /** Cells joined with a space. */
  text: string;
  /** normalizeLabel(text): no spaces, half-width, no markdown. */
  norm: string;
  /**
   * The cells sit at their index, not at a printed position (a row rebuilt from a cell stream or cut from
   * a flattened line): such a row is never placed in columns by position.
   */
  unpositioned?: boolean;
  /** Each value cell is one cell as printed (a row rebuilt from a cell stream): its digits are never split. */
  wholeCells?: boolean;
}

export function docLine(
  line: StreamLine,
  index = 0,
  text = line.cells
    .map((c) => c.text)
    .join(' ')
    .trim(),
): DocLine {
  return {
    index,
    page: line.page,
    cells: line.cells,
    table: line.table,
    text,
    norm: normalizeLabel(text),
    ...(line.unpositioned === true ? { unpositioned: true } : {}),
    ...(line.wholeCells === true ? { wholeCells: true } : {}),
  };
}

/** The pages' lines in reading order as printed: no cell stream rebuilt, nothing dropped. */
export function printedLines(doc: ExtractedDocument): DocLine[] {
  return doc.pages.flatMap((page) =>
    page.lines.map((line) => docLine({ page: page.number, cells: line.cells, table: line.table })),
  );
}

/**
 * Flattens pages into one list of lines, rebuilding tables printed one cell per line into rows
 * (tables/cell-stream.ts) and dropping blank lines and page-number footers that fall inside tables.
 */
export function documentLines(doc: ExtractedDocument): DocLine[] {
  return streamLines(
    doc.pages.flatMap((page) =>
      page.lines.map((line) => ({ page: page.number, cells: line.cells, table: line.table })),
    ),
  );
}

/** Lines with their cell streams rebuilt into rows, blank markers and page footers dropped, reindexed. */
export function streamLines(raw: readonly (StreamLine | DocLine)[]): DocLine[] {
  // A line given as a DocLine and left as it was keeps its text (normalising it again is most of the cost).
  const given = new Set(raw);
  const lines: DocLine[] = [];
  for (const line of rebuildCellStreams(raw)) {
    if (given.has(line) && 'norm' in line) {
      if (line.text !== '' && !/^[|｜\s]+$/.test(line.text) && !isPageFooter(line.text))
        lines.push({ ...line, index: lines.length });
      continue;
    }
    const text = line.cells
      .map((c) => c.text)
      .join(' ')
      .trim();
    // A lone `|` or `||` (a cell stream's padding) that no table row took is no text either.
    if (text === '' || /^[|｜\s]+$/.test(text) || isPageFooter(text)) continue;
    lines.push(docLine(line, lines.length, text));
  }
  return lines;
}
