import type { LocalPipeline } from '../../../local/local-pipeline.ts';
import { row, table } from './output.ts';

/** `local --list`: the current records kept in the state folder by earlier runs. */
export async function listRecords(pipeline: LocalPipeline, json: boolean): Promise<number> {
  const records = await pipeline.list();
  if (json) for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
  else process.stdout.write(table(records.map((r) => row(r.upload?.key ?? r.source.file, r, ''))));
  return 0;
}
