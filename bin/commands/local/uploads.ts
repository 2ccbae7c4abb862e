import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AGENCY_ID } from '../../../functions/pipeline/keys.ts';
import { UsageError } from '../options.ts';
import { uploadFilesIn } from '../report-files.ts';

/** A file to put into the local bucket, as the agency it belongs to. */
export interface Upload {
  file: string;
  agencyId: string;
  /** Its path below the agency's folder (`2023/年报.docx`), kept in the key; the bare name for a loose file. */
  name: string;
}

const posix = (relative: string) => relative.split(path.sep).join('/');

/**
 * Where a file under DIR belongs: DIR/{agencyId}/…, the rest of the path as its name. A file right inside
 * DIR takes DIR's own name as its agency when `rootIsAgency` (`local samples/huaian-gov`), never in a
 * watched folder, whose name is the bucket's. Null when no agency can be told.
 */
export function placeIn(
  dir: string,
  file: string,
  agency: string | null,
  rootIsAgency: boolean,
): Omit<Upload, 'file'> | null {
  const [first = '', ...rest] = path.relative(dir, file).split(path.sep);
  if (rest.length === 0) {
    const own = path.basename(path.resolve(dir));
    const agencyId = agency ?? (rootIsAgency && AGENCY_ID.test(own) ? own : null);
    return agencyId === null ? null : { agencyId, name: first };
  }
  if (agency !== null) return { agencyId: agency, name: posix(path.relative(dir, file)) };
  return AGENCY_ID.test(first) ? { agencyId: first, name: rest.join('/') } : null;
}

/** Files to upload: DIR/{agencyId}/… gives each file's agency, unless --agency names it. */
export async function uploadsFrom(args: readonly string[], agency: string | null): Promise<Upload[]> {
  const uploads: Upload[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info === null) throw new UsageError(`no such file or directory: ${arg}`);
    if (info.isDirectory()) {
      for (const file of await uploadFilesIn(arg)) {
        const place = placeIn(arg, file, agency, true);
        if (place === null) {
          throw new UsageError(
            `cannot tell the agency of ${file}: put it under ${arg}/{agencyId}/ or use --agency`,
          );
        }
        uploads.push({ file, ...place });
      }
    } else {
      const parent = path.basename(path.dirname(path.resolve(arg)));
      const agencyId = agency ?? (AGENCY_ID.test(parent) ? parent : null);
      if (agencyId === null) throw new UsageError(`cannot tell the agency of ${arg}: use --agency ID`);
      uploads.push({ file: arg, agencyId, name: path.basename(arg) });
    }
  }
  return uploads.sort((a, b) => a.file.localeCompare(b.file));
}
