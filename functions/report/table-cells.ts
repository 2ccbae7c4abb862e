/**
 * Reading a record's tables (or a 汇总's, or a parsed JSON value) by a key known only at run time, without a
 * cast: a table is an object of rows, a row an object of cells or one cell, a cell a number or null.
 */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `v[key]` when v is an object, else undefined. */
export const fieldOf = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);

/**
 * A cell's number: `table[row][column]`, or `table[row]` for a row of one cell (column null). Null when the
 * cell is blank, "/" or unreadable, or its row or the table is absent.
 */
export function cellIn(table: unknown, row: string, column: string | null): number | null {
  const value = column === null ? fieldOf(table, row) : fieldOf(fieldOf(table, row), column);
  return typeof value === 'number' ? value : null;
}
