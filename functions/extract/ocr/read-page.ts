import { isNumericCell } from '../pdf/layout.ts';
import type { Line } from '../types.ts';
import { estimateSkew } from './deskew.ts';
import { type Box, findGrid, type GridCell } from './grid.ts';
import type { PageImage } from './page-image.ts';
import { binarize, type Grey, rotate, shrink, shrinkDark } from './raster.ts';
import { type Crop, DIGIT_LOOKALIKES, type Reading, recognize } from './recognizer.ts';

/**
 * One scanned page → the extracted lines the PDF path would have produced: text lines in reading order,
 * and each table row as one line whose cells are the grid's cells, left to right, with x positions in
 * points. Every OCR'd cell carries its confidence and the page and box it was read from.
 */
export interface OcrCellInfo {
  /** Lowest per-character probability of the reading (0–1). */
  confidence: number;
  page: number;
  /** Where in the page the cell was read, in points from the top left. */
  box: [number, number, number, number];
}

/** The working resolution: a page scanned finer is averaged down to about this. */
const WORK_DPI = 200;
/** An ink speck smaller than this (square inches) is noise, not a stroke. */
const SPECK_IN2 = 0.0004;
/** A cell's interior: its box less this margin (inches), away from the ruling lines' ragged edges. */
const CELL_MARGIN_IN = 0.015;
/** A blob joins a text line when they overlap vertically by this share of the smaller height. */
const LINE_OVERLAP = 0.3;
/** Within a text band, a horizontal gap of this many line heights separates two cells of text. */
const SEGMENT_GAP_LINES = 2.5;

export interface PageAnalysis {
  image: Grey;
  ink: Uint8Array;
  dpi: number;
  skewDegrees: number;
  cells: GridCell[];
  tables: Box[];
  labels: Int32Array;
  /** The factor the scan was shrunk by. */
  scale: number;
}

export function analysePage(page: PageImage): PageAnalysis {
  const factor = Math.max(1, Math.floor(page.dpi / (WORK_DPI * 0.75)));
  const dpi = page.dpi / factor;
  const window = Math.round(dpi / 5);
  // The skew is found on a small copy (about 50 dpi): lines are still lines there, at a fraction of the work.
  const small = shrink(page.image, factor * 4);
  const skewDegrees = estimateSkew(binarize(small, Math.max(5, window >> 2)), small.width, small.height);
  // Turned at the scan's own resolution, then shrunk keeping the dark: a hairline survives both.
  const straight =
    Math.abs(skewDegrees) >= 0.05 ? rotate(page.image, (-skewDegrees * Math.PI) / 180) : page.image;
  const image = shrinkDark(straight, factor);
  const ink = binarize(image, window);
  const grid = findGrid(ink, image.width, image.height, dpi);
  return {
    image,
    ink,
    dpi,
    skewDegrees,
    cells: grid.cells,
    tables: grid.tables,
    labels: grid.labels,
    scale: factor,
  };
}

interface Blob extends Box {
  area: number;
}

/** Ink blobs of one region (cell label, or 1 for the page outside tables), specks dropped. */
function blobsIn(a: PageAnalysis, box: Box, label: number): Blob[] {
  const { width: w } = a.image;
  const seen = new Uint8Array((box.x1 - box.x0) * (box.y1 - box.y0));
  const bw = box.x1 - box.x0;
  const minArea = Math.max(3, Math.round(SPECK_IN2 * a.dpi * a.dpi));
  const out: Blob[] = [];
  const stack: number[] = [];
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * w + x;
      const local = (y - box.y0) * bw + (x - box.x0);
      if (seen[local] || !a.ink[i] || a.labels[i] !== label) continue;
      const blob: Blob = { x0: x, y0: y, x1: x + 1, y1: y + 1, area: 0 };
      stack.push(i);
      seen[local] = 1;
      while (stack.length > 0) {
        const j = stack.pop() as number;
        const jx = j % w;
        const jy = (j - jx) / w;
        blob.area++;
        if (jx < blob.x0) blob.x0 = jx;
        if (jx + 1 > blob.x1) blob.x1 = jx + 1;
        if (jy < blob.y0) blob.y0 = jy;
        if (jy + 1 > blob.y1) blob.y1 = jy + 1;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const nx = jx + dx;
            const ny = jy + dy;
            if (nx < box.x0 || ny < box.y0 || nx >= box.x1 || ny >= box.y1) continue;
            const n = ny * w + nx;
            const nl = (ny - box.y0) * bw + (nx - box.x0);
            if (seen[nl] || !a.ink[n] || a.labels[n] !== label) continue;
            seen[nl] = 1;
            stack.push(n);
          }
        }
      }
      if (blob.area >= minArea) out.push(blob);
    }
  }
  return out;
}

/**
 * Groups blobs into text lines: a blob joins the line it overlaps most vertically (by a share of the
 * smaller height), else starts one; lines that still overlap that much are merged at the end. Every open
 * line is considered, not only the last, so a character made of several blobs never splits its line.
 */
function textLines(blobs: Blob[]): Box[] {
  const sorted = [...blobs].sort((p, q) => p.y0 - q.y0);
  const lines: Box[] = [];
  const overlap = (l: Box, b: Box): number =>
    (Math.min(l.y1, b.y1) - Math.max(l.y0, b.y0)) / Math.max(1, Math.min(l.y1 - l.y0, b.y1 - b.y0));
  const grow = (l: Box, b: Box): void => {
    l.x0 = Math.min(l.x0, b.x0);
    l.x1 = Math.max(l.x1, b.x1);
    l.y0 = Math.min(l.y0, b.y0);
    l.y1 = Math.max(l.y1, b.y1);
  };
  for (const b of sorted) {
    let best: Box | null = null;
    let bestOverlap = LINE_OVERLAP;
    for (const l of lines) {
      const o = overlap(l, b);
      if (o > bestOverlap) {
        best = l;
        bestOverlap = o;
      }
    }
    if (best) grow(best, b);
    else lines.push({ x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 });
  }
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < lines.length && !merged; i++) {
      for (let j = i + 1; j < lines.length; j++) {
        const a = lines[i] as Box;
        const b = lines[j] as Box;
        if (overlap(a, b) > 0.5) {
          grow(a, b);
          lines.splice(j, 1);
          merged = true;
          break;
        }
      }
    }
  }
  return lines.sort((p, q) => p.y0 - q.y0);
}

/**
 * Against the tallest text line of a cell, a blob smaller than this share of its height both ways is a
 * speck (dust, JPEG, a fleck of the seal's ink), not a character.
 */
const SPECK_OF_TEXT = 0.3;
/** A line of ink no bigger than this (inches) either way is dust: a hyphen or a digit is larger. */
const DUST_IN = 0.03;

/** A line no bigger than dust either way. */
function isDust(line: Box, dpi: number): boolean {
  return Math.max(line.x1 - line.x0, line.y1 - line.y0) <= DUST_IN * dpi;
}

/**
 * A line's box without the specks at its start (and, for `both`, its end): blobs smaller both ways than
 * SPECK_OF_TEXT of `height`. Null when nothing but specks is left.
 */
function trimSpecks(blobs: readonly Blob[], line: Box, height: number, ends: 'start' | 'both'): Box | null {
  const members = blobs
    .filter((b) => b.x0 >= line.x0 && b.x1 <= line.x1 && b.y0 >= line.y0 && b.y1 <= line.y1)
    .sort((p, q) => p.x0 - q.x0);
  const speck = (b: Box): boolean => Math.max(b.x1 - b.x0, b.y1 - b.y0) < SPECK_OF_TEXT * height;
  let i = 0;
  let j = members.length;
  while (i < j && speck(members[i] as Blob)) i++;
  while (ends === 'both' && j > i && speck(members[j - 1] as Blob)) j--;
  if (i === j) return null;
  const kept = members.slice(i, j);
  return {
    x0: Math.min(...kept.map((b) => b.x0)),
    y0: Math.min(...kept.map((b) => b.y0)),
    x1: Math.max(...kept.map((b) => b.x1)),
    y1: Math.max(...kept.map((b) => b.y1)),
  };
}

/**
 * The text lines of one table cell, specks set aside: a speck at either end of a line, or a line of specks
 * beside a line of text, is dropped (it would read as "0." or ".0"); between characters it stays (a
 * decimal point).
 */
function cellLines(blobs: Blob[], dpi: number): Box[] {
  const lines = textLines(blobs).filter((l) => !isDust(l, dpi));
  const tallest = Math.max(0, ...lines.map((l) => l.y1 - l.y0));
  return lines.flatMap((l) => trimSpecks(blobs, l, tallest, 'both') ?? []);
}

/** Splits one text band into segments at wide horizontal gaps (two cells of text side by side). */
function segments(blobs: Blob[], line: Box): Box[] {
  const inLine = blobs
    .filter((b) => b.y0 < line.y1 && b.y1 > line.y0 && b.x0 >= line.x0 && b.x1 <= line.x1)
    .sort((p, q) => p.x0 - q.x0);
  const height = line.y1 - line.y0;
  const out: Box[] = [];
  for (const b of inLine) {
    const last = out.at(-1);
    if (last && b.x0 - last.x1 < SEGMENT_GAP_LINES * height) {
      last.x1 = Math.max(last.x1, b.x1);
      last.y0 = Math.min(last.y0, b.y0);
      last.y1 = Math.max(last.y1, b.y1);
    } else out.push({ x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 });
  }
  return out;
}

/** The crop a line is read from: its ink box with paper around it, as the recogniser was trained on. */
function cropOf(line: Box, a: PageAnalysis): Crop {
  const h = line.y1 - line.y0;
  const padY = Math.max(2, Math.round(h * 0.25));
  const padX = Math.max(3, Math.round(h * 0.35));
  return {
    x0: Math.max(0, line.x0 - padX),
    y0: Math.max(0, line.y0 - padY),
    x1: Math.min(a.image.width, line.x1 + padX),
    y1: Math.min(a.image.height, line.y1 + padY),
  };
}

interface Placed {
  text: string;
  box: Box;
  confidence: number;
  cell?: GridCell;
  /** A cell's text lines, top to bottom, as read. */
  parts?: Array<{ text: string; confidence: number; line: Box }>;
}

/** The confidence given to a reading the digit decoder did not confirm: below any "sure" threshold. */
const DOUBTFUL_GUESS = 0.5;
const NUMBERISH = /^[\d.,，\-—–/／ ]+$/;
const CJK = /[\u3400-\u9fff]/;
/** A number as a table prints it: 12, 1.25, 1,234, -3. */
const WELL_FORMED = /^-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

/**
 * A number cell's digits-only reading, made a number: a dot, comma or dash at its ends is dust or a
 * stroke of the ruling line, not part of a count, and is dropped. The reading is sure only when nothing
 * had to be dropped, it is a well-formed number, and the unrestricted reading saw the same characters
 * (look-alikes folded): ink the digit decoder passed over is a doubt of its own.
 */
export function numberReading(
  digits: string,
  confidence: number,
  folded: string,
): { text: string; confidence: number } {
  if (!/\d/.test(digits)) return { text: digits, confidence };
  const text = digits.replace(/^[.,]+/, '').replace(/[.,-]+$/, '');
  const agreed = folded.replace(/\s+/g, '') === digits;
  const sure = text === digits && WELL_FORMED.test(text) && agreed;
  return { text, confidence: sure ? confidence : Math.min(confidence, DOUBTFUL_GUESS) };
}

/** The text of a reading: the digits-only decoding for a cell that reads as a number, else as read. */
function textOf(r: Reading, inTable: boolean): { text: string; confidence: number } {
  const plain = r.text.trim();
  // Letters that look like digits (O for 0, l for 1) count as digits in a table cell.
  const folded = [...plain].map((ch) => DIGIT_LOOKALIKES[ch] ?? ch).join('');
  const numberish = NUMBERISH.test(folded) || folded.replace(/[^\d]/g, '').length >= folded.length / 2;
  if (inTable && numberish && folded !== '') {
    if (r.digits !== '') return numberReading(r.digits, r.digitConfidence, folded);
    // The digit-only reading saw nothing: the look-alike reading stands, but never as a sure one.
    return { text: folded, confidence: Math.min(r.confidence, DOUBTFUL_GUESS) };
  }
  // A few marks in a table cell that are neither a label (no Chinese) nor a number ("Q", "!"): a number
  // the recogniser could not make out. The digit decoder's reading, never as a sure one.
  if (inTable && plain !== '' && !CJK.test(plain) && /\d/.test(r.digits))
    return numberReading(r.digits, Math.min(r.digitConfidence, DOUBTFUL_GUESS), folded);
  // The numeral 一 is one stroke, and a recogniser reads it as a dash as often as not; a dash before 、 that
  // opens a line is the numeral of a heading ("一、总体情况"), never a dash.
  return { text: plain.replace(/^[—–\-－一]、/, '一、'), confidence: r.confidence };
}

export interface PageReading {
  lines: Line[];
  /** Per line, per cell: how it was read (null for cells not read by OCR). */
  cellInfo: OcrCellInfo[][];
  skewDegrees: number;
  /** The working resolution, and the factor the scan was shrunk by to reach it. */
  dpi: number;
  scale: number;
  tables: number;
}

export async function readPage(page: PageImage, pageNumber: number): Promise<PageReading> {
  const a = analysePage(page);
  const margin = Math.round(CELL_MARGIN_IN * a.dpi);
  const pieces: Array<{ crop: Crop; cell?: GridCell; line: Box; order: number }> = [];
  // Table cells: every text line inside each cell, read on its own.
  for (const cell of a.cells) {
    const inner = { x0: cell.x0 + margin, y0: cell.y0 + margin, x1: cell.x1 - margin, y1: cell.y1 - margin };
    if (inner.x1 <= inner.x0 || inner.y1 <= inner.y0) continue;
    const blobs = blobsIn(a, inner, cell.label);
    cellLines(blobs, a.dpi).forEach((line, order) => {
      pieces.push({ crop: cropOf(line, a), cell, line, order });
    });
  }
  // Text outside tables: bands of ink, split at wide gaps.
  const outside = blobsIn(a, { x0: 0, y0: 0, x1: a.image.width, y1: a.image.height }, 1);
  // Dust is dropped, and specks before a line's first character ("·六、其他需要报告的事项" would hide the
  // heading); at its end a speck may be punctuation, and stays.
  for (const band of textLines(outside)) {
    if (isDust(band, a.dpi)) continue;
    for (const seg of segments(outside, band)) {
      const line = trimSpecks(outside, seg, band.y1 - band.y0, 'start');
      if (line !== null) pieces.push({ crop: cropOf(line, a), line, order: 0 });
    }
  }
  const readings = await recognize(
    a.image,
    pieces.map((p) => p.crop),
  );
  const placed: Placed[] = [];
  const byCell = new Map<GridCell, Array<{ order: number; text: string; confidence: number; line: Box }>>();
  pieces.forEach((p, i) => {
    const r = readings[i] as Reading;
    if (p.cell) {
      const list = byCell.get(p.cell) ?? [];
      list.push({ order: p.order, ...textOf(r, true), line: p.line });
      if (process.env.OCR_DEBUG)
        console.log(
          'piece',
          p.cell.label,
          p.order,
          JSON.stringify(p.line),
          r.text,
          r.digits,
          r.confidence.toFixed(3),
        );
      byCell.set(p.cell, list);
    } else {
      const { text, confidence } = textOf(r, false);
      if (text !== '') placed.push({ text, box: p.line, confidence });
    }
  });
  for (const [cell, parts] of byCell) {
    parts.sort((p, q) => p.order - q.order);
    const text = parts.map((p) => p.text).join('');
    const box = {
      x0: Math.min(...parts.map((p) => p.line.x0)),
      y0: Math.min(...parts.map((p) => p.line.y0)),
      x1: Math.max(...parts.map((p) => p.line.x1)),
      y1: Math.max(...parts.map((p) => p.line.y1)),
    };
    // Ink (specks and dust already set aside) that the recogniser read as nothing is no blank cell: it is
    // kept with no text and confidence 0, so that validation lists it as doubtful instead of blaming the
    // agency for an empty cell. A cell the scan shows empty has no lines and is never placed.
    const confidence = text === '' ? 0 : Math.min(...parts.map((p) => p.confidence));
    placed.push({ text, box, confidence, cell, parts });
  }
  return {
    ...toLines(placed, a, pageNumber),
    skewDegrees: a.skewDegrees,
    dpi: a.dpi,
    scale: a.scale,
    tables: a.tables.length,
  };
}

/**
 * Table rows from the grid: cell tops and bottoms clustered into row boundaries; each cell is written
 * on the row at its vertical middle (where a PDF prints a spanning cell's text). Text outside tables
 * becomes lines by itself. Everything is then ordered top to bottom.
 */
function toLines(
  placed: Placed[],
  a: PageAnalysis,
  pageNumber: number,
): Omit<PageReading, 'skewDegrees' | 'dpi' | 'scale' | 'tables'> {
  const pt = 72 / a.dpi;
  type Row = { y: number; items: Placed[]; table: boolean };
  const rows: Row[] = [];
  // Rows of each table: leaf rows are the bands between clustered cell edges.
  for (let t = 0; t < a.tables.length; t++) {
    const cells = a.cells.filter((c) => c.table === t);
    if (cells.length === 0) continue;
    const heights = cells.map((c) => c.y1 - c.y0).sort((p, q) => p - q);
    const minRow = heights[Math.floor(heights.length * 0.1)] ?? 1;
    const edges = cluster(
      cells.flatMap((c) => [c.y0, c.y1]),
      minRow * 0.45,
    );
    const bands: Band[] = [];
    for (let i = 1; i < edges.length; i++)
      bands.push({ y0: edges[i - 1] ?? 0, y1: edges[i] ?? 0, items: [] });
    const bandOf = (y: number) => bands.find((b) => y >= b.y0 && y < b.y1) ?? bands.at(-1);
    const mine = placed.filter((p) => p.cell?.table === t);
    for (const p of mine) {
      const split = splitMerged(p, mine, bands);
      if (split) for (const [band, piece] of split) band.items.push(piece);
      else bandOf(((p.cell?.y0 ?? 0) + (p.cell?.y1 ?? 0)) / 2)?.items.push(p);
    }
    for (const b of bands)
      if (b.items.length > 0) rows.push({ y: (b.y0 + b.y1) / 2, items: b.items, table: true });
  }
  for (const p of placed) if (!p.cell) rows.push({ y: (p.box.y0 + p.box.y1) / 2, items: [p], table: false });
  // Text segments on one baseline outside tables are one line of several cells.
  rows.sort((p, q) => p.y - q.y);
  const merged: Row[] = [];
  for (const r of rows) {
    const last = merged.at(-1);
    const h = r.items[0] ? r.items[0].box.y1 - r.items[0].box.y0 : 0;
    if (last && !last.table && !r.table && Math.abs(last.y - r.y) < h * 0.5) last.items.push(...r.items);
    else merged.push({ ...r, items: [...r.items] });
  }
  const lines: Line[] = [];
  const cellInfo: OcrCellInfo[][] = [];
  for (const r of merged) {
    const items = [...r.items].sort((p, q) => p.box.x0 - q.box.x0);
    const cells = items.map((p) => ({ text: p.text, x0: round(p.box.x0 * pt), x1: round(p.box.x1 * pt) }));
    const numbers = cells.filter((c) => isNumericCell(c.text)).length;
    // As the PDF path decides (layout.ts): a row of numbers beside a label is a table row.
    lines.push({ cells, table: numbers >= 2 || (numbers === 1 && cells.length >= 2) });
    cellInfo.push(
      items.map((p) => ({
        confidence: round3(p.confidence),
        page: pageNumber,
        box: [round(p.box.x0 * pt), round(p.box.y0 * pt), round(p.box.x1 * pt), round(p.box.y1 * pt)],
      })),
    );
  }
  return { lines, cellInfo };
}

type Band = { y0: number; y1: number; items: Placed[] };

/**
 * A label cell that spans rows because the ruling line between them was too faint to find ("一、本年新收…"
 * and "二、上年结转…" in one cell): each of its text lines sits in a row of its own, and each of those rows
 * has a cell of its own just to the right, numbers in one at least (a header row merged with the first
 * row: "信息内容" over "行政处罚"). Then each line goes to its row, as the PDF path would have placed it.
 * A heading that truly spans rows ("三、本年度办理结果") has label cells, not numbers, to its right, and
 * stays whole.
 */
function splitMerged(
  p: Placed,
  mine: readonly Placed[],
  bands: readonly Band[],
): Array<[Band, Placed]> | null {
  const cell = p.cell;
  if (!cell || !p.parts || p.parts.length < 2) return null;
  const covered = bands.filter((b) => Math.min(b.y1, cell.y1) - Math.max(b.y0, cell.y0) > (b.y1 - b.y0) / 2);
  if (covered.length < 2) return null;
  const byBand = new Map<Band, NonNullable<Placed['parts']>>();
  for (const part of p.parts) {
    const y = (part.line.y0 + part.line.y1) / 2;
    const band = covered.find((b) => y >= b.y0 && y < b.y1);
    if (!band) return null;
    byBand.set(band, [...(byBand.get(band) ?? []), part]);
  }
  if (byBand.size < 2) return null;
  let numbers = 0;
  for (const band of byBand.keys()) {
    const right = mine
      .filter((q) => q !== p && q.cell && q.cell.x0 >= cell.x1 - 2)
      .filter((q) => {
        const mid = ((q.cell?.y0 ?? 0) + (q.cell?.y1 ?? 0)) / 2;
        return mid >= band.y0 && mid < band.y1;
      })
      .sort((q, r) => (q.cell?.x0 ?? 0) - (r.cell?.x0 ?? 0))[0];
    if (!right) return null;
    if (isNumericCell(right.text)) numbers++;
  }
  if (numbers === 0) return null;
  return [...byBand.entries()].map(([band, parts]) => [
    band,
    {
      text: parts.map((q) => q.text).join(''),
      confidence: Math.min(...parts.map((q) => q.confidence)),
      cell,
      box: {
        x0: Math.min(...parts.map((q) => q.line.x0)),
        y0: Math.min(...parts.map((q) => q.line.y0)),
        x1: Math.max(...parts.map((q) => q.line.x1)),
        y1: Math.max(...parts.map((q) => q.line.y1)),
      },
    },
  ]);
}

const round = (n: number): number => Math.round(n * 10) / 10;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** Sorted cluster centres of values, values closer than `tolerance` to a cluster's last member joining it. */
function cluster(values: number[], tolerance: number): number[] {
  const sorted = [...values].sort((p, q) => p - q);
  const groups: number[][] = [];
  for (const v of sorted) {
    const g = groups.at(-1);
    if (g && v - (g.at(-1) ?? 0) <= tolerance) g.push(v);
    else groups.push([v]);
  }
  return groups.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}
