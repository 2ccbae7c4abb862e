import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AGENCY_ID } from '../../../functions/pipeline/keys.ts';
import { UsageError } from '../options.ts';
import { reportFilesIn } from '../report-files.ts';

/** A file to put into the local bucket, as the agency it belongs to. */
export interface Upload {
  file: string;
  agencyId: string;
}

/** Files to upload: DIR/{agencyId}/… gives each file's agency, unless --agency names it. */
export async function uploadsFrom(args: readonly string[], agency: string | null): Promise<Upload[]> {
  const uploads: Upload[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info === null) throw new UsageError(`no such file or directory: ${arg}`);
    if (info.isDirectory()) {
      for (const file of await reportFilesIn(arg)) {
        const name = path.basename(file);
        const first = path.relative(arg, file).split(path.sep)[0] ?? '';
        // DIR/{agencyId}/…; a file right inside DIR takes DIR's own name (samples/huaian-gov/x.pdf).
        const candidate = first === name ? path.basename(path.resolve(arg)) : first;
        const agencyId = agency ?? (AGENCY_ID.test(candidate) ? candidate : null);
        if (agencyId === null) {
          throw new UsageError(
            `cannot tell the agency of ${file}: put it under ${arg}/{agencyId}/ or use --agency`,
          );
        }
        uploads.push({ file, agencyId });
      }
    } else {
      const parent = path.basename(path.dirname(path.resolve(arg)));
      const agencyId = agency ?? (AGENCY_ID.test(parent) ? parent : null);
      if (agencyId === null) throw new UsageError(`cannot tell the agency of ${arg}: use --agency ID`);
      uploads.push({ file: arg, agencyId });
    }
  }
  return uploads.sort((a, b) => a.file.localeCompare(b.file));
}
