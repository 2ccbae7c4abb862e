import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ExtractionError,
  type ExtractionErrorCode,
  Extractor,
  renderText,
} from '../../functions/extract/index.ts';
import { fixturePath } from '../support/fixtures.ts';
import { buildPdf, deflateRepeated } from '../support/pdf-writer.ts';
import { buildDocx, buildZip } from '../support/zip-writer.ts';

/** Every failure ends in a coded ExtractionError from the sandboxed extractor, never a crash or a hang. */
const extractor = new Extractor({
  limits: { timeoutMs: 20_000, maxDecodedBytes: 128 * 1024 * 1024, maxMemoryMb: 384 },
});
afterAll(() => extractor.close());

async function failureOf(bytes: Uint8Array, ex: Extractor = extractor): Promise<ExtractionError> {
  try {
    await ex.extract(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ExtractionError);
    return error as ExtractionError;
  }
  throw new Error('extraction succeeded but a failure was expected');
}

const expectCode = async (bytes: Uint8Array, code: ExtractionErrorCode, ex?: Extractor): Promise<string> => {
  const error = await failureOf(bytes, ex);
  expect(error.code).toBe(code);
  expect(error.message.length).toBeGreaterThan(4);
  expect(error.message).not.toContain('\n');
  return error.message;
};

const samplePdf = readFileSync(fixturePath('synthetic', 'cell-missing-denied-state-secret.pdf'));

/** A deterministic stream of "random" bytes (xorshift), so the test is the same on every run. */
function noise(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('extraction failure codes', () => {
  it('FILE_EMPTY for zero bytes and for whitespace only', async () => {
    await expectCode(new Uint8Array(), 'FILE_EMPTY');
    await expectCode(new TextEncoder().encode(' \n\t\r\n'), 'FILE_EMPTY');
  });

  it('UNSUPPORTED_TYPE for random bytes, an image and a spreadsheet', async () => {
    await expectCode(noise(4096), 'UNSUPPORTED_TYPE');
    await expectCode(
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...noise(100)]),
      'UNSUPPORTED_TYPE',
    );
    const xlsx = buildZip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }]);
    expect(await expectCode(xlsx, 'UNSUPPORTED_TYPE')).toContain('Excel');
  });

  it('FILE_CORRUPT for a truncated PDF and a truncated DOCX', async () => {
    await expectCode(samplePdf.subarray(0, Math.floor(samplePdf.length * 0.4)), 'FILE_CORRUPT');
    const docx = readFileSync(fixturePath('synthetic', 'cell-missing-denied-state-secret.docx'));
    await expectCode(docx.subarray(0, 3000), 'FILE_CORRUPT');
  });

  it('FILE_ENCRYPTED for a PDF that needs a password to open', async () => {
    const pdf = buildPdf({
      pages: [{ runs: [{ text: '政府信息公开', x: 50, y: 700 }] }],
      encrypt: { userPassword: 'secret', ownerPassword: 'owner' },
    });
    expect(await expectCode(pdf, 'FILE_ENCRYPTED')).toContain('密码');
  });

  it('extracts a PDF encrypted with permissions only (no password to open)', async () => {
    const pdf = buildPdf({
      pages: [{ runs: [{ text: '政府信息公开工作年度报告', x: 50, y: 700 }] }],
      encrypt: { userPassword: '', ownerPassword: 'owner' },
    });
    expect(renderText(await extractor.extract(pdf))).toBe('政府信息公开工作年度报告');
  });

  it('NO_TEXT_LAYER for a scanned PDF (images, no text) and says OCR is needed', async () => {
    const pdf = buildPdf({ pages: [{ image: true }, { image: true }] });
    expect(await expectCode(pdf, 'NO_TEXT_LAYER')).toContain('OCR');
  });

  it('FILE_TOO_LARGE for too many bytes and too many pages', async () => {
    const small = new Extractor({ limits: { maxBytes: 1000, maxPages: 2 } });
    try {
      await expectCode(samplePdf, 'FILE_TOO_LARGE', small);
      const pages = buildPdf({
        pages: [1, 2, 3].map((n) => ({ runs: [{ text: `第${n}页`, x: 50, y: 700 }] })),
      });
      const roomy = new Extractor({ limits: { maxPages: 2 } });
      expect(await expectCode(pages, 'FILE_TOO_LARGE', roomy)).toContain('3 页');
      await roomy.close();
    } finally {
      await small.close();
    }
  });

  it('FILE_TOO_LARGE for a small PDF whose content stream inflates to 300 MB, and the process lives on', async () => {
    const payload = deflateRepeated('BT /F2 12 Tf 10 10 Td (AAAAAAAAAAAAAAAA) Tj ET\n', 300 * 1024 * 1024);
    const bomb = buildPdf({ pages: [{ deflated: payload }] });
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    await expectCode(bomb, 'FILE_TOO_LARGE');
    // The worker that hit the budget was replaced: the same extractor goes on working.
    expect(renderText(await extractor.extract(samplePdf))).toContain('一、总体情况');
  });

  it('FILE_TOO_LARGE for DOCX zip bombs, whether the archive declares its size or lies about it', async () => {
    const big = Buffer.alloc(300 * 1024 * 1024, 0x41);
    const honest = buildDocx(['x'], [{ name: 'word/media/big.bin', data: big }]);
    expect(await expectCode(honest, 'FILE_TOO_LARGE')).toContain('DOCX');
    const head =
      '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>';
    const body = Buffer.concat([
      Buffer.from(head),
      big,
      Buffer.from('</w:t></w:r></w:p></w:body></w:document>'),
    ]);
    const lying = buildZip([{ name: 'word/document.xml', data: body, declaredSize: 2000 }]);
    await expectCode(lying, 'FILE_TOO_LARGE');
    expect(renderText(await extractor.extract(buildDocx(['一、总体情况'])))).toBe('一、总体情况');
  });

  it('FILE_TOO_LARGE when extraction runs past its deadline', async () => {
    const hurried = new Extractor({ limits: { timeoutMs: 1 } });
    try {
      expect(await expectCode(samplePdf, 'FILE_TOO_LARGE', hurried)).toContain('时限');
    } finally {
      await hurried.close();
    }
  });

  it('reads an HTML file named .pdf as HTML: the name is never trusted', async () => {
    const html = readFileSync(fixturePath('synthetic', 'cell-missing-denied-state-secret.html'));
    const doc = await extractor.extract(html);
    expect(doc.format).toBe('html');
  });
});

describe('Chinese text in a non-embedded font with a predefined CMap', () => {
  it('is INTERNAL_ERROR, not silence, when the CMap data the file needs is missing from our install', async () => {
    // A CMap folder whose UniGB-UCS2-H is damaged: pdf.js can only warn, and the warning must not be lost.
    const dir = mkdtempSync(path.join(tmpdir(), 'pdfjs-assets-'));
    mkdirSync(path.join(dir, 'cmaps'));
    writeFileSync(path.join(dir, 'cmaps', 'UniGB-UCS2-H.bcmap'), 'not a cmap');
    const previous = process.env.PDFJS_ASSETS_DIR;
    process.env.PDFJS_ASSETS_DIR = dir;
    const broken = new Extractor();
    try {
      const pdf = buildPdf({ pages: [{ runs: [{ text: '政府信息公开', x: 50, y: 700 }] }] });
      expect(await expectCode(pdf, 'INTERNAL_ERROR', broken)).toContain('CMap');
    } finally {
      await broken.close();
      if (previous === undefined) delete process.env.PDFJS_ASSETS_DIR;
      else process.env.PDFJS_ASSETS_DIR = previous;
    }
  });

  it('extracts STSong-Light + UniGB-UCS2-H text through the bundled CMaps', async () => {
    const pdf = buildPdf({
      pages: [
        {
          flate: true,
          runs: [
            { text: '政府信息公开工作年度报告', x: 50, y: 760, size: 16 },
            { text: '行政许可', x: 50, y: 700 },
            { text: '86', x: 300, y: 700, font: 'helv' },
          ],
        },
      ],
    });
    const doc = await extractor.extract(pdf);
    expect(renderText(doc)).toBe('政府信息公开工作年度报告\n行政许可\t86');
    expect(doc.warnings).toEqual([]);
  });
});
