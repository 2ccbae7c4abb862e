import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExtractionError, Extractor, extractDocument } from '../../functions/extract/index.ts';
import type { OcrPageStats } from '../../functions/extract/ocr/ocr-pages.ts';
import { SCAN_TEXT_CHARS } from '../../functions/extract/pdf/pdf.ts';
import { extractUpload } from '../../functions/pipeline/extract-step.ts';
import { FIXTURES_DIR, fixturePath } from '../support/fixtures.ts';
import { buildPdf } from '../support/pdf-writer.ts';

/**
 * When a page goes to OCR (issue 24): a page with no text layer (or almost none) that is painted by a
 * picture; never a page with text. With OCR off (the extract function on AWS) such a file fails
 * NO_TEXT_LAYER, and the pipeline's extract step hands it to the OCR reader.
 */
const TITLE = '清河区光明街道办事处2023年政府信息公开工作年度报告（扫描件附后）';

async function ocrPagesOf(bytes: Uint8Array): Promise<number[]> {
  const pages: OcrPageStats[] = [];
  try {
    const doc = await extractDocument(bytes, {}, { onOcrPage: (p) => pages.push(p) });
    expect(doc.ocr?.pages ?? []).toEqual(pages.map((p) => p.page));
  } catch (error) {
    if (!(error instanceof ExtractionError)) throw error;
  }
  return pages.map((p) => p.page);
}

describe('which pages are read by OCR', () => {
  it('no page of a PDF with a text layer, tables and all', async () => {
    for (const name of ['synthetic/clean-single-request.pdf', 'real/hongze-2023.pdf']) {
      expect(await ocrPagesOf(new Uint8Array(readFileSync(fixturePath(name)))), name).toEqual([]);
    }
  });

  it('the scanned pages after a typed cover, and not the cover', async () => {
    const pdf = buildPdf({
      pages: [{ runs: [{ text: TITLE, x: 40, y: 700 }] }, { image: true }, { image: true }],
    });
    expect(await ocrPagesOf(pdf)).toEqual([2, 3]);
  });

  it('not a page that has text as well as a picture', async () => {
    const words =
      '本报告根据中华人民共和国政府信息公开条例要求编制数据统计期限为二〇二三年一月一日至十二月三十一日';
    expect(words.length).toBeGreaterThan(SCAN_TEXT_CHARS);
    const pdf = buildPdf({ pages: [{ runs: [{ text: words, x: 20, y: 700, size: 8 }], image: true }] });
    expect(await ocrPagesOf(pdf)).toEqual([]);
  });

  it('a page whose only text is a scanner’s stamp is still read', async () => {
    const pdf = buildPdf({
      pages: [{ runs: [{ text: 'Scanned 2024', x: 20, y: 20, font: 'helv' }], image: true }],
    });
    expect(await ocrPagesOf(pdf)).toEqual([1]);
  });
});

describe('with OCR off', () => {
  const off = new Extractor({ limits: { ocr: false } });
  afterAll(() => off.close());
  const scan = new Uint8Array(readFileSync(path.join(FIXTURES_DIR, 'scanned', 'synthetic-001.scan.pdf')));

  it('a scan fails NO_TEXT_LAYER, and a cover + scans names the scanned pages', async () => {
    await expect(off.extract(scan)).rejects.toMatchObject({ code: 'NO_TEXT_LAYER' });
    const mixed = buildPdf({ pages: [{ runs: [{ text: TITLE, x: 40, y: 700 }] }, { image: true }] });
    await expect(off.extract(mixed)).rejects.toMatchObject({
      code: 'NO_TEXT_LAYER',
      message: expect.stringContaining('第 2 页'),
    });
  });

  it('the extract step hands such a file to the OCR reader, and a text PDF never', async () => {
    const stored = new Map<string, string>();
    const objects = {
      get: async () => scan,
      put: async (_b: string, key: string, body: string) => {
        stored.set(key, body);
      },
    };
    const asked: string[] = [];
    const ocr = async (ref: { key: string }) => {
      asked.push(ref.key);
      return { format: 'pdf' as const, pages: [{ number: 1, lines: [] }], warnings: [] };
    };
    const ref = {
      bucket: 'b',
      key: 'incoming/agency-1/2023/scan.pdf',
      versionId: null,
      sequencer: '01',
      eventTime: '2024-01-20T00:00:00Z',
      size: scan.length,
      eTag: null,
    };
    const outcome = await extractUpload(ref, { objects: objects as never, extractor: off, ocr });
    expect(outcome).toMatchObject({ kind: 'stored', ok: true });
    expect(asked).toEqual([ref.key]);
    const text = new Uint8Array(readFileSync(fixturePath('synthetic', 'clean-single-request.pdf')));
    await extractUpload(
      { ...ref, size: text.length },
      { objects: { ...objects, get: async () => text } as never, extractor: off, ocr },
    );
    expect(asked).toEqual([ref.key]);
  });
});
