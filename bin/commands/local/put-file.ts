import { readFile, stat } from 'node:fs/promises';
import { DEFAULT_UPLOAD_POLICY } from '../../../functions/api/uploads.ts';
import { messageOf } from '../../../functions/extract/index.ts';
import { failedRecord, type ReportRecord } from '../../../functions/report/index.ts';
import type { LocalPipeline } from '../../../local/local-pipeline.ts';
import { tooLargeRecord } from '../record-from-file.ts';
import type { Upload } from './uploads.ts';

/** What became of one file: the stored record, a record of a refusal before upload, or an error. */
export interface PutOutcome {
  file: string;
  agencyId: string;
  key: string | null;
  record: ReportRecord | null;
  /** False when the file never reached the bucket (too large, unreadable, not storable). */
  stored: boolean;
  error?: string;
}

/**
 * Puts one file from disk into the local bucket and waits for its record. The size is looked at first: a
 * file over the upload limit is refused as the API's POST policy would refuse it, with a FILE_TOO_LARGE
 * record of its own and without being read whole. A file already stored with the same bytes and recorded
 * is not put again (its record is the answer: identical bytes change nothing). A file that cannot be read
 * or stored gets a FAILED record of its own; nothing here throws, so a batch goes on with the next file.
 */
export async function putFile(
  pipeline: LocalPipeline,
  upload: Upload,
  maxBytes = DEFAULT_UPLOAD_POLICY.maxBytes,
): Promise<PutOutcome> {
  const base = { file: upload.file, agencyId: upload.agencyId, key: null, record: null, stored: false };
  let bytes: Uint8Array;
  try {
    const info = await stat(upload.file);
    if (info.size > maxBytes) {
      return { ...base, record: await tooLargeRecord(upload.file, info.size, maxBytes, upload.agencyId) };
    }
    bytes = await readFile(upload.file);
  } catch (error) {
    return { ...base, error: messageOf(error) };
  }
  try {
    const { key, record } = await pipeline.uploadOnce(upload.agencyId, upload.name, bytes);
    return { ...base, key, record, stored: true };
  } catch (error) {
    // Not the file's fault (the name is bounded to what any store takes): our own, coded as such.
    const message = `内部错误：文件未能存入本地存储（${messageOf(error)}）`;
    const source = { file: upload.file, bytes, agencyId: upload.agencyId };
    return { ...base, record: failedRecord(source, 'INTERNAL_ERROR', message), error: message };
  }
}
