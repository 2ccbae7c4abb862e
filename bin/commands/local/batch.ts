import path from 'node:path';
import type { LocalNotifier } from '../../../local/local-notifier.ts';
import type { LocalPipeline } from '../../../local/local-pipeline.ts';
import { printNotifications, row, table } from './output.ts';
import { putFile } from './put-file.ts';
import type { Upload } from './uploads.ts';

/**
 * `local [FILE|DIR ...]`: each file through the pipeline in name order, then a table of the records and
 * the messages sent. Exit 1 when a file did not end in a stored record.
 */
export async function runBatch(
  pipeline: LocalPipeline,
  outbox: LocalNotifier,
  uploads: readonly Upload[],
  options: { json: boolean; stateNote: string },
): Promise<number> {
  let missing = 0;
  const rows: string[][] = [];
  const sentBefore = outbox.sent.length;
  for (const upload of uploads) {
    const outcome = await putFile(pipeline, upload);
    if (!outcome.stored || outcome.record === null) missing++;
    if (outcome.error !== undefined) {
      process.stderr.write(`report-pipeline local: ${upload.file}: ${outcome.error}\n`);
    }
    if (options.json) {
      const { record, key, stored, error } = outcome;
      const body = record ?? { key, status: null };
      const extra = stored ? {} : { stored, ...(error === undefined ? {} : { error }) };
      process.stdout.write(`${JSON.stringify({ file: upload.file, ...body, ...extra })}\n`);
    }
    rows.push(row(path.relative(process.cwd(), upload.file) || upload.file, outcome.record, upload.agencyId));
  }
  if (!options.json) {
    process.stdout.write(table(rows));
    printNotifications(outbox, sentBefore);
    process.stdout.write(`\n${options.stateNote}\n`);
  }
  return missing > 0 ? 1 : 0;
}
