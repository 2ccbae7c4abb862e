import type { ValueCell } from '../cells.ts';

/**
 * A table cell as the parser read it. `number` holds a value; `na` is "/" or "—" (not applicable);
 * `blank` was printed empty; `invalid` holds text that is no number; `unreadable` could not be placed
 * (a flattened row whose split is not unique); `absent` belongs to a row the report left out.
 */
export type CellState = 'number' | 'na' | 'blank' | 'invalid' | 'unreadable' | 'absent';

export interface ParsedCell {
  state: CellState;
  value: number | null;
  /** The printed text, for `invalid` cells. */
  text?: string;
}

export const ABSENT: ParsedCell = { state: 'absent', value: null };
export const UNREADABLE: ParsedCell = { state: 'unreadable', value: null };

export function fromValue(v: ValueCell | null | undefined): ParsedCell {
  if (v === null || v === undefined || v.kind === 'empty') return { state: 'blank', value: null };
  if (v.kind === 'na') return { state: 'na', value: null };
  if (v.kind === 'invalid') return { state: 'invalid', value: null, text: v.text };
  return { state: 'number', value: v.value };
}

/** A note the parser leaves for validation: rows it recovered or could not read, extra cells. */
export interface TableNote {
  kind: 'recovered' | 'unreadable' | 'extraCells';
  row?: string;
  group?: string;
  /** For `unreadable`: the only cells of the row (or group) left open; absent when none could be read. */
  columns?: string[];
  detail: string;
}

/** A digit string as a synthetic value cell (a number peeled off a label or split from a flattened row). */
export function digitCell(digits: string, x: number): ValueCell {
  return { kind: 'number', value: Number(digits), text: digits, x0: x, x1: x };
}
