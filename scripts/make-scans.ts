/**
 * Makes scanned variants of the repository's text PDFs (issue 24), each beside its truth file, into
 * test/fixtures/scanned/own/: render with pdf.js + @napi-rs/canvas, then what printing, signing,
 * stamping and scanning do to a page — paper tint, a red seal over the signature, a turn of a degree or
 * so, a phone photo's keystone, noise, blur, JPEG — at 100 to 300 dpi; one has a typed cover page before
 * the scanned pages (a cover added before them). Deterministic (seeded), so a rerun writes the same files.
 *
 *   node scripts/make-scans.ts            # every variant below
 *   node scripts/make-scans.ts NAME…      # only these
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { pdfjsAssets } from '../functions/extract/pdf/assets.ts';
import { loadPdfJs } from '../functions/extract/pdf/pdf.ts';
import { imagePdf, type ScanPage } from './scan-pdf.ts';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'test', 'fixtures', 'scanned', 'own');

export interface Variant {
  name: string;
  /** Source PDF under test/fixtures, and its truth file. */
  source: string;
  truth: string;
  dpi: number;
  colour: boolean;
  /** Degrees, clockwise. */
  skew: number;
  /** Keystone: how much narrower the top edge is than the bottom, as a share of the width. */
  keystone?: number;
  seal?: boolean;
  /** Standard deviation of the grain added, in grey levels; plus a few specks per square inch. */
  noise: number;
  jpegQuality: number;
  blur?: number;
  /** The first page stays a typed page with a text layer; the rest are scanned. */
  typedCover?: boolean;
  seed: number;
}

export const VARIANTS: Variant[] = [
  {
    name: 'synthetic-006.300dpi',
    source: 'synthetic/clean-nothing-carried-over.pdf',
    truth: 'synthetic/clean-nothing-carried-over.truth.json',
    dpi: 300,
    colour: false,
    skew: 0.7,
    noise: 6,
    jpegQuality: 70,
    seed: 6,
  },
  {
    name: 'synthetic-007.100dpi',
    source: 'synthetic/requests-balance-broken.pdf',
    truth: 'synthetic/requests-balance-broken.truth.json',
    dpi: 100,
    colour: false,
    skew: -0.4,
    noise: 4,
    jpegQuality: 85,
    seed: 7,
  },
  {
    name: 'synthetic-008.phone',
    source: 'synthetic/year-mismatch-title-2020-period-2021.pdf',
    truth: 'synthetic/year-mismatch-title-2020-period-2021.truth.json',
    dpi: 180,
    colour: true,
    skew: 0.9,
    keystone: 0.025,
    seal: true,
    noise: 8,
    jpegQuality: 60,
    blur: 0.6,
    seed: 8,
  },
  {
    name: 'synthetic-009.colour',
    source: 'synthetic/clean-none-granted.pdf',
    truth: 'synthetic/clean-none-granted.truth.json',
    dpi: 150,
    colour: true,
    skew: -1.3,
    seal: true,
    noise: 10,
    jpegQuality: 55,
    seed: 9,
  },
  {
    name: 'synthetic-010.cover',
    source: 'synthetic/requests-result-total-broken-social-welfare.pdf',
    truth: 'synthetic/requests-result-total-broken-social-welfare.truth.json',
    dpi: 200,
    colour: false,
    skew: 0.3,
    noise: 5,
    jpegQuality: 75,
    typedCover: true,
    seed: 10,
  },
  {
    name: 'seed-001.colour',
    source: 'seeds/seed-huajie-2023-untitled-pipe-table.pdf',
    truth: 'seeds/seed-huajie-2023-untitled-pipe-table.truth.json',
    dpi: 200,
    colour: true,
    skew: -0.6,
    seal: true,
    noise: 6,
    jpegQuality: 65,
    seed: 11,
  },
  {
    name: 'seed-003.scan',
    source: 'seeds/seed-guanghualu-2024-markdown-headings.pdf',
    truth: 'seeds/seed-guanghualu-2024-markdown-headings.truth.json',
    dpi: 150,
    colour: false,
    skew: 1.1,
    noise: 7,
    jpegQuality: 60,
    blur: 0.5,
    seed: 12,
  },
  {
    name: 'hongze-2023.scan',
    source: 'real/hongze-2023.pdf',
    truth: 'real/hongze-2023.truth.json',
    dpi: 200,
    colour: true,
    skew: 0.5,
    seal: true,
    noise: 6,
    jpegQuality: 70,
    seed: 13,
  },
  {
    name: 'huaian-2024.scan',
    source: 'real/huaian-2024.pdf',
    truth: 'real/huaian-2024.truth.json',
    dpi: 150,
    colour: false,
    skew: -0.8,
    noise: 6,
    jpegQuality: 65,
    seed: 14,
  },
];

/** A small deterministic generator (mulberry32), so fixtures do not change from run to run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const gauss = (rnd: () => number): number =>
  Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());

/** A red seal (公章): a ring, a star and text around, in translucent red ink over what is under it. */
function drawSeal(ctx: SKRSContext2D, cx: number, cy: number, r: number, agency: string): void {
  ctx.save();
  ctx.globalCompositeOperation = 'multiply';
  ctx.strokeStyle = 'rgba(215, 30, 35, 0.85)';
  ctx.fillStyle = 'rgba(215, 30, 35, 0.85)';
  ctx.lineWidth = r * 0.07;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.stroke();
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 === 0 ? r * 0.3 : r * 0.12;
    ctx.lineTo(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
  }
  ctx.closePath();
  ctx.fill();
  const chars = [...agency.slice(0, 14)];
  ctx.font = `${Math.round(r * 0.22)}px sans-serif`;
  ctx.textAlign = 'center';
  chars.forEach((ch, i) => {
    const a = Math.PI * (-0.9 + (1.8 * i) / Math.max(1, chars.length - 1)) - Math.PI / 2;
    ctx.save();
    ctx.translate(cx + r * 0.75 * Math.cos(a), cy + r * 0.75 * Math.sin(a));
    ctx.rotate(a + Math.PI / 2);
    ctx.fillText(ch, 0, r * 0.08);
    ctx.restore();
  });
  ctx.restore();
}

/** Inverse-maps every output pixel through a keystone (top edge narrower) onto the input (bilinear). */
function keystone(src: Canvas, amount: number, paper: [number, number, number]): Canvas {
  const w = src.width;
  const h = src.height;
  const from = src.getContext('2d').getImageData(0, 0, w, h).data;
  const out = createCanvas(w, h);
  const ctx = out.getContext('2d');
  const img = ctx.createImageData(w, h);
  const d = img.data;
  for (let y = 0; y < h; y++) {
    // Row y of the photo shows a row of the page squeezed by this factor about the centre.
    const squeeze = 1 - amount * (1 - y / h);
    for (let x = 0; x < w; x++) {
      const sx = (x - w / 2) / squeeze + w / 2;
      const sy = y;
      const o = (y * w + x) * 4;
      const x0 = Math.floor(sx);
      if (x0 < 0 || x0 >= w - 1) {
        d[o] = paper[0];
        d[o + 1] = paper[1];
        d[o + 2] = paper[2];
        d[o + 3] = 255;
        continue;
      }
      const f = sx - x0;
      const i = (sy * w + x0) * 4;
      for (let c = 0; c < 3; c++) d[o + c] = (from[i + c] ?? 0) * (1 - f) + (from[i + 4 + c] ?? 0) * f;
      d[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return out;
}

async function scanPage(
  page: Awaited<
    ReturnType<
      Awaited<ReturnType<Awaited<ReturnType<typeof loadPdfJs>>['getDocument']>['promise']>['getPage']
    >
  >,
  v: Variant,
  rnd: () => number,
  sealAt: { x: number; y: number; agency: string } | null,
): Promise<ScanPage> {
  const scale = v.dpi / 72;
  const viewport = page.getViewport({ scale });
  const w = Math.ceil(viewport.width);
  const h = Math.ceil(viewport.height);
  const flat = createCanvas(w, h);
  const fctx = flat.getContext('2d');
  fctx.fillStyle = '#fff';
  fctx.fillRect(0, 0, w, h);
  await page.render({ canvasContext: fctx as never, viewport, canvas: flat as never }).promise;
  if (sealAt) drawSeal(fctx, sealAt.x * scale, sealAt.y * scale, 0.75 * v.dpi, sealAt.agency);
  const paper: [number, number, number] = v.colour ? [247, 242, 228] : [245, 245, 245];
  // Paper: the page printed on tinted stock (multiply keeps ink dark).
  const paperCanvas = createCanvas(w, h);
  const pctx = paperCanvas.getContext('2d');
  pctx.fillStyle = `rgb(${paper.join(',')})`;
  pctx.fillRect(0, 0, w, h);
  pctx.globalCompositeOperation = 'multiply';
  pctx.drawImage(flat, 0, 0);
  // The page lies turned on the glass.
  let turned = createCanvas(w, h);
  const tctx = turned.getContext('2d');
  tctx.fillStyle = `rgb(${paper.join(',')})`;
  tctx.fillRect(0, 0, w, h);
  tctx.translate(w / 2, h / 2);
  tctx.rotate((v.skew * Math.PI) / 180);
  tctx.translate(-w / 2, -h / 2);
  if (v.blur) tctx.filter = `blur(${v.blur}px)`;
  tctx.drawImage(paperCanvas, 0, 0);
  if (v.keystone) turned = keystone(turned, v.keystone, paper);
  // Grain, specks and (for a phone photo) uneven light.
  const ctx = turned.getContext('2d');
  const img = ctx.getImageData(0, 0, w, h);
  const d = img.data;
  const specks = Math.round((w / v.dpi) * (h / v.dpi) * 3);
  for (let p = 0; p < w * h; p++) {
    const n = gauss(rnd) * v.noise;
    const light = v.keystone ? -18 * (p / (w * h)) : 0;
    for (let c = 0; c < 3; c++) {
      const i = p * 4 + c;
      d[i] = Math.max(0, Math.min(255, (d[i] ?? 0) + n + light));
    }
  }
  for (let s = 0; s < specks; s++) {
    const x = Math.floor(rnd() * w);
    const y = Math.floor(rnd() * h);
    const r = 1 + Math.floor(rnd() * 2);
    for (let yy = y; yy < Math.min(h, y + r); yy++)
      for (let xx = x; xx < Math.min(w, x + r); xx++)
        for (let c = 0; c < 3; c++) d[(yy * w + xx) * 4 + c] = 40;
  }
  if (!v.colour) {
    for (let p = 0; p < w * h; p++) {
      const g = 0.299 * (d[p * 4] ?? 0) + 0.587 * (d[p * 4 + 1] ?? 0) + 0.114 * (d[p * 4 + 2] ?? 0);
      d[p * 4] = g;
      d[p * 4 + 1] = g;
      d[p * 4 + 2] = g;
    }
  }
  ctx.putImageData(img, 0, 0);
  const jpeg = await turned.encode('jpeg', v.jpegQuality);
  return {
    kind: 'image',
    jpeg,
    width: w,
    height: h,
    widthPt: viewport.width / scale,
    heightPt: viewport.height / scale,
    colour: v.colour,
  };
}

/** Where the signature block is: the last text items of the last page (agency and date), in points. */
async function signatureOf(
  page: Parameters<typeof scanPage>[0],
): Promise<{ x: number; y: number; agency: string } | null> {
  const content = await page.getTextContent();
  const [, , , top = 842] = page.view;
  const items = (content.items as Array<{ str?: string; transform?: number[]; width?: number }>).filter(
    (i) => typeof i.str === 'string' && i.str.trim() !== '' && i.transform,
  );
  const last = items.slice(-2);
  if (last.length === 0) return null;
  const xs = last.map((i) => (i.transform?.[4] ?? 0) + (i.width ?? 0) / 2);
  const ys = last.map((i) => top - (i.transform?.[5] ?? 0));
  const agency = last[0]?.str ?? '';
  return {
    x: xs.reduce((a, b) => a + b, 0) / xs.length + 20,
    y: ys.reduce((a, b) => a + b, 0) / ys.length,
    agency,
  };
}

export async function makeScan(v: Variant): Promise<{ pdf: Uint8Array; truth: string }> {
  const pdfjs = await loadPdfJs();
  const fixtures = path.join(ROOT, 'test', 'fixtures');
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(readFileSync(path.join(fixtures, v.source))),
    ...pdfjsAssets(),
    cMapPacked: true,
  }).promise;
  const rnd = random(v.seed);
  const pages: ScanPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    // A typed cover before the scanned pages: the only text layer of the file, never sent to OCR.
    if (v.typedCover && n === 1) pages.push({ kind: 'cover', lines: await coverLines(page) });
    const seal = v.seal && n === doc.numPages ? await signatureOf(page) : null;
    pages.push(await scanPage(page, v, rnd, seal));
    page.cleanup();
  }
  await doc.cleanup();
  return { pdf: imagePdf(pages), truth: readFileSync(path.join(fixtures, v.truth), 'utf8') };
}

/** A typed cover page: the report's title and agency as text, the way a cover is printed before a scan. */
async function coverLines(page: Parameters<typeof scanPage>[0]): Promise<string[]> {
  const content = await page.getTextContent();
  const title = (content.items as Array<{ str?: string }>)
    .map((i) => i.str ?? '')
    .join('')
    .slice(0, 40);
  return [
    title.replace(/\s+/g, ''),
    '政府信息公开工作年度报告（盖章扫描件）',
    '本文件第二页起为签字盖章后的扫描页',
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(2);
  mkdirSync(OUT, { recursive: true });
  for (const v of VARIANTS.filter((x) => only.length === 0 || only.includes(x.name))) {
    const { pdf, truth } = await makeScan(v);
    writeFileSync(path.join(OUT, `${v.name}.pdf`), pdf);
    writeFileSync(path.join(OUT, `${v.name}.truth.json`), truth);
    console.log(`${v.name}.pdf ${(pdf.length / 1024).toFixed(0)} KB`);
  }
}
