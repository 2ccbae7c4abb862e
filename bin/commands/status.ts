import { existsSync } from 'node:fs';
import path from 'node:path';
import { statusCsv } from '../../functions/api/status-csv.ts';
import { messageOf } from '../../functions/extract/index.ts';
import { chinaTime } from '../../functions/pipeline/china-time.ts';
import { loadRegistry } from '../../functions/pipeline/registry.ts';
import { findOffice } from '../../functions/pipeline/supervision.ts';
import {
  type OfficeYearStatus,
  officeYearStatus,
  STATE_LABELS,
  TIMING_LABELS,
} from '../../functions/pipeline/year-status.ts';
import { openLocalTable, StateFolderError } from '../../local/local-deps.ts';
import { oneOutput, parse, reportYearOption, UsageError } from './options.ts';
import { renderTable } from './table.ts';

function parseOptions(args: string[]) {
  const { values, positionals } = parse(args, {
    year: { type: 'string' },
    office: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'boolean' },
    dir: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const year = reportYearOption(values.year);
  oneOutput(values);
  return {
    year,
    office: values.office ?? null,
    format: values.json === true ? 'json' : values.csv === true ? 'csv' : 'text',
    dir: values.dir ?? '.local',
  };
}

function text(status: OfficeYearStatus): string {
  const c = status.counts;
  const states = (['VALID', 'INVALID', 'FAILED', 'NOT_SUBMITTED'] as const).map(
    (s) => `${STATE_LABELS[s]} ${c[s]}`,
  );
  const head = `${status.officeName}（${status.officeId}）${status.year}年度：共 ${c.total} 个机关，${states.join('，')}，逾期 ${c.late}`;
  const rows = status.agencies.map((a) => [
    a.agencyId,
    a.name,
    a.status,
    a.uploadedAt === null ? '-' : chinaTime(a.uploadedAt),
    TIMING_LABELS[a.timing],
    `${a.errors}/${a.warnings}`,
    a.mainCodes.slice(0, 3).join(' '),
  ]);
  return `${head}\n${renderTable(['agency', '名称', 'status', '上传时间', '时限', '错/警', 'codes'], rows)}\n`;
}

/**
 * `report-pipeline status --year Y [--office ID] [--json|--csv] [--dir D]`: the year's status from the
 * local store (the table `report-pipeline local` keeps in D, default .local), for one office or, without
 * --office, for each office at the top of the tree.
 */
export async function statusCommand(args: string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  const registry = loadRegistry();
  try {
    options = parseOptions(args);
    if (options.office !== null && findOffice(registry, options.office) === null)
      throw new UsageError(
        `unknown office '${options.office}'; offices: ${registry.offices.map((o) => o.id).join(', ')}`,
      );
  } catch (error) {
    process.stderr.write(`report-pipeline status: ${messageOf(error)}\n`);
    return 2;
  }
  const tableDir = path.join(options.dir, 'dynamodb');
  if (!existsSync(tableDir)) {
    process.stderr.write(
      `report-pipeline status: no local store in ${options.dir} (run report-pipeline local first)\n`,
    );
    return 2;
  }
  const offices =
    options.office !== null
      ? [options.office]
      : registry.offices.filter((o) => o.supervisedBy.length === 0).map((o) => o.id);
  let table: Awaited<ReturnType<typeof openLocalTable>>;
  try {
    table = await openLocalTable(tableDir);
  } catch (error) {
    if (!(error instanceof StateFolderError)) throw error;
    process.stderr.write(`report-pipeline status: ${error.message}\n`);
    return 2;
  }
  try {
    const reader = table.submissions;
    const statuses: OfficeYearStatus[] = [];
    for (const office of offices)
      statuses.push(await officeYearStatus(registry, office, options.year, reader));
    if (options.format === 'json') {
      for (const s of statuses) process.stdout.write(`${JSON.stringify(s)}\n`);
    } else if (options.format === 'csv') {
      // One header; an agency under two top offices appears once.
      const seen = new Set<string>();
      const agencies = statuses
        .flatMap((s) => s.agencies)
        .filter((a) => !seen.has(a.agencyId) && seen.add(a.agencyId));
      process.stdout.write(statusCsv({ agencies }));
    } else {
      process.stdout.write(statuses.map(text).join('\n'));
    }
    return 0;
  } catch (error) {
    const message = messageOf(error);
    process.stderr.write(
      /index/i.test(message)
        ? `report-pipeline status: the local store in ${options.dir} predates the bySubmission index; remove it and run report-pipeline local again (${message})\n`
        : `report-pipeline status: ${message}\n`,
    );
    return 2;
  } finally {
    await table.stop();
  }
}
