import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { reportTypeOf } from '../../functions/pipeline/report-types.ts';

/**
 * The report files under a directory (by their names' accepted types), recursively, in name order, and the
 * other files found there (office lock files, hidden files and the desktop's own left out), so that a
 * caller can say what it did not check instead of passing over it without a word.
 */
export async function reportFilesIn(dir: string): Promise<{ files: string[]; skipped: string[] }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  const skipped: string[] = [];
  for (const e of entries) {
    if (!e.isFile() || isIgnoredName(e.name)) continue;
    (reportTypeOf(e.name) === null ? skipped : files).push(path.join(e.parentPath, e.name));
  }
  return { files: files.sort(), skipped: skipped.sort() };
}

/**
 * Names that are no one's upload: office lock files (`~$年报.docx`, written while a document is open),
 * hidden files (`.DS_Store`, editors' swap files) and the desktop's own (Thumbs.db, desktop.ini).
 */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('~$') || name.startsWith('.') || /^(thumbs\.db|desktop\.ini)$/i.test(name);
}

/**
 * Every file under a directory that an agency put there, recursively, in name order, whatever its type:
 * the local run uploads them all, so a .doc, an image or a name without an extension ends in a record
 * (UNSUPPORTED_TYPE, decided by the content) instead of being skipped without a word.
 */
export async function uploadFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !isIgnoredName(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
