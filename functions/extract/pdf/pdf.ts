import { registerHooks } from 'node:module';
import { ExtractionError, messageOf } from '../errors.ts';
import { type ExtractionLimits, formatBytes } from '../limits.ts';
import type { OcrPageStats } from '../ocr/ocr-pages.ts';
import { walkOperators } from '../ocr/page-image.ts';
import type { ExtractedDocument, OcrSummary, Page } from '../types.ts';
import { pdfjsAssets } from './assets.ts';
import { layoutPage, type TextItem } from './layout.ts';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loaded: Promise<PdfJs> | undefined;

/** The canvas package the legacy build looks for at import, to polyfill rendering (DOMMatrix, Path2D). */
const CANVAS_PACKAGE = '@napi-rs/canvas';

/**
 * pdf.js in Node runs its "worker" on the calling thread. Importing the worker module ourselves and
 * handing it over through globalThis.pdfjsWorker lets a bundler see it and avoids a file lookup at run time.
 *
 * Text extraction never renders, so the canvas package is kept from loading while pdf.js is imported: it
 * is a 35 MB native addon whose load and start-up are a tenth of a worker's pdf.js start-up (measured with
 * callgrind, docs/performance.md). The Lambda bundle never had it (esbuild does not follow pdf.js's
 * `require`), so every worker now reads text exactly as the Lambda's does. Code that renders calls
 * `polyfillRendering()` first.
 */
export function loadPdfJs(): Promise<PdfJs> {
  loaded ??= (async () => {
    // At import the legacy build looks for @napi-rs/canvas to polyfill rendering and warns when it is
    // absent. Text extraction never renders, so that warning is noise in every Lambda log: drop it.
    const { warn, log } = console;
    const quiet =
      (original: typeof console.warn) =>
      (...args: unknown[]): void => {
        if (!/@napi-rs\/canvas|Cannot polyfill/.test(args.map(String).join(' '))) original(...args);
      };
    console.warn = quiet(warn);
    console.log = quiet(log);
    const hooks = registerHooks({
      resolve(specifier, context, next) {
        if (specifier !== CANVAS_PACKAGE) return next(specifier, context);
        throw Object.assign(new Error(`${CANVAS_PACKAGE} is not loaded for text extraction`), {
          code: 'MODULE_NOT_FOUND',
        });
      },
    });
    try {
      const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
      Object.assign(globalThis, { pdfjsWorker: worker });
      return await import('pdfjs-dist/legacy/build/pdf.mjs');
    } finally {
      hooks.deregister();
      console.warn = warn;
      console.log = log;
    }
  })();
  return loaded;
}

/**
 * What pdf.js would have polyfilled from the canvas package at import: call before rendering a page
 * (`page.render`), which needs DOMMatrix and Path2D. Text extraction never does.
 */
export async function polyfillRendering(): Promise<void> {
  const canvas = (await import(CANVAS_PACKAGE)) as { DOMMatrix?: unknown; Path2D?: unknown };
  const scope = globalThis as { DOMMatrix?: unknown; Path2D?: unknown };
  scope.DOMMatrix ??= canvas.DOMMatrix;
  scope.Path2D ??= canvas.Path2D;
}

/**
 * pdf.js reports through console.warn("Warning: …") at verbosity 1. These mean our own install lacks data:
 * the predefined CMaps (bcmap files are only ever ours) or the standard fonts.
 */
const RESOURCE_MISSING =
  /cMapUrl|standardFontDataUrl|Unable to load CMap|fetchStandardFontData|Unable to load font data|bcmap/i;
/** These mean the file's own font data could not be read, so its text may be lost. */
const FONT_FAILURE = /translateFont failed|Unknown CMap name|Error during font loading|Bad CMap/i;

async function captureWarnings<T>(warnings: string[], run: () => Promise<T>): Promise<T> {
  const { log, warn } = console;
  const capture =
    (original: typeof console.log) =>
    (...args: unknown[]): void => {
      const text = args.map(String).join(' ');
      if (text.startsWith('Warning: ')) warnings.push(text.slice('Warning: '.length));
      else original(...args);
    };
  console.log = capture(log);
  console.warn = capture(warn);
  try {
    return await run();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

type PdfDocument = Awaited<ReturnType<PdfJs['getDocument']>['promise']>;
type PdfTextContent = Awaited<ReturnType<Awaited<ReturnType<PdfDocument['getPage']>>['getTextContent']>>;

/** pdf.js's text items as the layout reads them (marked-content entries carry no text and are skipped). */
function toItems(content: PdfTextContent): TextItem[] {
  const items: TextItem[] = [];
  for (const item of content.items) {
    if (!('str' in item) || !Array.isArray(item.transform)) continue;
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0]: number[] = item.transform;
    const fontSize = Math.hypot(c, d) || Math.hypot(a, b) || item.height || 1;
    items.push({ str: item.str, x: e, y: f, width: item.width ?? 0, fontSize });
  }
  return items;
}

/** Removed from pdf.js 6.x's typings (eval is never used there) but honoured by older builds: kept off. */
const NO_EVAL = { isEvalSupported: false };

/**
 * A page with fewer characters than this in its text layer may be a scan (a scanner's stamp, a page
 * number); it is sent to OCR only when it also paints a picture over most of itself, or paints shapes but
 * has no text at all (text turned into outlines). A page with more text is never sent to OCR.
 */
export const SCAN_TEXT_CHARS = 40;
/** Shapes painted on a page with no text layer that are many enough to be outlined text. */
const OUTLINE_PATHS = 200;
/** Share of the page an image must cover for the page to count as a scan. */
const SCAN_IMAGE_COVER = 0.5;

/** Hooks for the sandbox: told when OCR starts, so its budgets switch to the OCR ones. */
export interface ExtractHooks {
  onOcr?: (pages: number) => void;
  /** Each OCR'd page as it is done (the bench's per-page figures). */
  onOcrPage?: (page: OcrPageStats) => void;
}

type PdfJsPage = Awaited<ReturnType<Awaited<ReturnType<PdfJs['getDocument']>['promise']>['getPage']>>;

/** Does this page, whose text layer is (almost) empty, look like a scan or like outlined text? */
async function looksScanned(page: PdfJsPage, pdfjs: PdfJs, characters: number): Promise<boolean> {
  const list = await page.getOperatorList();
  const { OPS } = pdfjs;
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = page.view;
  const pageArea = Math.abs((x1 - x0) * (y1 - y0));
  let paths = 0;
  let scan = false;
  walkOperators(list, OPS, (fn, _args, ctm) => {
    if (
      fn === OPS.paintImageXObject ||
      fn === OPS.paintInlineImageXObject ||
      fn === OPS.paintImageMaskXObject
    ) {
      const [a = 0, b = 0, c = 0, d = 0] = ctm;
      if (Math.abs(a * d - b * c) >= SCAN_IMAGE_COVER * pageArea) scan = true;
    } else if (fn === OPS.constructPath) paths++;
  });
  if (scan) return true;
  return characters === 0 && paths >= OUTLINE_PATHS;
}

export async function extractPdf(
  bytes: Uint8Array,
  limits: ExtractionLimits,
  hooks: ExtractHooks = {},
): Promise<ExtractedDocument> {
  const pdfjs = await loadPdfJs();
  const assets = pdfjsAssets();
  const warnings: string[] = [];
  return captureWarnings(warnings, async () => {
    // pdf.js takes ownership of (and may detach) the buffer it is given: hand it a copy.
    const task = pdfjs.getDocument({
      data: new Uint8Array(bytes),
      ...assets,
      cMapPacked: true,
      ...NO_EVAL,
      useSystemFonts: false,
      disableFontFace: true,
      stopAtErrors: false,
      verbosity: 1,
    });
    try {
      let doc: Awaited<typeof task.promise>;
      try {
        doc = await task.promise;
      } catch (error) {
        const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined;
        if (name === 'PasswordException') {
          throw new ExtractionError('FILE_ENCRYPTED', 'PDF 已加密，需要打开密码；请上传未加密的文件');
        }
        throw new ExtractionError('FILE_CORRUPT', `PDF 文件已损坏，无法解析：${messageOf(error)}`);
      }
      if (doc.numPages > limits.maxPages) {
        throw new ExtractionError(
          'FILE_TOO_LARGE',
          `PDF 共 ${doc.numPages} 页，超过上限 ${limits.maxPages} 页`,
        );
      }
      const pages: Page[] = [];
      const scanned: number[] = [];
      const candidates: Array<{ number: number; own: number }> = [];
      let characters = 0;
      for (let n = 1; n <= doc.numPages; n++) {
        let page: Awaited<ReturnType<typeof doc.getPage>>;
        let content: PdfTextContent;
        try {
          page = await doc.getPage(n);
          content = await page.getTextContent();
        } catch (error) {
          throw new ExtractionError('FILE_CORRUPT', `PDF 第 ${n} 页无法读取：${messageOf(error)}`);
        }
        const items = toItems(content);
        const own = items.reduce((sum, it) => sum + it.str.replace(/\s/g, '').length, 0);
        characters += items.reduce((sum, it) => sum + it.str.length, 0);
        // With OCR on, whether a page with (almost) no text is a scan is decided in the OCR pass, under its
        // budgets: telling needs the page's images decoded, which is most of the cost of reading it.
        if (own < SCAN_TEXT_CHARS) {
          if (limits.ocr) candidates.push({ number: n, own });
          else if (await looksScanned(page, pdfjs, own)) scanned.push(n);
        }
        if (characters * 2 > limits.maxDecodedBytes) {
          throw new ExtractionError(
            'FILE_TOO_LARGE',
            `PDF 文字内容超过上限 ${formatBytes(limits.maxDecodedBytes)}`,
          );
        }
        pages.push({ number: n, lines: layoutPage(items) });
        page.cleanup();
      }
      const missing = warnings.find((w) => RESOURCE_MISSING.test(w));
      if (missing) throw new ExtractionError('INTERNAL_ERROR', `pdf.js 缺少字体或 CMap 资源：${missing}`);
      const fontFailure = warnings.find((w) => FONT_FAILURE.test(w));
      if (characters === 0 && fontFailure) {
        throw new ExtractionError('FILE_CORRUPT', `PDF 的字体数据无法读取，文字无法提取：${fontFailure}`);
      }
      let ocr: OcrSummary | undefined;
      if (scanned.length > 0 || candidates.length > 0) {
        if (!limits.ocr) {
          throw new ExtractionError(
            'NO_TEXT_LAYER',
            scanned.length === doc.numPages
              ? `PDF 共 ${doc.numPages} 页，没有文字层（可能是扫描件），需要先进行文字识别（OCR）`
              : `PDF 第 ${scanned.join('、')} 页没有文字层（扫描页），需要先进行文字识别（OCR）`,
          );
        }
        // The OCR modules (ONNX Runtime, the model) load only for a file that needs them.
        const { ocrPages } = await import('../ocr/ocr-pages.ts');
        hooks.onOcr?.(candidates.length);
        const read = await ocrPages(
          candidates.map(({ number, own }) => ({
            number,
            load: () => doc.getPage(number),
            isScan: (page: PdfJsPage) => looksScanned(page, pdfjs, own),
          })),
          pdfjs.OPS,
          limits,
          Date.now(),
          hooks.onOcrPage,
        );
        for (const page of read.pages) pages[page.number - 1] = page;
        if (read.pages.length > 0) ocr = read.summary;
      }
      if (pages.every((p) => p.lines.length === 0)) {
        throw new ExtractionError(
          'NO_TEXT_LAYER',
          ocr === undefined
            ? `PDF 共 ${doc.numPages} 页，没有文字层（可能是扫描件），需要先进行文字识别（OCR）`
            : `PDF 共 ${doc.numPages} 页，没有文字层，文字识别（OCR）也未读出文字（页面空白或图像无法辨认）`,
        );
      }
      return { format: 'pdf', pages, warnings: [...new Set(warnings)], ...(ocr ? { ocr } : {}) };
    } finally {
      await task.destroy();
    }
  });
}
