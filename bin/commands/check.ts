import { stat } from 'node:fs/promises';
import { Extractor } from '../../functions/extract/index.ts';
import { AGENCY_ID, AGENCY_ID_RULE } from '../../functions/pipeline/keys.ts';
import { formatRecord, type ReportRecord } from '../../functions/report/index.ts';
import { LIMIT_OPTIONS, limitsFrom, parse, UsageError } from './options.ts';
import { Progress } from './progress.ts';
import { recordFromFile } from './record-from-file.ts';
import { reportFilesIn } from './report-files.ts';

/** Arguments as files; a directory stands for the report files under it, in name order. */
async function expand(args: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      files.push(...(await reportFilesIn(arg)));
    } else files.push(arg);
  }
  return files;
}

/**
 * `report-pipeline check FILE... [--json] [--agency ID]`. Exit code: 0 all valid, 1 any invalid, 2 any
 * failed (or could not be read).
 */
export async function checkCommand(args: string[]): Promise<number> {
  let json: boolean;
  let agencyId: string | null;
  let files: string[];
  let extractor: Extractor;
  try {
    const { values, positionals } = parse(args, {
      json: { type: 'boolean' },
      agency: { type: 'string' },
      ...LIMIT_OPTIONS,
    });
    if (positionals.length === 0) throw new UsageError('check needs at least one FILE');
    json = values.json === true;
    agencyId = (values.agency as string | undefined) ?? null;
    if (agencyId !== null && !AGENCY_ID.test(agencyId)) {
      throw new UsageError(`--agency takes an agency id of ${AGENCY_ID_RULE}, got '${agencyId}'`);
    }
    files = await expand(positionals);
    extractor = new Extractor({ limits: limitsFrom(values) });
  } catch (error) {
    process.stderr.write(`report-pipeline check: ${(error as Error).message}\n`);
    return 2;
  }

  const progress = new Progress(files.length, { minTotal: 2 });
  let exit = 0;
  try {
    for (const file of files) {
      progress.tick(file);
      let record: ReportRecord;
      try {
        record = await recordFromFile(extractor, file, agencyId);
      } catch (error) {
        progress.clear();
        const message = `cannot read ${file}: ${(error as Error).message}`;
        process.stderr.write(`report-pipeline check: ${message}\n`);
        if (json)
          process.stdout.write(`${JSON.stringify({ file, error: { code: 'READ_ERROR', message } })}\n`);
        exit = 2;
        continue;
      }
      progress.clear();
      process.stdout.write(json ? `${JSON.stringify({ file, ...record })}\n` : formatRecord(file, record));
      if (record.status === 'FAILED') exit = 2;
      else if (record.status === 'INVALID' && exit === 0) exit = 1;
    }
  } finally {
    progress.clear();
    await extractor.close();
  }
  return exit;
}
