import { ExtractionError, type Extractor } from '../extract/index.ts';
import { checkDocument, failedRecord, type SourceFile } from './check.ts';
import type { ReportRecord } from './record.ts';

/**
 * Extract, parse and validate one uploaded file. Always ends in a record: an extraction failure is a
 * FAILED record with its code; anything else unexpected is FAILED with INTERNAL_ERROR, never a throw.
 */
export async function checkFile(extractor: Extractor, source: SourceFile): Promise<ReportRecord> {
  try {
    const doc = await extractor.extract(source.bytes);
    return checkDocument(source, doc);
  } catch (error) {
    if (error instanceof ExtractionError) return failedRecord(source, error.code, error.message);
    return failedRecord(source, 'INTERNAL_ERROR', `内部错误：${(error as Error).message}`);
  }
}
