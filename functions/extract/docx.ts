import mammoth from 'mammoth';
import { ExtractionError, messageOf } from './errors.ts';
import { extractHtml } from './html.ts';
import { type ExtractionLimits, formatBytes } from './limits.ts';
import type { ExtractedDocument } from './types.ts';
import type { ZipEntry } from './zip.ts';

/** Above this ratio a single part is a decompression bomb, not a document (real DOCX parts stay under ~30). */
const MAX_RATIO = 200;
const RATIO_FLOOR = 10 * 1024 * 1024;

/** Refuses bombs by the archive's own declared sizes, before anything is inflated. */
export function checkDocxEntries(entries: ZipEntry[], limits: ExtractionLimits): void {
  if (entries.some((e) => e.encrypted)) {
    throw new ExtractionError('FILE_ENCRYPTED', 'DOCX 文件内容已加密，需要密码才能打开');
  }
  const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (total > limits.maxDecodedBytes) {
    throw new ExtractionError(
      'FILE_TOO_LARGE',
      `DOCX 解压后大小 ${formatBytes(total)} 超过上限 ${formatBytes(limits.maxDecodedBytes)}`,
    );
  }
  for (const e of entries) {
    if (e.uncompressedSize > RATIO_FLOOR && e.uncompressedSize > e.compressedSize * MAX_RATIO) {
      throw new ExtractionError(
        'FILE_TOO_LARGE',
        `DOCX 部件 ${e.name} 压缩比异常（${formatBytes(e.compressedSize)} → ${formatBytes(e.uncompressedSize)}），疑似压缩炸弹`,
      );
    }
  }
}

export async function extractDocx(
  bytes: Uint8Array,
  entries: ZipEntry[],
  limits: ExtractionLimits,
): Promise<ExtractedDocument> {
  checkDocxEntries(entries, limits);
  let html: string;
  try {
    const result = await mammoth.convertToHtml({
      buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    });
    html = result.value;
  } catch (error) {
    throw new ExtractionError('FILE_CORRUPT', `DOCX 文件已损坏，无法读取：${messageOf(error)}`);
  }
  const doc = extractHtml(html);
  return { ...doc, format: 'docx' };
}
