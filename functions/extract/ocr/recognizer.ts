import { readFileSync } from 'node:fs';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { modelFiles } from './models.ts';
import { type Grey, resample } from './raster.ts';

/**
 * Text-line recognition with PaddleOCR's PP-OCRv4 recogniser (CTC over 6,623 characters) on ONNX
 * Runtime. Only recognition: where the text is comes from our own layout (grid.ts, lines.ts), so each
 * table cell is read on its own and no neighbouring cells merge.
 *
 * Each character keeps the probability the model gave it. A cell that holds a number is decoded twice:
 * over all characters and over digits only. The digits-only reading is what the cell says; its
 * confidence is the lowest probability any of its characters had in the *unrestricted* distribution, so
 * a "0" the model thought might be "o" or "6" is known to be uncertain.
 */
export interface Crop {
  /** Source rectangle in the image, in pixels. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Reading {
  text: string;
  /** Lowest per-character probability (1 when the text is empty and the model saw only blank). */
  confidence: number;
  /** The same crop decoded over digits, '.', ',' and '-' only. */
  digits: string;
  /** Lowest unrestricted probability of the digits-only reading's characters. */
  digitConfidence: number;
}

export const REC_HEIGHT = 48;
const MAX_WIDTH = 2400;
/**
 * A batch holds at most this many input columns (crops × padded width) and this many crops. Measured on
 * one core (docs/ocr.md): per column, 8 crops of 1 280 cost about twice what one does (the activations
 * leave the cache), while up to ≈ 2 500 columns a batch costs no more per column than a single crop. So
 * wide lines go one or two at a time. Crops up to 256 wide keep their batches of 8 exactly: the padding a
 * crop gets (to the widest of its batch) moves the model's reading of a small number (16 to a batch read
 * two of the sweep's cells otherwise).
 */
const BATCH_COLUMNS = 2048;
const BATCH = 8;
const DIGIT_CHARS = '0123456789.,-';

let session:
  | Promise<{ session: InferenceSession; classes: string[]; ort: typeof import('onnxruntime-node') }>
  | undefined;

/** Loads the model once per process, on one thread (the pool runs one worker per core). */
export function loadRecognizer(): NonNullable<typeof session> {
  session ??= (async () => {
    const ort = await import('onnxruntime-node');
    const files = modelFiles();
    const s = await ort.InferenceSession.create(files.recognition, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    const dictionary = readFileSync(files.dictionary, 'utf8').replace(/\r/g, '').split('\n');
    if (dictionary.at(-1) === '') dictionary.pop();
    // CTC class 0 is blank; the dictionary follows, then the space PaddleOCR appends.
    return { session: s, classes: ['', ...dictionary, ' '], ort };
  })();
  return session;
}

/** The input width a crop gets at the recogniser's height, with a little paper on either side. */
function inputWidth(crop: Crop): number {
  const w = crop.x1 - crop.x0;
  const h = crop.y1 - crop.y0;
  return Math.min(MAX_WIDTH, Math.max(REC_HEIGHT, Math.ceil((w / h) * REC_HEIGHT)));
}

/**
 * Reads crops of one image. Crops are batched by width (padded with paper to the widest of the batch),
 * which keeps the model's fixed cost per call small on many short table cells, within BATCH_COLUMNS.
 */
export async function recognize(img: Grey, crops: readonly Crop[]): Promise<Reading[]> {
  if (crops.length === 0) return [];
  const { session: s, classes, ort } = await loadRecognizer();
  const digitClasses = digitClassesOf(classes);
  const order = crops.map((c, i) => ({ i, w: inputWidth(c) })).sort((a, b) => a.w - b.w);
  const out: Reading[] = new Array(crops.length);
  for (let start = 0; start < order.length; ) {
    // Sorted by width: the batch's last crop is its widest, the width every crop is padded to.
    let end = start + 1;
    while (
      end < order.length &&
      end - start < BATCH &&
      (end - start + 1) * (order[end]?.w ?? 0) <= BATCH_COLUMNS
    )
      end++;
    const batch = order.slice(start, end);
    start = end;
    const width = Math.max(...batch.map((b) => b.w));
    const plane = REC_HEIGHT * width;
    const input = new Float32Array(batch.length * 3 * plane).fill(1);
    batch.forEach((b, n) => {
      const crop = crops[b.i] as Crop;
      const pixels = resample(img, crop.x0, crop.y0, crop.x1 - crop.x0, crop.y1 - crop.y0, b.w, REC_HEIGHT);
      for (let y = 0; y < REC_HEIGHT; y++) {
        for (let x = 0; x < b.w; x++) {
          const v = ((pixels[y * b.w + x] ?? 0) / 255 - 0.5) / 0.5;
          const at = y * width + x;
          for (let c = 0; c < 3; c++) input[n * 3 * plane + c * plane + at] = v;
        }
      }
    });
    const tensor = new ort.Tensor('float32', input, [batch.length, 3, REC_HEIGHT, width]);
    const result = await s.run({ [s.inputNames[0] as string]: tensor });
    const probs = result[s.outputNames[0] as string] as Tensor;
    const [, steps = 0, nClasses = 0] = probs.dims as number[];
    const data = probs.data as Float32Array;
    batch.forEach((b, n) => {
      // Steps beyond this crop's own width saw only padding.
      const own = Math.min(steps, Math.ceil((b.w / width) * steps) + 1);
      out[b.i] = decode(data, n * steps * nClasses, own, nClasses, classes, digitClasses);
    });
    tensor.dispose?.();
  }
  return out;
}

/**
 * Characters a number cell's model output may spend its probability on that still mean a digit: the
 * letter O for 0, l and I for 1, full-width digits. Their mass is folded into the digit's.
 */
export const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = {
  o: '0',
  O: '0',
  〇: '0',
  Ｏ: '0',
  D: '0',
  l: '1',
  I: '1',
  '|': '1',
  丨: '1',
  '１': '1',
  '２': '2',
  '３': '3',
  '４': '4',
  '５': '5',
  '６': '6',
  '７': '7',
  '８': '8',
  '９': '9',
  '０': '0',
  '．': '.',
  '，': ',',
};

export interface DigitClasses {
  /** Class index of each digit-alphabet character. */
  own: Map<string, number>;
  /** Class indices whose probability counts for a digit-alphabet character. */
  folded: Map<string, number[]>;
}

export function digitClassesOf(classes: readonly string[]): DigitClasses {
  const own = new Map<string, number>();
  const folded = new Map<string, number[]>();
  classes.forEach((c, i) => {
    if (i === 0) return;
    const target = DIGIT_CHARS.includes(c) ? c : DIGIT_LOOKALIKES[c];
    if (target === undefined) return;
    if (target === c) own.set(c, i);
    folded.set(target, [...(folded.get(target) ?? []), i]);
  });
  return { own, folded };
}

/** Above this, a step where blank won may have hidden a digit (a dropped zero). */
const HIDDEN_DIGIT = 0.3;

function decode(
  data: Float32Array,
  offset: number,
  steps: number,
  nClasses: number,
  classes: readonly string[],
  digitClasses: DigitClasses,
): Reading {
  let text = '';
  let confidence = 1;
  let digits = '';
  let digitConfidence = 1;
  let prev = 0;
  let prevDigit = '';
  const targets = [...digitClasses.folded.entries()];
  for (let t = 0; t < steps; t++) {
    const base = offset + t * nClasses;
    let best = 0;
    let bestP = data[base] ?? 0;
    for (let c = 1; c < nClasses; c++) {
      const p = data[base + c] ?? 0;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== prev) {
      text += classes[best];
      confidence = Math.min(confidence, bestP);
    }
    prev = best;
    // Digits only, over the digit alphabet with look-alikes folded in, renormalised with blank: how sure
    // the model is of this digit against another digit or none.
    const blank = data[base] ?? 0;
    let dBest = '';
    let dP = blank;
    let mass = blank;
    for (const [ch, indices] of targets) {
      let p = 0;
      for (const i of indices) p += data[base + i] ?? 0;
      mass += p;
      if (p > dP) {
        dP = p;
        dBest = ch;
      }
    }
    if (mass <= 0) continue;
    if (dBest !== '' && dBest !== prevDigit) {
      digits += dBest;
      digitConfidence = Math.min(digitConfidence, dP / mass);
    } else if (dBest === '') {
      const hidden = 1 - blank / mass;
      if (hidden > HIDDEN_DIGIT) digitConfidence = Math.min(digitConfidence, 1 - hidden);
    }
    prevDigit = dBest;
  }
  return { text, confidence, digits, digitConfidence };
}
