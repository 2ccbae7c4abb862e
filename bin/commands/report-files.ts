import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { reportTypeOf } from '../../functions/pipeline/report-types.ts';

/** The report files under a directory (by their names' accepted types), recursively, in name order. */
export async function reportFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && reportTypeOf(e.name) !== null)
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
