/**
 * Grey images as plain typed arrays, and the few pixel operations the OCR needs. No image library: a
 * scanned page is a few million bytes and every operation here is one pass over them.
 */
export interface Grey {
  width: number;
  height: number;
  /** 0 = black … 255 = white, row-major. */
  data: Uint8Array;
}

/** A seal's red: well above both other channels. Stamped red ink is removed before anything reads ink. */
const SEAL_RED_MARGIN = 50;

/**
 * RGB(A) → grey, with red seal ink turned to paper. A pixel is seal ink when red clearly dominates; black
 * text under a seal stays dark in all three channels and survives. Luminance is then taken from the
 * darkest two channels' mean, so a tinted paper (yellowish, greyish) stays light.
 */
export function toGrey(
  rgb: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  channels: number,
): Grey {
  const out = new Uint8Array(width * height);
  if (channels === 1) {
    out.set(rgb.subarray(0, width * height));
    return { width, height, data: out };
  }
  for (let p = 0, q = 0; p < out.length; p++, q += channels) {
    const r = rgb[q] ?? 0;
    const g = rgb[q + 1] ?? 0;
    const b = rgb[q + 2] ?? 0;
    if (r - Math.max(g, b) > SEAL_RED_MARGIN) {
      out[p] = 255;
      continue;
    }
    out[p] = (r * 299 + g * 587 + b * 114) / 1000;
  }
  return { width, height, data: out };
}

/** Otsu's threshold of a grey histogram: the level that best separates ink from paper. */
export function otsu(img: Grey): number {
  const hist = new Float64Array(256);
  const step = img.data.length > 4_000_000 ? 3 : 1;
  let n = 0;
  for (let i = 0; i < img.data.length; i += step) {
    {
      const v = img.data[i] ?? 0;
      hist[v] = (hist[v] ?? 0) + 1;
    }
    n++;
  }
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * (hist[i] ?? 0);
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let level = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t] ?? 0;
    if (wB === 0) continue;
    const wF = n - wB;
    if (wF === 0) break;
    sumB += t * (hist[t] ?? 0);
    const mB = sumB / wB;
    const mF = (sumAll - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      level = t;
    }
  }
  return level;
}

/**
 * Ink mask (1 = ink) by a local threshold: a pixel is ink when it is darker than its neighbourhood's
 * mean by a margin and darker than the page's global paper/ink split plus some slack. The local part
 * copes with uneven light (a phone photo's shading), the global part keeps paper texture and JPEG
 * ringing on a clean background out.
 */
export function binarize(img: Grey, window: number): Uint8Array {
  const { width: w, height: h, data } = img;
  const integral = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += data[y * w + x] ?? 0;
      integral[(y + 1) * (w + 1) + x + 1] = (integral[y * (w + 1) + x + 1] ?? 0) + row;
    }
  }
  const global = otsu(img);
  // Well above the ink/paper split: a hairline ruled thin and scanned light is still ink.
  const ceiling = Math.min(235, global + 60);
  const r = Math.max(4, Math.floor(window / 2));
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x] ?? 0;
      if (v >= ceiling) continue;
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const sum =
        (integral[y1 * (w + 1) + x1] ?? 0) -
        (integral[y0 * (w + 1) + x1] ?? 0) -
        (integral[y1 * (w + 1) + x0] ?? 0) +
        (integral[y0 * (w + 1) + x0] ?? 0);
      const mean = sum / ((y1 - y0) * (x1 - x0));
      if (v < mean - 12 || v < global - 40) out[y * w + x] = 1;
    }
  }
  return out;
}

/** Rotates about the centre by `radians` (bilinear), filling with paper. */
export function rotate(img: Grey, radians: number): Grey {
  if (Math.abs(radians) < 1e-5) return img;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h).fill(255);
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      const sx = cos * dx + sin * dy + cx;
      const sy = -sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = (data[i] ?? 0) * (1 - fx) + (data[i + 1] ?? 0) * fx;
      const bottom = (data[i + w] ?? 0) * (1 - fx) + (data[i + w + 1] ?? 0) * fx;
      out[y * w + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Downscale by an integer factor keeping each block's darkest pixel: a hairline ruled at 300 dpi stays
 * a solid line at 150 instead of fading into a dotted grey one (averaging lost the 300 dpi scans' grids).
 */
export function shrinkDark(img: Grey, factor: number): Grey {
  if (factor <= 1) return img;
  const w = Math.floor(img.width / factor);
  const h = Math.floor(img.height / factor);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let m = 255;
      for (let yy = 0; yy < factor; yy++) {
        const row = (y * factor + yy) * img.width + x * factor;
        for (let xx = 0; xx < factor; xx++) m = Math.min(m, img.data[row + xx] ?? 0);
      }
      out[y * w + x] = m;
    }
  }
  return { width: w, height: h, data: out };
}

/** Area-averaging downscale by an integer factor (fast, no aliasing of thin strokes into nothing). */
export function shrink(img: Grey, factor: number): Grey {
  if (factor <= 1) return img;
  const w = Math.floor(img.width / factor);
  const h = Math.floor(img.height / factor);
  const out = new Uint8Array(w * h);
  const area = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let yy = 0; yy < factor; yy++) {
        const row = (y * factor + yy) * img.width + x * factor;
        for (let xx = 0; xx < factor; xx++) s += img.data[row + xx] ?? 0;
      }
      out[y * w + x] = s / area;
    }
  }
  return { width: w, height: h, data: out };
}

/** Bilinear resample of any rectangle (x0, y0, w, h in source pixels) to `outW × outH`. */
export function resample(
  img: Grey,
  x0: number,
  y0: number,
  w: number,
  h: number,
  outW: number,
  outH: number,
): Float32Array {
  const out = new Float32Array(outW * outH);
  const sx = w / outW;
  const sy = h / outH;
  // A strong downscale averages a box rather than sampling four pixels, so thin strokes keep their weight.
  const box = Math.max(1, Math.floor(Math.min(sx, sy)));
  for (let y = 0; y < outH; y++) {
    const fy = y0 + (y + 0.5) * sy - 0.5;
    for (let x = 0; x < outW; x++) {
      const fx = x0 + (x + 0.5) * sx - 0.5;
      out[y * outW + x] = box > 1 ? boxAt(img, fx, fy, box) : bilinearAt(img, fx, fy);
    }
  }
  return out;
}

function pixel(img: Grey, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return 255;
  return img.data[y * img.width + x] ?? 0;
}

function bilinearAt(img: Grey, fx: number, fy: number): number {
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const ax = fx - x0;
  const ay = fy - y0;
  const top = pixel(img, x0, y0) * (1 - ax) + pixel(img, x0 + 1, y0) * ax;
  const bottom = pixel(img, x0, y0 + 1) * (1 - ax) + pixel(img, x0 + 1, y0 + 1) * ax;
  return top * (1 - ay) + bottom * ay;
}

function boxAt(img: Grey, fx: number, fy: number, box: number): number {
  const x0 = Math.round(fx - box / 2);
  const y0 = Math.round(fy - box / 2);
  let s = 0;
  for (let y = 0; y < box; y++) for (let x = 0; x < box; x++) s += pixel(img, x0 + x, y0 + y);
  return s / (box * box);
}
