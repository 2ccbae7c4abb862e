import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Extractor, inOrder, messageOf, poolSize } from '../../functions/extract/index.ts';
import { AGENCY_ID, AGENCY_ID_RULE } from '../../functions/pipeline/keys.ts';
import { REPORT_TYPE_LABELS } from '../../functions/pipeline/report-types.ts';
import type { ReportRecord } from '../../functions/report/index.ts';
import type { PageEntry } from './html-page.ts';
import { LIMIT_OPTIONS, limitsFrom, parse, UsageError } from './options.ts';
import { Progress } from './progress.ts';
import { reportFilesIn } from './report-files.ts';

/** How many skipped names a notice lists before it only counts them. */
const SKIPPED_LISTED = 5;

/**
 * Arguments as files; a directory stands for the report files under it, in name order. What a directory
 * holds besides reports is said on stderr (stdout stays one result per file); a directory without a
 * single report is a usage error, not a silent pass.
 */
async function expand(args: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (!info?.isDirectory()) {
      files.push(arg);
      continue;
    }
    const found = await reportFilesIn(arg);
    if (found.files.length === 0) {
      throw new UsageError(`${arg} holds no report file (${REPORT_TYPE_LABELS})`);
    }
    if (found.skipped.length > 0) {
      const listed = found.skipped.slice(0, SKIPPED_LISTED).map((f) => path.relative(arg, f));
      const more = found.skipped.length - listed.length;
      process.stderr.write(
        `report-pipeline check: ${arg}: ${found.skipped.length} file(s) not checked, not of a report type (${REPORT_TYPE_LABELS}): ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}\n`,
      );
    }
    files.push(...found.files);
  }
  return files;
}

/**
 * `report-pipeline check FILE... [--json] [--agency ID] [--html OUT.html]`. Exit code: 0 all valid, 1 any
 * invalid, 2 any failed (or could not be read). --html also writes every file's report view to one page.
 */
export async function checkCommand(args: string[]): Promise<number> {
  let json: boolean;
  let html: string | null;
  let agencyId: string | null;
  let files: string[];
  let extractor: Extractor;
  try {
    const { values, positionals } = parse(args, {
      json: { type: 'boolean' },
      agency: { type: 'string' },
      html: { type: 'string' },
      ...LIMIT_OPTIONS,
    });
    if (positionals.length === 0) throw new UsageError('check needs at least one FILE');
    json = values.json === true;
    html = values.html ?? null;
    if (html === '') throw new UsageError('--html takes the path of the page to write');
    agencyId = values.agency ?? null;
    if (agencyId !== null && !AGENCY_ID.test(agencyId)) {
      throw new UsageError(`--agency takes an agency id of ${AGENCY_ID_RULE}, got '${agencyId}'`);
    }
    const limits = limitsFrom(values);
    // The workers start while the file list is read; results still print in input order.
    extractor = new Extractor({ limits, workers: poolSize(limits) });
    extractor.warm();
    files = await expand(positionals).catch(async (error) => {
      await extractor.close();
      throw error;
    });
  } catch (error) {
    process.stderr.write(`report-pipeline check: ${messageOf(error)}\n`);
    return 2;
  }
  // Loaded after the workers were started, so that their start-up and these imports overlap.
  const [{ formatRecord }, { recordFromFile }] = await Promise.all([
    import('../../functions/report/index.ts'),
    import('./record-from-file.ts'),
  ]);

  const progress = new Progress(files.length, { minTotal: 2 });
  let exit = 0;
  // What --html draws, in input order (the page module is loaded only when asked for).
  const onPage: PageEntry[] = [];
  type Outcome = { record: ReportRecord } | { readError: string };
  const work = async (file: string): Promise<Outcome> => {
    try {
      return { record: await recordFromFile(extractor, file, agencyId) };
    } catch (error) {
      return { readError: `cannot read ${file}: ${messageOf(error)}` };
    }
  };
  try {
    await inOrder(files, { concurrency: extractor.workers }, work, (outcome, file) => {
      progress.clear();
      if ('readError' in outcome) {
        const message = outcome.readError;
        process.stderr.write(`report-pipeline check: ${message}\n`);
        if (json)
          process.stdout.write(`${JSON.stringify({ file, error: { code: 'READ_ERROR', message } })}\n`);
        exit = 2;
        onPage.push({ file, error: message });
      } else {
        const { record } = outcome;
        onPage.push({ file, record });
        process.stdout.write(json ? `${JSON.stringify({ file, ...record })}\n` : formatRecord(file, record));
        if (record.status === 'FAILED') exit = 2;
        else if (record.status === 'INVALID' && exit === 0) exit = 1;
      }
      progress.tick(file);
    });
  } finally {
    progress.clear();
    await extractor.close();
  }
  if (html !== null) {
    const { reportPage } = await import('./html-page.ts');
    try {
      await writeFile(html, reportPage(onPage));
      process.stderr.write(`report-pipeline check: wrote ${html}\n`);
    } catch (error) {
      process.stderr.write(`report-pipeline check: cannot write ${html}: ${messageOf(error)}\n`);
      return 2;
    }
  }
  return exit;
}
