import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { LocalNotifier } from '../../../local/local-notifier.ts';
import type { LocalPipeline } from '../../../local/local-pipeline.ts';
import { isIgnoredName, uploadFilesIn } from '../report-files.ts';
import { printNotifications, row, table, untilStopped } from './output.ts';
import { putFile } from './put-file.ts';
import { placeIn } from './uploads.ts';

/** How long a file's size and modification time must stay the same before it is read. */
const QUIET_MS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once the file has stopped changing (size and mtime equal over QUIET_MS), so a copy in
 * progress is not read half-written; false when it is gone or is no regular file.
 */
async function untilStill(file: string): Promise<boolean> {
  let before = await stat(file).catch(() => null);
  for (;;) {
    if (before === null || !before.isFile()) return false;
    await sleep(QUIET_MS);
    const now = await stat(file).catch(() => null);
    if (now !== null && now.size === before.size && now.mtimeMs === before.mtimeMs) return true;
    before = now;
  }
}

/**
 * `local --watch DIR`: the folder is the bucket; every file under DIR/{agencyId}/ is an upload, whatever
 * its type (an unsupported one ends in an UNSUPPORTED_TYPE record). Files already there when the watch
 * starts are processed first (unchanged ones that have a record are not put again). Office lock files and
 * hidden files are ignored; a file right inside DIR belongs to no agency and is reported, not guessed.
 */
export async function watchFolder(
  pipeline: LocalPipeline,
  outbox: LocalNotifier,
  dir: string,
  json: boolean,
): Promise<number> {
  const queued = new Set<string>();
  let chain = Promise.resolve();
  const handle = (file: string) => {
    if (queued.has(file)) return;
    queued.add(file);
    // Files settle side by side; they are put one after another.
    const settled = untilStill(file);
    chain = chain.then(async () => {
      const still = await settled;
      queued.delete(file);
      if (!still) return;
      const place = placeIn(dir, file, null, false);
      if (place === null) {
        process.stderr.write(`cannot tell the agency of ${file}: put it under ${dir}/{agencyId}/\n`);
        return;
      }
      const upload = { file, ...place };
      const sent = outbox.sent.length;
      const outcome = await putFile(pipeline, upload);
      if (outcome.error !== undefined) process.stderr.write(`${upload.file}: ${outcome.error}\n`);
      if (json) process.stdout.write(`${JSON.stringify({ file: upload.file, ...outcome.record })}\n`);
      else {
        process.stdout.write(table([row(upload.file, outcome.record, upload.agencyId)]));
        printNotifications(outbox, sent);
      }
    });
  };
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (name === null || isIgnoredName(path.basename(name))) return;
    const entry = path.join(dir, name);
    // A folder moved or copied in whole: its files may be there before the watch on it is.
    stat(entry)
      .then(async (s) => {
        if (s.isDirectory()) for (const file of await uploadFilesIn(entry)) handle(file);
        else handle(entry);
      })
      .catch(() => {});
  });
  for (const file of await uploadFilesIn(dir)) handle(file);
  process.stderr.write(`watching ${dir}: drop report files under ${dir}/{agencyId}/ (Ctrl-C to stop)\n`);
  await untilStopped();
  watcher.close();
  await chain;
  return 0;
}
