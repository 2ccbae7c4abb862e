import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractionError, Extractor } from '../../functions/extract/index.ts';
import { embeddedScan } from '../../functions/extract/ocr/page-image.ts';
import { loadPdfJs } from '../../functions/extract/pdf/pdf.ts';
import { failedRecord } from '../../functions/report/index.ts';
import { imagePdf, type ScanPage } from '../../scripts/scan-pdf.ts';
import { FIXTURES_DIR, fixturePath } from '../support/fixtures.ts';

/**
 * A 50-page scan under the OCR budgets (issue 24): it never takes the worker down and ends in a record —
 * over the page budget at once, over the time budget after the pages that fit, each a FILE_TOO_LARGE
 * with a clear reason. The pages are a real scanned table page (100 dpi, to keep the test short).
 */
let fifty: Uint8Array;
beforeAll(async () => {
  const pdfjs = await loadPdfJs();
  const source = readFileSync(path.join(FIXTURES_DIR, 'scanned', 'synthetic-001.scan.pdf'));
  const doc = await pdfjs.getDocument({ data: new Uint8Array(source) }).promise;
  const scan = await embeddedScan((await doc.getPage(2)) as never, pdfjs.OPS as never);
  if (!scan) throw new Error('no scan image');
  const scale = 100 / scan.dpi;
  const w = Math.round(scan.image.width * scale);
  const h = Math.round(scan.image.height * scale);
  const full = createCanvas(scan.image.width, scan.image.height);
  const data = full.getContext('2d').createImageData(scan.image.width, scan.image.height);
  scan.image.data.forEach((v, i) => {
    data.data.set([v, v, v, 255], i * 4);
  });
  full.getContext('2d').putImageData(data, 0, 0);
  const small = createCanvas(w, h);
  small.getContext('2d').drawImage(full, 0, 0, w, h);
  const jpeg = await small.encode('jpeg', 75);
  const page: ScanPage = {
    kind: 'image',
    jpeg,
    width: w,
    height: h,
    widthPt: 595.28,
    heightPt: 841.89,
    colour: false,
  };
  fifty = imagePdf(Array.from({ length: 50 }, () => page));
});

describe('a 50-page scan', () => {
  const pages = new Extractor({ limits: { maxOcrPages: 40 } });
  const time = new Extractor({ limits: { ocrTimeoutMs: 4_000 } });
  afterAll(async () => {
    await pages.close();
    await time.close();
  });

  it('over the OCR page budget: FILE_TOO_LARGE at once, and a FAILED record', {
    timeout: 60_000,
  }, async () => {
    const error = await pages.extract(fifty).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractionError);
    expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('50 页') });
    const e = error as ExtractionError;
    const record = failedRecord({ file: 'fifty.pdf', bytes: fifty }, e.code, e.message);
    expect(record).toMatchObject({ status: 'FAILED', failure: { code: 'FILE_TOO_LARGE' } });
  });

  it('over the OCR time budget: FILE_TOO_LARGE after the pages that fit, the worker alive', {
    timeout: 120_000,
  }, async () => {
    const error = await time.extract(fifty).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('OCR') });
    // The same extractor reads the next file: the budget failed the file, not the process.
    const next = await time.extract(
      new Uint8Array(readFileSync(fixturePath('synthetic', 'clean-single-request.pdf'))),
    );
    expect(next.pages.length).toBe(3);
  });
});
