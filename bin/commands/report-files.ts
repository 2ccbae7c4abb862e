import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** The file types the pipeline takes, by name (content decides the format; this only picks files). */
export const REPORT_FILE = /\.(pdf|docx|html?|txt)$/i;

/** The report files under a directory, recursively, in name order. */
export async function reportFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && REPORT_FILE.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
