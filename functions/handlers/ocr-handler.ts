import type { Logger } from '@aws-lambda-powertools/logger';
import type { OcrAnswer } from '../adapters/lambda-ocr.ts';
import { ExtractionError, type Extractor } from '../extract/index.ts';
import { checkReadMatchesEvent } from '../pipeline/extract-step.ts';
import type { ObjectStore } from '../pipeline/ports.ts';
import type { ObjectRef } from '../pipeline/s3-events.ts';

/**
 * The OCR function (issue 24): invoked by the extract function only for a file with scanned pages. Reads
 * the object, extracts it with OCR on under the OCR budgets, and answers with the document or a coded
 * failure. What it cannot blame on the file (S3 unavailable, a torn read) is thrown: the invoke fails and
 * the extract function's message is retried.
 */
export function createOcrHandler(deps: { objects: ObjectStore; extractor: Extractor; logger: Logger }) {
  return async (ref: ObjectRef): Promise<OcrAnswer> => {
    const bytes = await deps.objects.get(ref.bucket, ref.key, ref.versionId);
    if (bytes === null) return { ok: false, code: 'INTERNAL_ERROR', message: `对象已不存在：${ref.key}` };
    checkReadMatchesEvent(bytes, ref);
    try {
      const document = await deps.extractor.extract(bytes);
      deps.logger.info('ocr done', { key: ref.key, pages: document.ocr?.pages.length ?? 0 });
      return { ok: true, document };
    } catch (error) {
      if (!(error instanceof ExtractionError)) throw error;
      deps.logger.warn('ocr failed', { key: ref.key, code: error.code });
      return { ok: false, code: error.code, message: error.message };
    }
  };
}
