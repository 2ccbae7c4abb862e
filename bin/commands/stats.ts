import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LocalDataset, QueryResult } from '../../functions/analytics/duckdb.ts';
import { SAVED_QUERIES } from '../../functions/analytics/queries.ts';
import { AGENCY_ID } from '../../functions/pipeline/keys.ts';
import { loadRegistry, type Registry } from '../../functions/pipeline/registry.ts';
import { findOffice } from '../../functions/pipeline/supervision.ts';
import { oneOutput, parse, reportYearOption, UsageError } from './options.ts';
import { renderTable } from './table.ts';

function parseOptions(args: string[], registry: Registry) {
  const { values, positionals } = parse(args, {
    year: { type: 'string' },
    query: { type: 'string' },
    office: { type: 'string' },
    summary: { type: 'boolean' },
    html: { type: 'string' },
    csv: { type: 'boolean' },
    json: { type: 'boolean' },
    dir: { type: 'string' },
    data: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const year = reportYearOption(values.year);
  oneOutput(values);
  const office = values.office ?? null;
  if (office !== null && (!AGENCY_ID.test(office) || findOffice(registry, office) === null))
    throw new UsageError(
      `unknown office '${office}'; offices: ${registry.offices.map((o) => o.id).join(', ')}`,
    );
  const summary = values.summary === true;
  if (summary && office === null) throw new UsageError('--summary needs --office ID');
  if (!summary && values.html !== undefined) throw new UsageError('--html goes with --summary');
  const query = values.query ?? null;
  if (summary && query !== null) throw new UsageError('--summary and --query exclude each other');
  if (query !== null && !SAVED_QUERIES.some((q) => q.name === query))
    throw new UsageError(`unknown query '${query}'; queries: ${SAVED_QUERIES.map((q) => q.name).join(', ')}`);
  return {
    year,
    office,
    query,
    summary,
    html: values.html ?? null,
    format: values.json === true ? 'json' : values.csv === true ? 'csv' : 'text',
    dir: values.dir ?? '.local',
    data: values.data ?? null,
  } as const;
}

type Options = ReturnType<typeof parseOptions>;

/** The dataset's folder: `--data DIR` as given, or the local run's bucket copied into a temporary one. */
async function datasetFolder(options: Options): Promise<{ root: string; done: () => void }> {
  if (options.data !== null) {
    if (!existsSync(options.data)) throw new UsageError(`--data: no folder ${options.data}`);
    return { root: options.data, done: () => {} };
  }
  const s3Dir = path.join(options.dir, 's3');
  if (!existsSync(s3Dir))
    throw new UsageError(`no local store in ${options.dir} (run report-pipeline local first)`);
  const { openLocalBucket } = await import('../../local/local-deps.ts');
  const { copyDataset } = await import('../../local/dataset-files.ts');
  const root = mkdtempSync(path.join(tmpdir(), 'report-pipeline-dataset-'));
  const local = await openLocalBucket(s3Dir);
  try {
    await copyDataset(local.bucket, local.objects, root);
  } finally {
    await local.stop();
  }
  return { root, done: () => rmSync(root, { recursive: true, force: true }) };
}

const RATE = /_rate$|^share_of_bodies$/;
function shown(column: string, value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number' && RATE.test(column)) return `${(value * 100).toFixed(1)}%`;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function csv(result: QueryResult): string {
  const quote = (v: unknown) => {
    const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [result.columns, ...result.rows.map((r) => result.columns.map((c) => r[c]))];
  return `\uFEFF${lines.map((l) => l.map(quote).join(',')).join('\r\n')}\r\n`;
}

/** A result as text: a table, or (one row of many columns, e.g. office_sums) one column per line. */
function text(result: QueryResult): string {
  if (result.rows.length === 1 && result.columns.length > 10) {
    const row = result.rows[0] ?? {};
    return renderTable(
      ['column', 'value'],
      result.columns.map((c) => [c, shown(c, row[c])]),
    );
  }
  return renderTable(
    result.columns,
    result.rows.map((r) => result.columns.map((c) => shown(c, r[c]))),
  );
}

async function runQueries(dataset: LocalDataset, options: Options): Promise<void> {
  const queries = SAVED_QUERIES.filter((q) => q.name === (options.query ?? 'indicators'));
  for (const query of queries) {
    const result = await dataset.run(query, { year: options.year, office: options.office });
    if (options.format === 'json') {
      for (const row of result.rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    } else if (options.format === 'csv') process.stdout.write(csv(result));
    else {
      const scope = options.office === null ? '全部机关' : options.office;
      process.stdout.write(
        `${query.title}（${query.name}）${options.year}年度 · ${scope}\n${text(result)}\n`,
      );
    }
  }
  if (options.query === null && options.format === 'text') {
    process.stdout.write(
      `\n--query NAME for another: ${SAVED_QUERIES.map((q) => `${q.name}（${q.title}）`).join('、')}\n`,
    );
  }
}

async function runSummary(dataset: LocalDataset, options: Options, registry: Registry): Promise<number> {
  const office = options.office;
  if (office === null) throw new UsageError('--summary needs --office ID');
  const { officeSummary } = await import('../../functions/analytics/summary.ts');
  const { datasetSummarySource } = await import('../../functions/analytics/summary-dataset.ts');
  const summary = await officeSummary(
    registry,
    office,
    options.year,
    await datasetSummarySource(dataset, options.year, office),
  );
  if (options.html !== null) {
    const { summaryPage } = await import('./stats-page.ts');
    writeFileSync(options.html, summaryPage(summary));
  }
  if (options.format === 'json') process.stdout.write(`${JSON.stringify(summary)}\n`);
  else if (options.format === 'csv') {
    const { summaryCsv } = await import('../../functions/analytics/summary-csv.ts');
    process.stdout.write(summaryCsv(summary));
  } else {
    const { summaryText } = await import('./stats-page.ts');
    process.stdout.write(summaryText(summary));
  }
  // As check does: 1 when the sums do not add up (an included report does not).
  return summary.issues.some((i) => i.severity === 'error') ? 1 : 0;
}

/**
 * `report-pipeline stats --year Y [--query NAME] [--office ID] [--csv|--json] [--dir D | --data DIR]` and
 * `report-pipeline stats --summary --office ID --year Y [--html OUT] [--csv|--json]`: the saved queries
 * (functions/analytics/queries.ts) and the office's 汇总 on DuckDB, over the local run's dataset (D, default
 * .local) or a copy of the deployed one (`aws s3 sync s3://BUCKET/exports/analytics/v1/ DIR`).
 */
export async function statsCommand(args: string[]): Promise<number> {
  const registry = loadRegistry();
  let options: Options;
  let folder: Awaited<ReturnType<typeof datasetFolder>>;
  try {
    options = parseOptions(args, registry);
    folder = await datasetFolder(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`report-pipeline stats: ${error.message}\n`);
    return 2;
  }
  const { LocalDataset } = await import('../../functions/analytics/duckdb.ts');
  const dataset = await LocalDataset.open(folder.root, registry);
  try {
    if (options.summary) return await runSummary(dataset, options, registry);
    await runQueries(dataset, options);
    return 0;
  } finally {
    dataset.close();
    folder.done();
  }
}
