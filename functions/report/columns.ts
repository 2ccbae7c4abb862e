import type { ValueCell } from './cells.ts';

/**
 * Putting a row's value cells into the template's columns. Blank cells are absent from PDF lines and
 * printouts carry stray empty cells, so a row's cell count alone does not say which column a number is in.
 */
export type Placed = (ValueCell | null)[];

/** Direct placement when the row has exactly `n` cells once stray leading/trailing empties are dropped. */
export function placeByCount(values: readonly ValueCell[], n: number): Placed | null {
  let start = 0;
  let end = values.length;
  while (end - start > n && values[end - 1]?.state === 'blank') end--;
  while (end - start > n && values[start]?.state === 'blank') start++;
  if (end - start !== n) return null;
  return values.slice(start, end).map((v) => (v.state === 'blank' ? null : v));
}

/**
 * Placement by position against column centres taken from the table's complete rows, or from its header
 * (where a column's header was not found its centre is null). Each cell goes to the nearest known centre;
 * the result is refused when two cells claim one column, the order is not kept, or a cell sits farther
 * from its centre than POSITION_TOLERANCE of a column's pitch (with unknown columns between two known
 * ones, the pitch is their distance shared among the columns between), so a number in a column whose
 * centre is unknown is never given to a neighbour.
 */
export function placeByAnchors(
  values: readonly ValueCell[],
  anchors: readonly (number | null)[],
): Placed | null {
  const filled = values.filter((v) => v.state !== 'blank');
  const known = anchors.flatMap((a, i) => (a === null ? [] : [{ at: a, column: i }]));
  if (known.length < 2 || filled.length === 0) return null;
  let pitch = Number.POSITIVE_INFINITY;
  for (let k = 1; k < known.length; k++) {
    const a = known[k - 1];
    const b = known[k];
    if (a === undefined || b === undefined) continue;
    pitch = Math.min(pitch, (b.at - a.at) / (b.column - a.column));
  }
  if (!(pitch > 0)) return null;
  const placed: Placed = anchors.map(() => null);
  let last = -1;
  for (const v of filled) {
    const centre = (v.x0 + v.x1) / 2;
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const { at, column } of known) {
      const d = Math.abs(at - centre);
      if (d < bestDistance) {
        best = column;
        bestDistance = d;
      }
    }
    if (best <= last || bestDistance > pitch * POSITION_TOLERANCE) return null;
    placed[best] = v;
    last = best;
  }
  return placed;
}

/** How far from its column's centre a cell may sit, as a share of the column pitch. */
const POSITION_TOLERANCE = 0.4;

/** Column centres: the median centre of each column over the rows that have all `n` cells. */
export function anchorsFrom(rows: readonly (readonly ValueCell[])[], n: number): number[] | null {
  const full = rows.map((r) => r.filter((v) => v.state !== 'blank')).filter((r) => r.length === n);
  if (full.length === 0) return null;
  const anchors: number[] = [];
  for (let c = 0; c < n; c++) {
    const centres = full.map((r) => ((r[c]?.x0 ?? 0) + (r[c]?.x1 ?? 0)) / 2).sort((a, b) => a - b);
    anchors.push(centres[Math.floor(centres.length / 2)] ?? 0);
  }
  for (let c = 1; c < n; c++) if ((anchors[c] ?? 0) <= (anchors[c - 1] ?? 0)) return null;
  return anchors;
}

/**
 * Placement of a single row of `n` evenly spaced columns (the appeals row) from the spacing of the cells
 * it has: cells `pitch` apart are neighbours, a gap of two pitches is one blank column, and the distance
 * from the table's left edge counts leading blanks. A cell left of its predecessor (a printout that
 * wrapped the row) continues after it.
 */
export function placeByPitch(values: readonly ValueCell[], n: number, leftEdge: number): Placed | null {
  const filled = values.filter((v) => v.state !== 'blank');
  if (filled.length < 2 || filled.length > n) return null;
  const gaps: number[] = [];
  for (let i = 1; i < filled.length; i++) {
    const d = (filled[i]?.x0 ?? 0) - (filled[i - 1]?.x0 ?? 0);
    if (d > 0) gaps.push(d);
  }
  if (gaps.length === 0) return null;
  const pitch = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
  if (!(pitch > 0)) return null;
  const placed: Placed = new Array(n).fill(null);
  let column = Math.round(((filled[0]?.x0 ?? 0) - leftEdge) / pitch);
  if (column < 0) column = 0;
  for (let i = 0; i < filled.length; i++) {
    if (i > 0) {
      const d = (filled[i]?.x0 ?? 0) - (filled[i - 1]?.x0 ?? 0);
      const step = d > 0 ? Math.round(d / pitch) : 1;
      if (step < 1) return null;
      column += step;
    }
    if (column >= n) return null;
    placed[column] = filled[i] ?? null;
  }
  return placed;
}
