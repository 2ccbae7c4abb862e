import { ExtractionError } from '../errors.ts';
import type { ExtractionLimits } from '../limits.ts';
import type { OcrSummary, Page } from '../types.ts';
import { ENGINE, MODEL } from './models.ts';
import { embeddedScan, renderPage } from './page-image.ts';
import { readPage } from './read-page.ts';

/**
 * OCR of the scanned pages of one PDF (issue 24). pdf.ts decides which pages need it; this reads them
 * one at a time (a page's images are dropped before the next is decoded, so memory does not grow with
 * the page count) under the file's OCR budgets.
 */
type PdfPage = Parameters<typeof embeddedScan>[0] & { cleanup(): void };

export interface OcrOps {
  paintImageXObject: number;
  transform: number;
  save: number;
  restore: number;
}

/** What one OCR'd page cost. */
export interface OcrPageStats {
  page: number;
  dpi: number;
  /** True when the page had a table grid. */
  table: boolean;
  wallMs: number;
  cpuMs: number;
}

export async function ocrPages(
  pages: ReadonlyArray<{
    number: number;
    load: () => Promise<PdfPage>;
    /** Is this page (almost no text) a scan? Pages that are not keep their text layer. */
    isScan: (page: never) => Promise<boolean>;
  }>,
  ops: OcrOps,
  limits: ExtractionLimits,
  startedAt: number,
  onPage?: (stats: OcrPageStats) => void,
): Promise<{ pages: Page[]; summary: OcrSummary }> {
  if (pages.length > limits.maxOcrPages) {
    throw new ExtractionError(
      'FILE_TOO_LARGE',
      `扫描件共 ${pages.length} 页没有文字层、需要文字识别（OCR），超过上限 ${limits.maxOcrPages} 页；请上传带文字层的 PDF 或拆分后上传`,
    );
  }
  const out: Page[] = [];
  let sum = 0;
  let count = 0;
  for (const { number, load, isScan } of pages) {
    if (Date.now() - startedAt > limits.ocrTimeoutMs) {
      throw new ExtractionError(
        'FILE_TOO_LARGE',
        `文字识别（OCR）超过时限 ${limits.ocrTimeoutMs / 1000} 秒（已识别 ${out.length}/${pages.length} 页）；请上传带文字层的 PDF 或拆分后上传`,
      );
    }
    const page = await load();
    const wall = performance.now();
    const cpu = process.cpuUsage();
    try {
      if (!(await isScan(page as never))) continue;
      const image = (await embeddedScan(page, ops)) ?? (await renderPage(page));
      const reading = await readPage(image, number);
      const lines = reading.lines.map((line, i) => ({
        ...line,
        cells: line.cells.map((cell, j) => {
          const info = reading.cellInfo[i]?.[j];
          if (info) {
            sum += info.confidence;
            count++;
          }
          return info ? { ...cell, ocr: info } : cell;
        }),
      }));
      out.push({ number, lines });
      const used = process.cpuUsage(cpu);
      onPage?.({
        page: number,
        dpi: Math.round(reading.dpi * reading.scale),
        table: reading.tables > 0,
        wallMs: performance.now() - wall,
        cpuMs: (used.user + used.system) / 1000,
      });
    } finally {
      page.cleanup();
    }
  }
  return {
    pages: out,
    summary: {
      engine: ENGINE,
      model: MODEL,
      pages: out.map((p) => p.number),
      meanConfidence: count === 0 ? 0 : Math.round((sum / count) * 1000) / 1000,
    },
  };
}
