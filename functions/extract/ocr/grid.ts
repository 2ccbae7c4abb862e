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

/**
 * Vertical runs, found row by row (one run in progress per column) so that the page is read in memory
 * order: a column-by-column walk over a 200 dpi page misses the cache at every pixel.
 */
function verticalLines(
  ink: Uint8Array,
  w: number,
  h: number,
  minRun: number,
  gap: number,
  extend: number,
): Uint8Array {
  const out = new Uint8Array(w * h);
  const start = new Int32Array(w).fill(-1);
  const lastInk = new Int32Array(w).fill(-1);
  const flush = (x: number, end: number): void => {
    const s = start[x] ?? -1;
    if (s >= 0 && end - s >= minRun) {
      const a = Math.max(0, s - extend);
      const b = Math.min(h, end + extend);
      for (let y = a; y < b; y++) out[y * w + x] = 1;
    }
  };
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const i = row + x;
      const on = ink[i] === 1 || (x > 0 && ink[i - 1] === 1) || (x < w - 1 && ink[i + 1] === 1);
      if (!on) continue;
      const last = lastInk[x] ?? -1;
      if ((start[x] ?? -1) < 0 || y - last > gap + 1) {
        flush(x, last + 1);
        start[x] = y;
      }
      lastInk[x] = y;
    }
  }
  for (let x = 0; x < w; x++) flush(x, (lastInk[x] ?? -1) + 1);
  return out;
}

/**
 * 4-connected components of the pixels where `mask` is `value`; returns labels (0 = off) and the count.
 * Found by runs: each row's runs are joined (union–find) to the runs they touch in the row above, then
 * labelled in the order their components first appear in reading order (what a flood fill from each
 * first unlabelled pixel numbers them). A page is a few million pixels but only tens of thousands of runs.
 */
function components(
  w: number,
  h: number,
  mask: Uint8Array,
  value: 0 | 1,
): { labels: Int32Array; count: number } {
  let x0s = new Int32Array(4096);
  let x1s = new Int32Array(4096);
  let parent = new Int32Array(4096);
  let runs = 0;
  const rowStart = new Int32Array(h + 1);
  const root = (r: number): number => {
    let p = r;
    while (parent[p] !== p) p = parent[p] ?? p;
    for (let q = r; parent[q] !== p; ) {
      const next = parent[q] ?? p;
      parent[q] = p;
      q = next;
    }
    return p;
  };
  for (let y = 0; y < h; y++) {
    rowStart[y] = runs;
    const row = y * w;
    const prevEnd = runs;
    let j = y === 0 ? runs : (rowStart[y - 1] ?? 0);
    for (let x = 0; x < w; ) {
      if (mask[row + x] !== value) {
        x++;
        continue;
      }
      const a = x;
      while (x < w && mask[row + x] === value) x++;
      if (runs === parent.length) {
        const grow = (old: Int32Array) => {
          const next = new Int32Array(old.length * 2);
          next.set(old);
          return next;
        };
        x0s = grow(x0s);
        x1s = grow(x1s);
        parent = grow(parent);
      }
      x0s[runs] = a;
      x1s[runs] = x;
      parent[runs] = runs;
      // The runs above that share a column with this one: 4-connected to it.
      while (j < prevEnd && (x1s[j] ?? 0) <= a) j++;
      for (let k = j; k < prevEnd && (x0s[k] ?? 0) < x; k++) {
        const ra = root(k);
        const rb = root(runs);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
      runs++;
    }
    // Runs of this row become the previous row's: `j` restarts at this row's first run.
    if (y + 1 < h) rowStart[y + 1] = runs;
    j = prevEnd;
  }
  rowStart[h] = runs;
  const labels = new Int32Array(w * h);
  const labelOf = new Int32Array(runs);
  let count = 0;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let r = rowStart[y] ?? 0; r < (rowStart[y + 1] ?? 0); r++) {
      const top = root(r);
      if (labelOf[top] === 0) labelOf[top] = ++count;
      labels.fill(labelOf[top] ?? 0, row + (x0s[r] ?? 0), row + (x1s[r] ?? 0));
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
  const h = labels.length / w;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const l = labels[row + x] ?? 0;
      if (l === 0) continue;
      const b = out[l];
      if (b === undefined) continue;
      if (x < b.x0) b.x0 = x;
      if (x > b.x1) b.x1 = x;
      if (y < b.y0) b.y0 = y;
      if (y > b.y1) b.y1 = y;
      b.area++;
    }
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
  const both = hl;
  for (let i = 0; i < both.length; i++) both[i] = (hl[i] ?? 0) | (vl[i] ?? 0);
  // Ruling structures: keep those that are big both ways (a grid), drop underlines and stray strokes.
  const structures = components(w, h, both, 1);
  const sBoxes = boxes(structures.labels, structures.count, w);

  const keep = new Uint8Array(structures.count + 1);
  const tables: Box[] = [];
  for (let l = 1; l <= structures.count; l++) {
    const b = sBoxes[l];
    if (b === undefined) continue;
    if (b.x1 - b.x0 >= MIN_TABLE_WIDTH_IN * dpi && b.y1 - b.y0 >= MIN_TABLE_HEIGHT_IN * dpi) {
      keep[l] = 1;
      tables.push({ x0: b.x0, y0: b.y0, x1: b.x1 + 1, y1: b.y1 + 1 });
    }
  }
  const lines = new Uint8Array(w * h);
  const sLabels = structures.labels;
  for (let i = 0; i < lines.length; i++) if (keep[sLabels[i] ?? 0]) lines[i] = 1;
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
  const regions = components(w, h, lines, 0);
  const rBoxes = boxes(regions.labels, regions.count, w);
  const minCell = MIN_CELL_IN * dpi;
  const relabel = new Int32Array(regions.count + 1).fill(1);
  const cells: GridCell[] = [];
  let next = 2;
  for (let l = 1; l <= regions.count; l++) {
    const b = rBoxes[l];
    if (b === undefined) continue;
    const touchesBorder = b.x0 === 0 || b.y0 === 0 || b.x1 === w - 1 || b.y1 === h - 1;
    if (touchesBorder || b.x1 - b.x0 < minCell || b.y1 - b.y0 < minCell) continue;
    const table = tables.findIndex((t) => b.x0 >= t.x0 && b.x1 <= t.x1 && b.y0 >= t.y0 && b.y1 <= t.y1);
    if (table < 0) continue;
    relabel[l] = next;
    cells.push({ x0: b.x0, y0: b.y0, x1: b.x1 + 1, y1: b.y1 + 1, label: next, table });
    next++;
  }
  // Relabelled in place: the regions' labels are not needed after this.
  const labels = regions.labels;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] ?? 0;
    if (l !== 0) labels[i] = relabel[l] ?? 0;
  }
  return { lines, labels, cells, tables };
}
