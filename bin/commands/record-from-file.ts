import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { ExtractionError, type Extractor, messageOf } from '../../functions/extract/index.ts';
import { fileSizeMessage } from '../../functions/extract/limits.ts';
import {
  checkDocument,
  failedRecord,
  type ReportRecord,
  type SourceFile,
} from '../../functions/report/index.ts';

/**
 * Extract, parse and validate one file's bytes. Always ends in a record: an extraction failure is a
 * FAILED record with its code; anything else unexpected is FAILED with INTERNAL_ERROR, never a throw.
 */
export async function recordFromBytes(extractor: Extractor, source: SourceFile): Promise<ReportRecord> {
  try {
    const doc = await extractor.extract(source.bytes);
    return checkDocument(source, doc);
  } catch (error) {
    if (error instanceof ExtractionError) return failedRecord(source, error.code, error.message);
    return failedRecord(source, 'INTERNAL_ERROR', `内部错误：${messageOf(error)}`);
  }
}

/** A file's SHA-256, read in chunks: memory stays flat however large the file. */
async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * The record of a file refused for its size before it was read: its hash is streamed, so memory stays
 * flat however large the file.
 */
export async function tooLargeRecord(
  file: string,
  size: number,
  maxBytes: number,
  agencyId: string | null,
): Promise<ReportRecord> {
  const digest = { sha256: await sha256Of(file), size };
  return failedRecord({ file, digest, agencyId }, 'FILE_TOO_LARGE', fileSizeMessage(size, maxBytes));
}

/**
 * `check`'s reading of one file from disk: its size is looked at before anything is read, so a file over
 * the extractor's byte budget becomes a FILE_TOO_LARGE record without being held in memory. Rejects only
 * when the file cannot be read at all (missing, a directory, no permission).
 */
export async function recordFromFile(
  extractor: Extractor,
  file: string,
  agencyId: string | null,
): Promise<ReportRecord> {
  const info = await stat(file);
  if (!info.isFile()) throw new Error(`not a regular file: ${file}`);
  const { maxBytes } = extractor.limits;
  if (info.size > maxBytes) return tooLargeRecord(file, info.size, maxBytes, agencyId);
  return recordFromBytes(extractor, { file, bytes: await readFile(file), agencyId });
}
