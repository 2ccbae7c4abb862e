/**
 * Budgets that keep one hostile or oversized file from taking the process down. Each is configurable;
 * the defaults fit a 2-core machine and the extract Lambda (see lib/report-pipeline-stack.ts) with room.
 */
export interface ExtractionLimits {
  /** Largest input file accepted. */
  maxBytes: number;
  /** Most PDF pages read. */
  maxPages: number;
  /**
   * Largest decoded content: the declared uncompressed size of a DOCX's parts, and twice the characters
   * (UTF-16) of a text, HTML or PDF text layer. Counted by the extractor itself, so exact.
   */
  maxDecodedBytes: number;
  /** Wall-clock budget for extracting one file. */
  timeoutMs: number;
  /** V8 heap budget of one extraction worker process. */
  maxHeapMb: number;
  /**
   * Resident memory budget of one extraction worker process (its own RSS, nobody else's). Catches what
   * lives outside the V8 heap, above all the streams pdf.js inflates into ArrayBuffers.
   */
  maxMemoryMb: number;
  /**
   * OCR of scanned pages (functions/extract/ocr). Off where the OCR is another process's job (the
   * extract Lambda hands such files to the OCR function); a file that needs it then fails NO_TEXT_LAYER.
   */
  ocr: boolean;
  /** Most pages read by OCR in one file. */
  maxOcrPages: number;
  /** Wall-clock budget of a file once its OCR has started (replaces timeoutMs from then on). */
  ocrTimeoutMs: number;
  /** Resident memory budget of a worker once its OCR has started (the model and page images). */
  ocrMaxMemoryMb: number;
}

export const DEFAULT_LIMITS: ExtractionLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxPages: 500,
  maxDecodedBytes: 256 * 1024 * 1024,
  timeoutMs: 60_000,
  maxHeapMb: 512,
  maxMemoryMb: 768,
  ocr: true,
  maxOcrPages: 60,
  ocrTimeoutMs: 300_000,
  ocrMaxMemoryMb: 1536,
};

export function resolveLimits(overrides: Partial<ExtractionLimits> = {}): ExtractionLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (typeof value === 'boolean') continue;
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`extraction limit ${key} must be a positive number, got ${value}`);
    }
  }
  return limits;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The container a file claims by its first bytes: enough to word a budget message, decided in O(1). */
/** The one wording of a file refused for its size, wherever it is refused (before or after reading it). */
export function fileSizeMessage(size: number, maxBytes: number): string {
  return `文件大小 ${formatBytes(size)} 超过上限 ${formatBytes(maxBytes)}`;
}

export type Container = 'pdf' | 'docx' | 'text';

/**
 * Why a worker that broke a memory budget was stopped, worded for the file's format: only a compressed
 * container (PDF streams, DOCX parts) can be a compression bomb; a text file is simply too big.
 */
export function memoryBudgetMessage(container: Container, budget: string): string {
  switch (container) {
    case 'pdf':
      return `PDF 解析时内存超过上限 ${budget}：压缩的内容流解压后异常庞大，疑似压缩炸弹`;
    case 'docx':
      return `DOCX 解压时内存超过上限 ${budget}：压缩的内容解压后异常庞大，疑似压缩炸弹`;
    case 'text':
      return `文本内容过于庞大，处理时内存超过上限 ${budget}；请删减或拆分后上传`;
  }
}
