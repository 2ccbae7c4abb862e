import { isPageChrome } from './chrome.ts';
import type { Cell, ExtractedDocument, Line, Page } from './types.ts';

/**
 * Plain text: tab-separated rows (office "save as text", spreadsheet copies), pipe rows as flattened web
 * pages print them (`a | b | c |`), and markdown tables. Empty cells are kept because their position is
 * what tells a blank table cell from an absent one. A form feed starts a new page. A line of nothing but
 * pipes stays as it is (a cell stream's `|` row opener, `||` for an empty cell; see report/tables/cell-stream.ts).
 */
const MARKDOWN_RULE = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

function splitPipes(text: string): string[] {
  let t = text.trim();
  if (t.startsWith('|')) t = t.slice(1);
  if (t.endsWith('|')) t = t.slice(0, -1);
  return t.split('|').map((c) => c.trim());
}

function isPipeRow(text: string): boolean {
  const pipes = text.split('|').length - 1;
  return pipes >= 2 || (pipes === 1 && /\|\s*$/.test(text));
}

export function textToLine(raw: string): Line | null {
  const text = raw.replace(/\r$/, '');
  if (text.trim() === '' || isPageChrome(text)) return null;
  // Pipes and nothing else: a cell stream's row opener (`|`) or an empty cell or padding (`||`). Kept as
  // printed so that the report stage can tell the two apart; no cell text of a table.
  if (/^[\s|]+$/.test(text))
    return { cells: [{ text: text.replace(/\s+/g, ''), x0: 0, x1: 1 }], table: false };
  let parts: string[];
  if (text.includes('\t')) parts = text.split('\t').map((c) => c.trim());
  else if (isPipeRow(text)) {
    if (MARKDOWN_RULE.test(text)) return null;
    parts = splitPipes(text);
  } else parts = [text.trim()];
  const cells: Cell[] = parts.map((part, i) => ({ text: part, x0: i, x1: i + 1 }));
  return { cells, table: cells.length > 1 };
}

export function extractPlainText(text: string, encoding: string): ExtractedDocument {
  const pages: Page[] = text
    .replace(/^\uFEFF/, '')
    .split('\f')
    .map((chunk, i) => ({
      number: i + 1,
      lines: chunk
        .split('\n')
        .map(textToLine)
        .filter((l): l is Line => l !== null),
    }));
  return { format: 'text', pages, encoding, warnings: [] };
}
