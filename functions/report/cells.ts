import type { Cell, Line, OcrCell } from '../extract/index.ts';
import { toHalfWidth } from './normalize.ts';

/**
 * What a table cell holds, with one name per state from reading a line to validation: `number`; `na` is
 * "/" or "—" (not applicable: null and not missing); `blank` was printed empty; `invalid` is text in a
 * value position that is no number (无, 两). Placing cells in columns adds two states (tables/parsed.ts).
 */
export type CellValue =
  | { state: 'number'; value: number }
  | { state: 'na' }
  | { state: 'blank' }
  | { state: 'invalid'; text: string };

/** A value read off a line: its state, its text as printed and where it sits (and how OCR read it). */
export type ValueCell = CellValue & { text: string; x0: number; x1: number; ocr?: OcrCell };

const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;
const GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const NOT_APPLICABLE = /^(?:[/\\—–\-─━]+|不适用)$/;
const NON_NUMBER_VALUE = /^(?:无|暂无|空)$/;

/** Classifies a cell's text as a value, or returns null when it is label text. */
export function readValue(cell: Cell): ValueCell | null {
  const text = toHalfWidth(cell.text).trim().replace(/件$/, '');
  const base = { text: cell.text, x0: cell.x0, x1: cell.x1, ...(cell.ocr ? { ocr: cell.ocr } : {}) };
  // A scanned cell with ink the OCR could not read comes with no text: it was not printed empty.
  if (text === '') return cell.ocr ? { ...base, state: 'invalid' } : { ...base, state: 'blank' };
  if (NUMBER.test(text)) return { ...base, state: 'number', value: Number(text) };
  if (GROUPED.test(text)) return { ...base, state: 'number', value: Number(text.replace(/,/g, '')) };
  if (NOT_APPLICABLE.test(text)) return { ...base, state: 'na' };
  if (NON_NUMBER_VALUE.test(text)) return { ...base, state: 'invalid' };
  return null;
}

export interface RowCells {
  /** Label text: every label cell of the line, joined. */
  label: string;
  /** The last label cell, which may be a value written in words (两) when the row is a number short. */
  lastLabelCell: Cell | null;
  /** The cells after the last label cell. */
  values: ValueCell[];
}

/**
 * Splits a table line into its label and the value cells that follow it. Text after the first number is
 * in a value position: short text there is an invalid value (两, 无), not more label; longer text is a
 * stray label fragment of another row and is dropped.
 */
export function splitRow(line: Line): RowCells {
  const read = line.cells.map(readValue);
  const firstValue = read.findIndex((v) => v !== null && (v.state === 'number' || v.state === 'na'));
  let lastLabel = -1;
  read.forEach((v, i) => {
    if (v === null && (firstValue < 0 || i < firstValue)) lastLabel = i;
  });
  const label = line.cells
    .slice(0, lastLabel + 1)
    .map((c) => c.text)
    .join(' ');
  const values: ValueCell[] = [];
  line.cells.forEach((cell, i) => {
    if (i <= lastLabel) return;
    const v = read[i];
    if (v !== null && v !== undefined) values.push(v);
    else if (cell.text.trim().length <= 6)
      values.push({
        state: 'invalid',
        text: cell.text,
        x0: cell.x0,
        x1: cell.x1,
        // A scan's misread keeps how OCR read it: validation never blames the agency for it.
        ...(cell.ocr ? { ocr: cell.ocr } : {}),
      });
  });
  return { label, lastLabelCell: line.cells[lastLabel] ?? null, values };
}

export function countNumbers(values: readonly ValueCell[]): number {
  return values.filter((v) => v.state !== 'blank').length;
}

/** A page number line (- 3 -, 第 3 页, 3/5) that lands inside a table on a page break. */
export function isPageFooter(text: string): boolean {
  return /^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)\s*$/.test(
    text,
  );
}

/**
 * When a printout glued a row's last number to its label ("…不计其他情形) 0", "申请数量801000081"), the
 * trailing digits are the row's first value. Only digits after a space, a bracket or the end of the label
 * text qualify, so "8.属于行政查询事项" keeps its 8.
 */
export function peelTrailingNumber(label: string): { label: string; digits: string } | null {
  const m = /^(.*?[^\d.\s,])\s*(\d+)$/.exec(label.trim());
  if (m === null || m[1] === undefined || m[2] === undefined) return null;
  return { label: m[1], digits: m[2] };
}
