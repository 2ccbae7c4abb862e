/**
 * Extraction failures are values with a stable code, never crashes. The codes are part of the public
 * record contract (docs/extraction.md, docs/template.md): add codes, never rename them. Extraction is the lower layer, so
 * it owns its codes' catalogue entries (what each means, in Chinese for clerks and in English for the
 * docs' code tables); functions/report/codes.ts merges them into the one catalogue of finding codes. A new
 * extraction code is an entry here, plus its tests.
 */
export const EXTRACTION_ERRORS = {
  FILE_EMPTY: { meaning: '文件为空', readme: 'zero bytes, or only white space' },
  FILE_TOO_LARGE: {
    meaning: '文件超出处理限额（大小、页数、解压后大小、内存、时间或解析量）',
    readme: 'over a budget: bytes, PDF pages, decoded size (zip/inflate bombs), heap, time, or parse',
  },
  FILE_ENCRYPTED: {
    meaning: '文件需要密码才能打开',
    readme: 'a password is needed to open it (a PDF encrypted with permissions only extracts normally)',
  },
  FILE_CORRUPT: {
    meaning: '文件已损坏，无法读取',
    readme: 'truncated or damaged PDF/DOCX, font data that cannot be read, HTML nested over 512 levels',
  },
  UNSUPPORTED_TYPE: {
    meaning: '不支持的文件类型（图片、电子表格、旧版 .doc 等）',
    readme: 'images, spreadsheets, legacy .doc, unknown binaries',
  },
  NO_TEXT_LAYER: {
    meaning: 'PDF 没有文字层（扫描件），需先进行文字识别',
    readme: 'a PDF with no text (a scan): OCR is needed first',
  },
  INTERNAL_ERROR: {
    meaning: '系统内部错误，不是文件的问题',
    readme: "not the file's fault: the extractor itself failed (e.g. pdf.js data missing from a bundle)",
  },
} as const satisfies Record<string, { meaning: string; readme: string }>;

export type ExtractionErrorCode = keyof typeof EXTRACTION_ERRORS;

/** The codes in catalogue order (Object.keys keeps the insertion order of string keys). */
export const EXTRACTION_ERROR_CODES = Object.keys(EXTRACTION_ERRORS) as ExtractionErrorCode[];

export class ExtractionError extends Error {
  readonly code: ExtractionErrorCode;

  constructor(code: ExtractionErrorCode, message: string) {
    super(message);
    this.name = 'ExtractionError';
    this.code = code;
  }
}

export function isExtractionErrorCode(value: unknown): value is ExtractionErrorCode {
  return typeof value === 'string' && Object.hasOwn(EXTRACTION_ERRORS, value);
}

/**
 * What a caught value says, for a message: an Error's message, anything else as text. Lives with the
 * lowest layer's errors so every layer above (and the CLI, the local run) reads a caught value one way.
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `code` of a Node system error (`EADDRINUSE`, `ENOENT`, …); undefined for anything else. */
export function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
