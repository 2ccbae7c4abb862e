import type { OcrCell } from '../../extract/index.ts';
import type { CellValue, ValueCell } from '../cells.ts';
import type { ProactiveKey, RequestRow } from '../template.ts';

/**
 * A table cell as the parser placed it: a value's state (cells.ts), or `unreadable`, a cell that could
 * not be placed (a flattened row whose split is not unique), or `absent`, a cell of a row the report left
 * out.
 */
export type ParsedCell = ((CellValue & { ocr?: OcrCell }) | { state: 'unreadable' } | { state: 'absent' }) & {
  /** How OCR read the cell, on a scanned page: validation never blames the agency for a doubtful read. */
  ocr?: OcrCell;
};

export const ABSENT: ParsedCell = { state: 'absent' };
export const UNREADABLE: ParsedCell = { state: 'unreadable' };

/** A placed value without its position; an empty place is a blank cell. */
export function fromValue(v: ValueCell | null | undefined): ParsedCell {
  if (v === null || v === undefined) return { state: 'blank' };
  const ocr = v.ocr ? { ocr: v.ocr } : {};
  if (v.state === 'number') return { state: 'number', value: v.value, ...ocr };
  if (v.state === 'invalid') return { state: 'invalid', text: v.text, ...ocr };
  return { state: v.state, ...ocr };
}

/** A one-number row's cell, as against a row of named columns (section 2). */
export function isCell(v: ParsedCell | Readonly<Record<string, ParsedCell>>): v is ParsedCell {
  return typeof v.state === 'string';
}

/** A note the parser leaves for validation: rows it recovered or could not read, extra cells. */
export interface TableNote {
  kind: 'recovered' | 'unreadable' | 'extraCells';
  row?: RequestRow | ProactiveKey;
  group?: string;
  /** For `unreadable`: the only cells of the row (or group) left open; absent when none could be read. */
  columns?: string[];
  detail: string;
}

/** A digit string as a synthetic value cell (a number peeled off a label or split from a flattened row). */
export function digitCell(digits: string, x: number): ValueCell {
  return { state: 'number', value: Number(digits), text: digits, x0: x, x1: x };
}
