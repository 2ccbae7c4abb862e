import { z } from 'zod';

/**
 * The extracted form of any report file: pages → lines → cells, in reading order. One definition: the
 * schema below, from which the types are inferred; the claim-check envelope (functions/pipeline/
 * envelope.ts) checks a stored extraction against the same schema.
 *
 * A table row is one line whose cells are the row's cells. Cell positions are kept so that later stages
 * can align cells to columns: for PDF they are x coordinates in points, for HTML/DOCX/TXT tables they are
 * grid column indices (a cell spanning two columns has x1 - x0 = 2).
 */
export const SourceFormat = z.enum(['pdf', 'docx', 'html', 'text']);
export type SourceFormat = z.infer<typeof SourceFormat>;

/** How an OCR'd cell was read: the recogniser's confidence and where on which page. */
export const OcrCell = z.object({
  /** Lowest per-character probability of the reading, 0–1. */
  confidence: z.number(),
  page: z.number().int(),
  /** The ink's box on the page, in points from the top left: x0, y0, x1, y1. */
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]),
});
export type OcrCell = z.infer<typeof OcrCell>;

export const Cell = z.object({
  text: z.string(),
  x0: z.number(),
  x1: z.number(),
  /** Present when the cell was read by OCR from a scanned page (functions/extract/ocr). */
  ocr: OcrCell.optional(),
});
export type Cell = z.infer<typeof Cell>;

/** What the OCR did to a document with scanned pages. */
export const OcrSummary = z.object({
  engine: z.string(),
  model: z.string(),
  /** The pages read by OCR (1-based); the other pages had a text layer. */
  pages: z.array(z.number().int()),
  /** Mean confidence of the OCR'd cells, 0–1. */
  meanConfidence: z.number(),
});
export type OcrSummary = z.infer<typeof OcrSummary>;

export const Line = z.object({
  cells: z.array(Cell),
  /** True when the line came from a table row (markup table, tab/pipe table, or a PDF row of numbers). */
  table: z.boolean(),
});
export type Line = z.infer<typeof Line>;

export const Page = z.object({
  /** 1-based page number; formats without pages have a single page 1. */
  number: z.number().int(),
  lines: z.array(Line),
});
export type Page = z.infer<typeof Page>;

export const ExtractedDocument = z.object({
  format: SourceFormat,
  pages: z.array(Page),
  /** Text encoding for plain text and HTML input ('utf-8', 'utf-16le', 'gb18030'). */
  encoding: z.string().optional(),
  /** Non-fatal notes from the extractor (e.g. pdf.js warnings that did not lose text). */
  warnings: z.array(z.string()),
  /** Present when some pages were scans read by OCR. */
  ocr: OcrSummary.optional(),
});
export type ExtractedDocument = z.infer<typeof ExtractedDocument>;

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
