/**
 * Budgets that keep one hostile or oversized file from taking the process down. Each is configurable;
 * the defaults fit a 2-core machine and a 1769 MB Lambda with room to spare.
 */
export interface ExtractionLimits {
  /** Largest input file accepted. */
  maxBytes: number;
  /** Most PDF pages read. */
  maxPages: number;
  /**
   * Largest decoded size: the declared uncompressed size of a DOCX's parts, the characters of a text or
   * HTML file, and (for PDF, whose streams inflate inside pdf.js) the memory the extraction may add.
   */
  maxDecodedBytes: number;
  /** Wall-clock budget for extracting one file. */
  timeoutMs: number;
  /** V8 heap budget of the extraction worker. */
  maxHeapMb: number;
}

export const DEFAULT_LIMITS: ExtractionLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxPages: 500,
  maxDecodedBytes: 256 * 1024 * 1024,
  timeoutMs: 60_000,
  maxHeapMb: 512,
};

export function resolveLimits(overrides: Partial<ExtractionLimits> = {}): ExtractionLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
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
