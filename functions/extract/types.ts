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

export const Cell = z.object({ text: z.string(), x0: z.number(), x1: z.number() });
export type Cell = z.infer<typeof Cell>;

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
