/**
 * The analytics dataset (issue 26): export throughput, the Parquet writer against DuckDB's own COPY, each
 * saved query on DuckDB over BENCH_ANALYTICS_RECORDS generated report versions (default 100,000) of a
 * 5,000-body province over four years, the province's 汇总, and what each query would cost on Athena.
 *
 * The records are real ones (sample reports through the real parser and checks, valid and invalid) cloned
 * under 5,000 agencies, four years and five uploads each, their counts scaled so the arithmetic still holds.
 * Run alone: `node bench/analytics.ts`; `npm run bench` runs it after the status bench.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { CELL_COLUMNS, TABLES_OF_DATASET } from '../functions/analytics/columns.ts';
import { ANALYTICS_PREFIX } from '../functions/analytics/dataset.ts';
import { LocalDataset } from '../functions/analytics/duckdb.ts';
import { datasetFiles } from '../functions/analytics/export.ts';
import { SAVED_QUERIES } from '../functions/analytics/queries.ts';
import { officeSummary } from '../functions/analytics/summary.ts';
import { datasetSummarySource } from '../functions/analytics/summary-dataset.ts';
import { parseRegistry, type Registry } from '../functions/pipeline/registry.ts';
import type { ReportRecord } from '../functions/report/record.ts';
import {
  APPEAL_COLUMNS,
  APPEAL_GROUPS,
  fromKeys,
  REQUEST_COLUMNS,
  REQUEST_ROW_KEYS,
} from '../functions/report/template.ts';
import type { ReportChange } from '../functions/stream/contract.ts';
import { checkText, sampleSpec } from '../test/report/helpers.ts';
import { generatedRegistry } from '../test/support/big-registry.ts';
import { renderReport } from '../test/support/report-builder.ts';

const RECORDS = Number(process.env.BENCH_ANALYTICS_RECORDS ?? 100_000);
const AGENCIES = Number(process.env.BENCH_ANALYTICS_AGENCIES ?? 5_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = 1000;
const YEARS = [2021, 2022, 2023, 2024];
/** Athena: USD 5 per TB scanned, at least 10 MB per query (aws.amazon.com/athena/pricing, us-east-1). */
const ATHENA_PER_TB = 5;
const ATHENA_MIN_BYTES = 10 * 1024 ** 2;
const ROOT = path.join(import.meta.dirname, '..');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ms = (t0: number) => performance.now() - t0;
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** A province: office-0 over 10 city offices over 50 county offices (test/support/big-registry.ts). */
export const province = (): Registry => parseRegistry(generatedRegistry(AGENCIES, 61));

/** Every count of a record × k: the tables' sums still add up, the values differ between bodies. */
function scaled(record: ReportRecord, k: number): ReportRecord {
  const times = (v: number | null) => (v === null ? null : v * k);
  const { requests, appeals } = record;
  return {
    ...record,
    requests:
      requests === null
        ? null
        : fromKeys(REQUEST_ROW_KEYS, (r) => {
            const row = requests[r];
            return row === null ? null : fromKeys(REQUEST_COLUMNS, (c) => times(row[c]));
          }),
    appeals:
      appeals === null
        ? null
        : fromKeys(APPEAL_GROUPS, (g) => fromKeys(APPEAL_COLUMNS, (c) => times(appeals[g][c]))),
  };
}

export async function generate(): Promise<ReportChange[]> {
  const bases = await Promise.all(
    YEARS.flatMap((year) => [
      checkText(renderReport(sampleSpec({ year }))),
      checkText(
        renderReport({
          ...sampleSpec({ year }),
          requests: {
            ...sampleSpec({ year }).requests,
            newReceived: { ...sampleSpec({ year }).requests.newReceived, total: 99 },
          },
        }),
      ),
    ]),
  );
  const perAgencyYear = Math.max(1, Math.round(RECORDS / AGENCIES / YEARS.length));
  const changes: ReportChange[] = [];
  let sequence = 10n ** 20n;
  for (let n = 0; changes.length < RECORDS; n++) {
    const agency = n % AGENCIES;
    const yearIndex = Math.floor(n / AGENCIES) % YEARS.length;
    const upload = Math.floor(n / (AGENCIES * YEARS.length)) % perAgencyYear;
    const year = YEARS[yearIndex];
    // One in five uploads invalid; the last upload of most bodies valid.
    const base = bases[yearIndex * 2 + ((agency + upload) % 5 === 0 ? 1 : 0)];
    if (year === undefined || base === undefined) throw new Error('year index outside YEARS');
    const key = `incoming/agency-${agency}/${year}/${n}-年报.txt`;
    const at = new Date(Date.UTC(year + 1, 0, 5 + ((agency * 7 + upload) % 80), 2)).toISOString();
    const record: ReportRecord = {
      ...scaled(base, 1 + (agency % 7)),
      agencyId: `agency-${agency}`,
      upload: {
        bucket: 'b',
        key,
        versionId: `v${n}`,
        sequencer: n.toString(16).padStart(32, '0'),
        eventTime: at,
        size: 1000,
      },
    };
    sequence += 1n;
    changes.push({
      eventId: `e${n}`,
      eventName: 'INSERT',
      sequenceNumber: String(sequence),
      itemType: 'version',
      objectKey: key,
      record,
      previous: null,
      recordUnchanged: false,
      revision: 0,
      reevaluatedBecause: null,
    });
  }
  return changes;
}

/** The export function's bundle, and a fresh process importing it and writing one batch (cold start). */
async function writerFigures(work: string, batch: ReportChange[]) {
  const entry = path.join(work, 'entry.ts');
  writeFileSync(
    entry,
    `import { datasetFiles } from ${JSON.stringify(path.join(ROOT, 'functions/analytics/export.ts'))};
export { datasetFiles };`,
  );
  const outfile = path.join(work, 'export-bundle.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    logLevel: 'error',
  });
  const batchFile = path.join(work, 'batch.json');
  writeFileSync(batchFile, JSON.stringify(batch));
  const probe = (code: string) =>
    JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', code], {
        encoding: 'utf8',
        env: { ...process.env, NODE_COMPILE_CACHE: '' },
      }),
    );
  const hyparquet = probe(`
const t0 = performance.now();
const { datasetFiles } = await import(${JSON.stringify(outfile)});
const init = performance.now() - t0;
const batch = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(batchFile)}, 'utf8'));
const t1 = performance.now();
const files = datasetFiles(batch, []);
console.log(JSON.stringify({ init, write: performance.now() - t1, rss: process.memoryUsage().rss, bytes: files.reduce((s, f) => s + f.body.length, 0) }));`);
  // DuckDB's own writer, as a Lambda would run it: load the native module, open in memory, COPY the rows.
  const rowsFile = path.join(work, 'rows.json');
  writeFileSync(
    rowsFile,
    JSON.stringify(
      batch.map((c) => ({
        object_key: c.objectKey,
        ...Object.fromEntries(CELL_COLUMNS.map((col) => [col.name, 1])),
      })),
    ),
  );
  const duck = probe(`
const t0 = performance.now();
const { DuckDBInstance } = await import('@duckdb/node-api');
const db = await (await DuckDBInstance.create(':memory:')).connect();
const init = performance.now() - t0;
const t1 = performance.now();
await db.run("COPY (SELECT * FROM read_json('${rowsFile}')) TO '${path.join(work, 'duck.parquet')}' (FORMAT parquet, COMPRESSION snappy)");
console.log(JSON.stringify({ init, write: performance.now() - t1, rss: process.memoryUsage().rss }));`);
  const duckPackage = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce(
      (s, e) =>
        s + (e.isDirectory() ? duckPackage(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size),
      0,
    );
  return {
    bundleBytes: statSync(outfile).size,
    hyparquet,
    duck,
    duckBytes: duckPackage(path.join(ROOT, 'node_modules', '@duckdb')),
  };
}

export async function benchAnalytics(): Promise<void> {
  const load = loadavg();
  const registry = province();
  const t0 = performance.now();
  const changes = await generate();
  const generated = ms(t0);
  const work = mkdtempSync(path.join(tmpdir(), 'bench-analytics-'));
  try {
    // Export: the consumer's work per stream batch of 1,000, written as the deployed layout.
    let bytes = 0;
    let files = 0;
    const t1 = performance.now();
    for (let i = 0; i < changes.length; i += BATCH) {
      for (const file of datasetFiles(changes.slice(i, i + BATCH), [])) {
        const target = path.join(work, 'data', file.key.slice(ANALYTICS_PREFIX.length));
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, file.body);
        bytes += file.body.length;
        files++;
      }
    }
    const exportMs = ms(t1);
    const writer = await writerFigures(work, changes.slice(0, BATCH));

    console.log(
      `\n## Analytics dataset (${changes.length.toLocaleString('en')} report versions, ${AGENCIES.toLocaleString('en')} bodies, ${YEARS.length} years; generated in ${(generated / 1000).toFixed(1)} s; load average ${load.map((l) => l.toFixed(1)).join(' ')})`,
    );
    console.log('| export (functions/analytics/export.ts, batches of 1,000) | value |');
    console.log('|---|---:|');
    console.log(
      `| throughput | ${Math.round(changes.length / (exportMs / 1000)).toLocaleString('en')} records/s |`,
    );
    console.log(
      `| files, size | ${files} files, ${mb(bytes)} (${(bytes / changes.length).toFixed(0)} B per version with its findings) |`,
    );
    console.log(
      '\n| Parquet writer in the export Lambda (fresh process, one batch of 1,000) | hyparquet-writer | DuckDB COPY … TO PARQUET |',
    );
    console.log('|---|---:|---:|');
    console.log(
      `| code shipped | ${(writer.bundleBytes / 1024).toFixed(0)} KB bundle (export + writer) | ${mb(writer.duckBytes)} (native module, this platform) |`,
    );
    console.log(
      `| cold start (import + open) | ${writer.hyparquet.init.toFixed(0)} ms | ${writer.duck.init.toFixed(0)} ms |`,
    );
    console.log(
      `| write one batch | ${writer.hyparquet.write.toFixed(0)} ms | ${writer.duck.write.toFixed(0)} ms (cells only, from JSON) |`,
    );
    console.log(`| resident memory after | ${mb(writer.hyparquet.rss)} | ${mb(writer.duck.rss)} |`);

    const dataset = await LocalDataset.open(path.join(work, 'data'), registry);
    try {
      const tableBytes = (name: string, year?: number) => {
        const dir = path.join(work, 'data', name, ...(year === undefined ? [] : [`year=${year}`]));
        return readdirSync(dir, { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.parquet'))
          .reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);
      };
      const all = tableBytes(TABLES_OF_DATASET.versions.name) + tableBytes(TABLES_OF_DATASET.findings.name);
      console.log(
        `\n| saved query on DuckDB (2024; median of ${ROUNDS}) | whole province | one city (a tenth) | rows | Athena: bytes read at most → billed | Athena cost per query |`,
      );
      console.log('|---|---:|---:|---:|---:|---:|');
      for (const query of SAVED_QUERIES) {
        const times: Record<'province' | 'city', number[]> = { province: [], city: [] };
        let rows = 0;
        for (let r = 0; r < ROUNDS; r++) {
          const a = performance.now();
          rows = (await dataset.run(query, { year: 2024, office: null })).rows.length;
          times.province.push(ms(a));
          const b = performance.now();
          await dataset.run(query, { year: 2024, office: 'office-1' });
          times.city.push(ms(b));
        }
        // Upper bound: every column of the partitions read (Parquet lets Athena read only the columns used).
        const years = /year <= :year|LATE_PUBLICATION/.test(query.sql)
          ? all
          : tableBytes('report_versions', 2024) + tableBytes('findings', 2024);
        const billed = Math.max(years, ATHENA_MIN_BYTES);
        console.log(
          `| ${query.name} | ${median(times.province).toFixed(0)} ms | ${median(times.city).toFixed(0)} ms | ${rows} | ${mb(years)} → ${mb(billed)} | $${((billed / 1024 ** 4) * ATHENA_PER_TB).toFixed(6)} |`,
        );
      }
      const summaryTimes: number[] = [];
      let included = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const a = performance.now();
        const summary = await officeSummary(
          registry,
          'office-0',
          2024,
          await datasetSummarySource(dataset, 2024, 'office-0'),
        );
        summaryTimes.push(ms(a));
        included = summary.counts.included;
      }
      console.log(
        `\n汇总 of the ${AGENCIES.toLocaleString('en')}-body province for 2024 on DuckDB (stats --summary): ${median(summaryTimes).toFixed(0)} ms median of ${ROUNDS} (${included} bodies counted); the dataset holds ${mb(all)} in all.`,
      );
      console.log(
        `Load average at the end: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')} (shared machine: the lead re-measures on a quiet one).`,
      );
    } finally {
      dataset.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchAnalytics();
