import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { reportTypeOf } from '../../../functions/pipeline/report-types.ts';
import type { LocalPipeline } from '../../../local/local-pipeline.ts';
import { printNotifications, row, table, untilStopped } from './output.ts';
import { putFile } from './put-file.ts';
import { uploadsFrom } from './uploads.ts';

/** `local --watch DIR`: the folder is the bucket; a file dropped under DIR/{agencyId}/ is processed. */
export async function watchFolder(pipeline: LocalPipeline, dir: string, json: boolean): Promise<number> {
  process.stderr.write(`watching ${dir}: drop report files under ${dir}/{agencyId}/ (Ctrl-C to stop)\n`);
  const pending = new Map<string, NodeJS.Timeout>();
  let chain = Promise.resolve();
  const handle = (file: string) => {
    chain = chain.then(async () => {
      const uploads = await uploadsFrom([file], null).catch((e: Error) => {
        process.stderr.write(`${e.message}\n`);
        return [];
      });
      for (const upload of uploads) {
        const sent = pipeline.notifier.sent.length;
        const outcome = await putFile(pipeline, upload);
        if (outcome.error !== undefined) process.stderr.write(`${upload.file}: ${outcome.error}\n`);
        if (json) process.stdout.write(`${JSON.stringify({ file: upload.file, ...outcome.record })}\n`);
        else {
          process.stdout.write(table([row(upload.file, outcome.record, upload.agencyId)]));
          printNotifications(pipeline, sent);
        }
      }
    });
  };
  // A file is handled once it has been quiet for 300 ms, so a copy in progress is not read half-written.
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (name === null || reportTypeOf(name) === null) return;
    const file = path.join(dir, name);
    clearTimeout(pending.get(file));
    pending.set(
      file,
      setTimeout(() => {
        pending.delete(file);
        stat(file)
          .then((s) => s.isFile() && handle(file))
          .catch(() => {});
      }, 300),
    );
  });
  await untilStopped();
  watcher.close();
  await chain;
  return 0;
}
