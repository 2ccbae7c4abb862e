/**
 * `check` against raw pdf.js, whole processes, in one run: start-up (bare node, `--help`, one small PDF
 * each way) and throughput over every PDF fixture (raw pdf.js as one process, raw pdf.js as one process
 * per core on the files dealt out, which is the machine's own ceiling for pdf.js, check's worker pool
 * alone without the parse (pool-extract.ts), and `check --json`).
 * Every command runs BENCH_ROUNDS times, the commands interleaved, and each figure is the median; the load
 * average is printed beside them, since another tenant of the machine moves every wall-clock figure.
 *
 * Run alone: `node bench/run.ts cli`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { poolSize } from '../functions/extract/index.ts';
import { timeProcesses } from './processes.ts';

const ROOT = path.join(import.meta.dirname, '..');
const fixtures = path.join(ROOT, 'test', 'fixtures');
export const PDF_FIXTURES = ['seeds', 'synthetic', 'real'].flatMap((group) =>
  readdirSync(path.join(fixtures, group))
    .filter((f) => f.endsWith('.pdf'))
    .map((f) => path.join(fixtures, group, f)),
);
const SMALL_PDF = path.join(fixtures, 'synthetic', 'cell-missing-denied-state-secret.pdf');
const CLI = path.join(ROOT, 'bin', 'report-pipeline.mjs');
const RAW = path.join(import.meta.dirname, 'raw-pdfjs.mjs');
const POOL = path.join(import.meta.dirname, 'pool-extract.ts');
/** The pool alone is a TypeScript entry, not the CLI's shim: it gets a compile cache as the CLI has one. */
const POOL_ENV = { NODE_COMPILE_CACHE: path.join(tmpdir(), 'report-pipeline-bench-compile-cache') };

/** The goals of issue 27: check within 5 % of the ceiling, one small PDF within 0.15 s of raw pdf.js. */
export const GOALS = { ofCeiling: 0.95, onePdfGapSeconds: 0.15 };

export interface CliFigures {
  rawPerPdfMs: number;
  ofCeiling: number;
  onePdfGapSeconds: number;
}

const f2 = (x: number): string => x.toFixed(2);
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

export function measureCli(rounds: number, repeat: number): CliFigures {
  const many = Array.from({ length: repeat }, () => PDF_FIXTURES).flat();
  const workers = poolSize();
  const dealt = Array.from({ length: workers }, (_, w) => many.filter((_, i) => i % workers === w));
  // Untimed: the compile cache holds this tree's code and the files are in the page cache, as on any
  // second run (a first run after a code change pays type stripping once).
  spawnSync(process.execPath, [CLI, 'check', '--json', ...PDF_FIXTURES], { stdio: 'ignore' });
  spawnSync(process.execPath, [RAW, ...PDF_FIXTURES], { stdio: 'ignore' });
  spawnSync(process.execPath, [POOL, ...PDF_FIXTURES], {
    stdio: 'ignore',
    env: { ...process.env, ...POOL_ENV },
  });
  const loadBefore = load();

  const [bare, help, rawOne, checkOne] = timeProcesses(
    [
      { name: 'node -e 0', args: ['-e', '0'] },
      { name: 'report-pipeline --help', args: [CLI, '--help'] },
      { name: 'raw pdf.js, one small PDF', args: [RAW, SMALL_PDF] },
      { name: 'report-pipeline check, one small PDF', args: [CLI, 'check', SMALL_PDF] },
    ],
    rounds,
  );
  const [rawMany, rawTogether, poolMany, checkMany] = timeProcesses(
    [
      { name: 'raw pdf.js, one process', args: [RAW, ...many] },
      {
        name: `raw pdf.js, ${workers} processes on the files dealt out`,
        args: [],
        together: dealt.map((f) => [RAW, ...f]),
      },
      {
        name: `check's ${workers} sandboxed workers alone (no parse)`,
        args: [POOL, ...many],
        env: POOL_ENV,
      },
      { name: 'report-pipeline check --json', args: [CLI, 'check', '--json', ...many] },
    ],
    rounds,
  );
  if (!bare || !help || !rawOne || !checkOne || !rawMany || !rawTogether || !poolMany || !checkMany) {
    throw new Error('bench runs missing');
  }
  const loadAfter = load();

  const gap = checkOne.seconds - rawOne.seconds;
  console.log(
    `\n## Start-up (whole processes, median of ${rounds}; load average ${loadBefore} before, ${loadAfter} after)`,
  );
  console.log('| measure | value | goal |');
  console.log('|---|---:|---|');
  console.log(`| --help ÷ bare node | ${f2(help.seconds / bare.seconds)}× | |`);
  console.log(`| --help | ${f2(help.seconds)} s | < 0.15 s |`);
  console.log(
    `| check one small PDF − raw pdf.js on it | ${f2(gap)} s (${f2(checkOne.seconds)} vs ${f2(rawOne.seconds)}) | ≤ ${GOALS.onePdfGapSeconds} s (${gap <= GOALS.onePdfGapSeconds ? 'met' : 'not met'}) |`,
  );

  const pages = Number(rawMany.stdout.trim());
  const checked = checkMany.stdout
    .trim()
    .split('\n')
    .reduce(
      (sum, line) => sum + ((JSON.parse(line) as { source?: { pages?: number } }).source?.pages ?? 0),
      0,
    );
  const ofCeiling = rawTogether.seconds / checkMany.seconds;
  console.log(
    `\n## Throughput: ${many.length} PDFs, ${pages} pages (check counted ${checked}), whole processes, median of ${rounds}`,
  );
  console.log(
    `| run | seconds | pages/s | ÷ raw pdf.js one process | ÷ ${workers} raw processes (ceiling) |`,
  );
  console.log('|---|---:|---:|---:|---:|');
  if (Number(poolMany.stdout.trim()) !== pages)
    throw new Error(`the pool read ${poolMany.stdout.trim()} pages`);
  for (const run of [rawMany, rawTogether, poolMany, checkMany]) {
    console.log(
      `| ${run.name} | ${f2(run.seconds)} | ${(pages / run.seconds).toFixed(0)} | ${f2(rawMany.seconds / run.seconds)}× | ${f2(rawTogether.seconds / run.seconds)}× |`,
    );
  }
  console.log(
    `ceiling: ${workers} raw pdf.js processes reach ${f2(rawMany.seconds / rawTogether.seconds)}× one on this ${availableParallelism()}-core machine; the sandboxed workers alone ${f2(rawTogether.seconds / poolMany.seconds)} and check ${f2(ofCeiling)} of it (goal ≥ ${GOALS.ofCeiling}: ${ofCeiling >= GOALS.ofCeiling ? 'met' : 'not met'})`,
  );
  return { rawPerPdfMs: (rawMany.seconds * 1000) / many.length, ofCeiling, onePdfGapSeconds: gap };
}
