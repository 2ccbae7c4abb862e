/**
 * Extraction failures are values with a stable code, never crashes. The codes are part of the public
 * record contract (README, template.md): add codes, never rename them.
 */
export const EXTRACTION_ERROR_CODES = [
  'FILE_EMPTY',
  'FILE_TOO_LARGE',
  'FILE_ENCRYPTED',
  'FILE_CORRUPT',
  'UNSUPPORTED_TYPE',
  'NO_TEXT_LAYER',
  /** Not the file's fault: the extractor itself failed (e.g. a pdf.js resource is missing from the bundle). */
  'INTERNAL_ERROR',
] as const;

export type ExtractionErrorCode = (typeof EXTRACTION_ERROR_CODES)[number];

export class ExtractionError extends Error {
  readonly code: ExtractionErrorCode;

  constructor(code: ExtractionErrorCode, message: string) {
    super(message);
    this.name = 'ExtractionError';
    this.code = code;
  }
}

export function isExtractionErrorCode(value: unknown): value is ExtractionErrorCode {
  return typeof value === 'string' && (EXTRACTION_ERROR_CODES as readonly string[]).includes(value);
}
