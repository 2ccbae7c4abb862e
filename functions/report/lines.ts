import type { Cell, ExtractedDocument } from '../extract/index.ts';
import { isPageFooter } from './cells.ts';
import { normalizeLabel } from './normalize.ts';

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
}

/** Flattens pages into one list of lines, dropping page-number footers that fall inside tables. */
export function documentLines(doc: ExtractedDocument): DocLine[] {
  const lines: DocLine[] = [];
  for (const page of doc.pages) {
    for (const line of page.lines) {
      const text = line.cells
        .map((c) => c.text)
        .join(' ')
        .trim();
      if (text === '' || isPageFooter(text)) continue;
      lines.push({
        index: lines.length,
        page: page.number,
        cells: line.cells,
        table: line.table,
        text,
        norm: normalizeLabel(text),
      });
    }
  }
  return lines;
}
