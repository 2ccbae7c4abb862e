/** Public surface of the extraction stage. Domain code: no AWS SDK imports here or below. */
export { detectFormat } from './detect.ts';
export {
  EXTRACTION_ERROR_CODES,
  EXTRACTION_ERRORS,
  ExtractionError,
  type ExtractionErrorCode,
  errnoCode,
  isExtractionErrorCode,
  messageOf,
} from './errors.ts';
export { extractDocument } from './extract.ts';
export { DEFAULT_LIMITS, type ExtractionLimits, resolveLimits } from './limits.ts';
export { Extractor, type ExtractorOptions, inOrder, poolSize } from './pool.ts';
export {
  type Cell,
  type ExtractedDocument,
  type Line,
  lineText,
  type Page,
  renderText,
  type SourceFormat,
} from './types.ts';
