/**
 * The extracted form of any report file: pages → lines → cells, in reading order.
 *
 * A table row is one line whose cells are the row's cells. Cell positions are kept so that later stages
 * can align cells to columns: for PDF they are x coordinates in points, for HTML/DOCX/TXT tables they are
 * grid column indices (a cell spanning two columns has x1 - x0 = 2).
 */
export type SourceFormat = 'pdf' | 'docx' | 'html' | 'text';

export interface Cell {
  text: string;
  x0: number;
  x1: number;
  /** Present when the cell was read by OCR from a scanned page (functions/extract/ocr). */
  ocr?: OcrCell;
}

/** How an OCR'd cell was read: the recogniser's confidence and where on which page. */
export interface OcrCell {
  /** Lowest per-character probability of the reading, 0–1. */
  confidence: number;
  page: number;
  /** The ink's box on the page, in points from the top left: x0, y0, x1, y1. */
  box: [number, number, number, number];
}

/** What the OCR did to a document with scanned pages. */
export interface OcrSummary {
  engine: string;
  model: string;
  /** The pages read by OCR (1-based); the other pages had a text layer. */
  pages: number[];
  /** Mean confidence of the OCR'd cells, 0–1. */
  meanConfidence: number;
}

export interface Line {
  cells: Cell[];
  /** True when the line came from a table row (markup table, tab/pipe table, or a PDF row of numbers). */
  table: boolean;
}

export interface Page {
  /** 1-based page number; formats without pages have a single page 1. */
  number: number;
  lines: Line[];
}

export interface ExtractedDocument {
  format: SourceFormat;
  pages: Page[];
  /** Text encoding for plain text and HTML input ('utf-8', 'utf-16le', 'gb18030'). */
  encoding?: string;
  /** Non-fatal notes from the extractor (e.g. pdf.js warnings that did not lose text). */
  warnings: string[];
  /** Present when some pages were scans read by OCR. */
  ocr?: OcrSummary;
}

export const CELL_SEPARATOR = '\t';

/** The text rendering: one line per line, cells separated by a tab, pages separated by a form feed. */
export function renderText(doc: ExtractedDocument): string {
  return doc.pages
    .map((page) => page.lines.map((line) => line.cells.map((c) => c.text).join(CELL_SEPARATOR)).join('\n'))
    .join('\n\f\n');
}

export function lineText(line: Line): string {
  return line.cells.map((c) => c.text).join(CELL_SEPARATOR);
}
