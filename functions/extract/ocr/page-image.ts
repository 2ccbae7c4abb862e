import { type Grey, toGrey } from './raster.ts';

/**
 * The picture of a scanned PDF page. A scan is one image painted over the page: its pixels are taken as
 * they are (pdf.js decodes JPEG, JBIG2, CCITT and Flate images itself, no canvas needed), so the OCR
 * sees the scanner's own resolution. Only a page that is not one such image is rendered, with pdf.js and
 * @napi-rs/canvas, at the resolution the OCR wants.
 */
type PdfPage = {
  view: number[];
  getOperatorList(): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  objs: { get(name: string): unknown; has?(name: string): boolean };
  commonObjs: { get(name: string): unknown; has?(name: string): boolean };
  getViewport(options: { scale: number }): { width: number; height: number };
  render(options: object): { promise: Promise<void> };
};

type PdfImage = {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
  bitmap?: unknown;
};

export interface PageImage {
  image: Grey;
  /** Pixels per inch of the image on the page (horizontal). */
  dpi: number;
  /** How the pixels were had: the page's embedded image, or a rendering. */
  source: 'embedded' | 'rendered';
}

/** pdf.js ImageKind: 1 = 1 bit per pixel, 2 = RGB, 3 = RGBA. */
const KIND_GRAYSCALE_1BPP = 1;
const KIND_RGB_24BPP = 2;
const KIND_RGBA_32BPP = 3;

/** An image painted over at least this share of the page is the page's scan. */
const SCAN_COVERAGE = 0.8;

export const RENDER_DPI = 200;

function unpack(img: PdfImage): Grey | null {
  const { width, height, data, kind } = img;
  if (!data || width <= 0 || height <= 0) return null;
  if (kind === KIND_RGB_24BPP) return toGrey(data, width, height, 3);
  if (kind === KIND_RGBA_32BPP) return toGrey(data, width, height, 4);
  if (kind === KIND_GRAYSCALE_1BPP) {
    const out = new Uint8Array(width * height);
    const rowBytes = (width + 7) >> 3;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = ((data[y * rowBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1;
        out[y * width + x] = bit ? 255 : 0;
      }
    }
    return { width, height, data: out };
  }
  return null;
}

async function objectOf(page: PdfPage, name: string): Promise<PdfImage | null> {
  const store = name.startsWith('g_') ? page.commonObjs : page.objs;
  try {
    return (await new Promise<unknown>((resolve) => {
      // pdf.js resolves an object asynchronously once decoded; get(name, callback) waits for it.
      (store.get as (n: string, cb: (v: unknown) => void) => unknown)(name, resolve);
    })) as PdfImage;
  } catch {
    return null;
  }
}

/**
 * Walks an operator list keeping the current transformation matrix (save, restore, transform), and hands
 * every other operator to `each` with the matrix in force. Shared by the scan test (pdf.ts) and here.
 */
export function walkOperators(
  list: { fnArray: number[]; argsArray: unknown[][] },
  ops: { save: number; restore: number; transform: number },
  each: (fn: number, args: unknown[], ctm: readonly number[]) => void,
): void {
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  for (let i = 0; i < list.fnArray.length; i++) {
    const fn = list.fnArray[i] ?? 0;
    const args = list.argsArray[i] ?? [];
    if (fn === ops.save) stack.push(ctm);
    else if (fn === ops.restore) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (fn === ops.transform) {
      const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = args as number[];
      const [A = 1, B = 0, C = 0, D = 1, E = 0, F = 0] = ctm;
      ctm = [
        A * a + C * b,
        B * a + D * b,
        A * c + C * d,
        B * c + D * d,
        A * e + C * f + E,
        B * e + D * f + F,
      ];
    } else each(fn, args, ctm);
  }
}

/**
 * The scan painted over this page, if the page is one: the largest image, painted over most of the page
 * and unrotated. The matrix of the paint is read from the operator list (transform before paint).
 */
export async function embeddedScan(
  page: PdfPage,
  ops: { paintImageXObject: number; transform: number; save: number; restore: number },
): Promise<PageImage | null> {
  const list = await page.getOperatorList();
  const [vx0 = 0, vy0 = 0, vx1 = 0, vy1 = 0] = page.view;
  const pageW = vx1 - vx0;
  const pageH = vy1 - vy0;
  let best: { name: string; w: number; h: number } | null = null;
  walkOperators(list, ops, (fn, args, ctm) => {
    if (fn !== ops.paintImageXObject) return;
    const [a = 0, b = 0, c = 0, d = 0] = ctm;
    // Only an upright image (no rotation, shear or mirror: the unit square's top edge is the image's
    // first row when d > 0) is a scan we can use as is; anything else is rendered.
    if (Math.abs(b) > 1e-6 || Math.abs(c) > 1e-6 || a <= 0 || d <= 0) return;
    const w = Math.abs(a);
    const h = Math.abs(d);
    if (w * h < SCAN_COVERAGE * pageW * pageH) return;
    if (!best || w * h > best.w * best.h) best = { name: String(args[0]), w, h };
  });
  const chosen = best as { name: string; w: number; h: number } | null;
  if (!chosen) return null;
  const img = await objectOf(page, chosen.name);
  if (!img) return null;
  const grey = unpack(img);
  if (!grey) return null;
  return { image: grey, dpi: scanDpi(grey.width, chosen.w / 72), source: 'embedded' };
}

/** Paper widths (inches) a report is printed on: A4, then Letter. */
const A4_WIDTH_IN = 8.27;
const PAPER_WIDTHS_IN = [A4_WIDTH_IN, 8.5];

/**
 * The scan's resolution. Scanners and phone apps often write a page size that is only the pixel count
 * at 72 or 96 per inch: a "17-inch" A4 page. When the painted width is no paper size a report is printed
 * on, the page is taken to be A4, which every such report is.
 */
export function scanDpi(pixels: number, paintedInches: number): number {
  const paper = PAPER_WIDTHS_IN.some((w) => Math.abs(paintedInches - w) / w < 0.12);
  return pixels / (paper ? paintedInches : A4_WIDTH_IN);
}

/** Renders the page with pdf.js on @napi-rs/canvas (the optional dependency pdf.js itself uses). */
export async function renderPage(page: PdfPage, dpi = RENDER_DPI): Promise<PageImage> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const viewport = page.getViewport({ scale: dpi / 72 });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  await page.render({ canvasContext: context, viewport, canvas }).promise;
  const rgba = context.getImageData(0, 0, width, height).data;
  return { image: toGrey(rgba, width, height, 4), dpi, source: 'rendered' };
}
