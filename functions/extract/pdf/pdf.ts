import { ExtractionError, messageOf } from '../errors.ts';
import { type ExtractionLimits, formatBytes } from '../limits.ts';
import type { ExtractedDocument, Page } from '../types.ts';
import { pdfjsAssets } from './assets.ts';
import { layoutPage, type TextItem } from './layout.ts';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

let loaded: Promise<PdfJs> | undefined;

/**
 * pdf.js in Node runs its "worker" on the calling thread. Importing the worker module ourselves and
 * handing it over through globalThis.pdfjsWorker lets a bundler see it and avoids a file lookup at run time.
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
    try {
      const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
      Object.assign(globalThis, { pdfjsWorker: worker });
      return await import('pdfjs-dist/legacy/build/pdf.mjs');
    } finally {
      console.warn = warn;
      console.log = log;
    }
  })();
  return loaded;
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

export async function extractPdf(bytes: Uint8Array, limits: ExtractionLimits): Promise<ExtractedDocument> {
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
        characters += items.reduce((sum, it) => sum + it.str.length, 0);
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
      if (characters === 0 || pages.every((p) => p.lines.length === 0)) {
        throw new ExtractionError(
          'NO_TEXT_LAYER',
          `PDF 共 ${doc.numPages} 页，没有文字层（可能是扫描件），需要先进行文字识别（OCR）`,
        );
      }
      return { format: 'pdf', pages, warnings: [...new Set(warnings)] };
    } finally {
      await task.destroy();
    }
  });
}
