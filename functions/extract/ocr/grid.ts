/**
 * Table grids in an ink mask. Ruling lines are long straight runs of ink; the cells are the paper
 * regions they enclose. Taking the enclosed regions (rather than intersecting a list of straight lines)
 * gives spanning cells for free and tolerates lines that are not quite straight: a phone photo's slight
 * keystone, a line that bends where the scanner's glass was not flat.
 *
 * All lengths are fractions of an inch, turned into pixels with the page's dpi, so the rules hold at
 * 100 dpi and at 300 dpi alike.
 */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface GridCell extends Box {
  /** Region label in `labels`. */
  label: number;
  /** Index of the table (connected ruling structure) this cell belongs to. */
  table: number;
}

export interface Grid {
  /** 1 where a ruling line is. */
  lines: Uint8Array;
  /** Region label of each pixel: 0 on ruling lines, 1 for the page outside any table, ≥ 2 for a cell. */
  labels: Int32Array;
  cells: GridCell[];
  tables: Box[];
}

/** A run at least this long (inches) is a ruling line, not a stroke of a character or a dash. */
const MIN_HORIZONTAL_IN = 0.6;
const MIN_VERTICAL_IN = 0.2;
/**
 * Gaps up to this (inches) inside a line are bridged: breaks from noise, JPEG or a thin scan. Kept below
 * the space between two characters, so that the top strokes of a row of characters (本年制发件数) never
 * chain into a "line".
 */
const GAP_IN = 0.01;
/** A line's ends are extended by this (inches), so that it meets its neighbour at a corner. */
const EXTEND_IN = 0.03;
/**
 * A table is a ruling structure at least this wide and this tall (inches): a single row left over at the
 * top of a page is a table; an underline is not.
 */
const MIN_TABLE_WIDTH_IN = 0.5;
const MIN_TABLE_HEIGHT_IN = 0.18;
/** A cell is at least this big both ways (inches). */
const MIN_CELL_IN = 0.08;

function horizontalLines(
  ink: Uint8Array,
  w: number,
  h: number,
  minRun: number,
  gap: number,
  extend: number,
): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let start = -1;
    let lastInk = -1;
    const flush = (end: number): void => {
      if (start >= 0 && end - start >= minRun) {
        // Extend by the bridge at both ends so a line meets its neighbour at a corner.
        const a = Math.max(0, start - extend);
        const b = Math.min(w, end + extend);
        for (let x = a; x < b; x++) out[row + x] = 1;
      }
    };
    for (let x = 0; x < w; x++) {
      // A pixel counts when it or a vertical neighbour is ink: a line tilted by a fraction of a degree
      // still makes one run (and the line mask comes out a pixel thicker each side, which only helps to
      // keep neighbouring cells apart).
      const on =
        ink[row + x] === 1 || (y > 0 && ink[row - w + x] === 1) || (y < h - 1 && ink[row + w + x] === 1);
      if (!on) continue;
      if (start < 0 || x - lastInk > gap + 1) {
        flush(lastInk + 1);
        start = x;
      }
      lastInk = x;
    }
    flush(lastInk + 1);
  }
  return out;
}

function verticalLines(
  ink: Uint8Array,
  w: number,
  h: number,
  minRun: number,
  gap: number,
  extend: number,
): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    let start = -1;
    let lastInk = -1;
    const flush = (end: number): void => {
      if (start >= 0 && end - start >= minRun) {
        const a = Math.max(0, start - extend);
        const b = Math.min(h, end + extend);
        for (let y = a; y < b; y++) out[y * w + x] = 1;
      }
    };
    for (let y = 0; y < h; y++) {
      const i = y * w + x;
      const on = ink[i] === 1 || (x > 0 && ink[i - 1] === 1) || (x < w - 1 && ink[i + 1] === 1);
      if (!on) continue;
      if (start < 0 || y - lastInk > gap + 1) {
        flush(lastInk + 1);
        start = y;
      }
      lastInk = y;
    }
    flush(lastInk + 1);
  }
  return out;
}

/** 4-connected components of pixels where `on(i)`; returns labels (0 = off) and the component count. */
function components(w: number, h: number, on: (i: number) => boolean): { labels: Int32Array; count: number } {
  const labels = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  let count = 0;
  for (let s = 0; s < labels.length; s++) {
    if (labels[s] !== 0 || !on(s)) continue;
    count++;
    let top = 0;
    stack[top++] = s;
    labels[s] = count;
    while (top > 0) {
      const i = stack[--top] ?? 0;
      const x = i % w;
      if (x > 0 && labels[i - 1] === 0 && on(i - 1)) {
        labels[i - 1] = count;
        stack[top++] = i - 1;
      }
      if (x < w - 1 && labels[i + 1] === 0 && on(i + 1)) {
        labels[i + 1] = count;
        stack[top++] = i + 1;
      }
      if (i >= w && labels[i - w] === 0 && on(i - w)) {
        labels[i - w] = count;
        stack[top++] = i - w;
      }
      if (i + w < labels.length && labels[i + w] === 0 && on(i + w)) {
        labels[i + w] = count;
        stack[top++] = i + w;
      }
    }
  }
  return { labels, count };
}

function boxes(labels: Int32Array, count: number, w: number): (Box & { area: number })[] {
  const out = Array.from({ length: count + 1 }, () => ({
    x0: Infinity,
    y0: Infinity,
    x1: -1,
    y1: -1,
    area: 0,
  }));
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] ?? 0;
    if (l === 0) continue;
    const b = out[l] as Box & { area: number };
    const x = i % w;
    const y = (i - x) / w;
    if (x < b.x0) b.x0 = x;
    if (x > b.x1) b.x1 = x;
    if (y < b.y0) b.y0 = y;
    if (y > b.y1) b.y1 = y;
    b.area++;
  }
  return out;
}

/** A vertical ruling line that ends at a table's open edge runs at least this far (inches) into it. */
const OPEN_ROW_LINE_IN = 0.5;
/** An edge is open when at least this many such lines end there, spread over this share of the width. */
const OPEN_ROW_LINES = 3;
const OPEN_ROW_SPREAD = 0.6;

/**
 * Does a table's edge (row `edge`, the table lying in direction `step`) end in vertical lines with no
 * horizontal line along it? Character strokes that touch a rule above a heading are short and few; the
 * column lines of a table cut by the page are long and spread across it.
 */
function openEdge(lines: Uint8Array, w: number, t: Box, edge: number, step: 1 | -1, minRun: number): boolean {
  const ends: number[] = [];
  let along = 0;
  for (let x = t.x0; x < t.x1; x++) {
    if (lines[edge * w + x] !== 1) continue;
    along++;
    let run = 0;
    for (let y = edge; y >= t.y0 && y < t.y1 && lines[y * w + x] === 1; y += step) run++;
    if (run >= minRun) ends.push(x);
  }
  // A drawn edge is ink most of the way along; an open one only where the lines cross it.
  if (along > 0.5 * (t.x1 - t.x0)) return false;
  let count = 0;
  for (let i = 0; i < ends.length; i++) if (i === 0 || (ends[i] ?? 0) - (ends[i - 1] ?? 0) > 2) count++;
  const spread = ends.length === 0 ? 0 : ((ends.at(-1) ?? 0) - (ends[0] ?? 0)) / (t.x1 - t.x0);
  return count >= OPEN_ROW_LINES && spread >= OPEN_ROW_SPREAD;
}

export function findGrid(ink: Uint8Array, w: number, h: number, dpi: number): Grid {
  const gap = Math.max(1, Math.round(GAP_IN * dpi));
  const extend = Math.max(2, Math.round(EXTEND_IN * dpi));
  const hl = horizontalLines(ink, w, h, Math.round(MIN_HORIZONTAL_IN * dpi), gap, extend);
  const vl = verticalLines(ink, w, h, Math.round(MIN_VERTICAL_IN * dpi), gap, extend);
  const both = new Uint8Array(w * h);
  for (let i = 0; i < both.length; i++) both[i] = (hl[i] ?? 0) | (vl[i] ?? 0);
  // Ruling structures: keep those that are big both ways (a grid), drop underlines and stray strokes.
  const structures = components(w, h, (i) => both[i] === 1);
  const sBoxes = boxes(structures.labels, structures.count, w);

  const keep = new Uint8Array(structures.count + 1);
  const tables: Box[] = [];
  for (let l = 1; l <= structures.count; l++) {
    const b = sBoxes[l] as Box;
    if (b.x1 - b.x0 >= MIN_TABLE_WIDTH_IN * dpi && b.y1 - b.y0 >= MIN_TABLE_HEIGHT_IN * dpi) {
      keep[l] = 1;
      tables.push({ x0: b.x0, y0: b.y0, x1: b.x1 + 1, y1: b.y1 + 1 });
    }
  }
  const lines = new Uint8Array(w * h);
  for (let i = 0; i < lines.length; i++) if (keep[structures.labels[i] ?? 0]) lines[i] = 1;
  // A table that runs on to the next page has no line under its last row on this page (nor over its first
  // row on the next): where the table's long vertical lines run out at its box's edge, that edge is drawn.
  for (const t of tables) {
    for (const [edge, step] of [
      [t.y1 - 1, -1],
      [t.y0, 1],
    ] as const) {
      if (!openEdge(lines, w, t, edge, step, Math.round(OPEN_ROW_LINE_IN * dpi))) continue;
      for (let x = t.x0; x < t.x1; x++) lines[edge * w + x] = 1;
    }
  }
  // Paper regions between the lines. The page border's region is the outside; every other region
  // inside a table's box and big enough is a cell.
  const regions = components(w, h, (i) => lines[i] === 0);
  const rBoxes = boxes(regions.labels, regions.count, w);
  const minCell = MIN_CELL_IN * dpi;
  const relabel = new Int32Array(regions.count + 1).fill(1);
  const cells: GridCell[] = [];
  let next = 2;
  for (let l = 1; l <= regions.count; l++) {
    const b = rBoxes[l] as Box;
    const touchesBorder = b.x0 === 0 || b.y0 === 0 || b.x1 === w - 1 || b.y1 === h - 1;
    if (touchesBorder || b.x1 - b.x0 < minCell || b.y1 - b.y0 < minCell) continue;
    const table = tables.findIndex((t) => b.x0 >= t.x0 && b.x1 <= t.x1 && b.y0 >= t.y0 && b.y1 <= t.y1);
    if (table < 0) continue;
    relabel[l] = next;
    cells.push({ x0: b.x0, y0: b.y0, x1: b.x1 + 1, y1: b.y1 + 1, label: next, table });
    next++;
  }
  const labels = new Int32Array(w * h);
  for (let i = 0; i < labels.length; i++) {
    const l = regions.labels[i] ?? 0;
    labels[i] = l === 0 ? 0 : (relabel[l] ?? 0);
  }
  return { lines, labels, cells, tables };
}
