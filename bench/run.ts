/**
 * `npm run bench`: start-up, throughput on every core, what a Lambda costs, and the budgets on hostile
 * files, in one run. Ratios lead: the machine may be shared, and a ratio measured in the same run (the
 * commands interleaved) survives a noisy neighbour far better than an absolute time.
 *
 * - start-up: whole processes, median of BENCH_ROUNDS runs: `--help`, `check` on one small PDF, against
 *   bare `node -e 0` and raw pdf.js on the same PDF (bench/raw-pdfjs.ts).
 * - throughput: `check --json` over every PDF fixture (BENCH_REPEAT copies of the list) against raw
 *   single-thread pdf.js over the same files, both as whole processes.
 * - parse + validate + cross-year per report on pre-extracted documents (bench/parse.ts), and the
 *   run-together solver on crawled pages and its worst rows (bench/flattened.ts).
 * - Lambda: bench/lambda.ts; the cost table uses the measured warm duration and the prices below.
 */
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Extractor, poolSize } from '../functions/extract/index.ts';
import { measureLambdas } from './lambda.ts';
import { measureParsing } from './parse.ts';
import { timeProcesses } from './processes.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const ROOT = path.join(import.meta.dirname, '..');
const fixtures = path.join(ROOT, 'test', 'fixtures');
const pdfs = ['seeds', 'synthetic', 'real'].flatMap((group) =>
  readdirSync(path.join(fixtures, group))
    .filter((f) => f.endsWith('.pdf'))
    .map((f) => path.join(fixtures, group, f)),
);
const smallPdf = path.join(fixtures, 'synthetic', 'cell-missing-denied-state-secret.pdf');
const realPdf = path.join(fixtures, 'real', 'hongze-2023.pdf');
const cli = path.join(ROOT, 'bin', 'report-pipeline.mjs');
const raw = path.join(import.meta.dirname, 'raw-pdfjs.ts');

/** Prices (USD): Lambda arm64 in us-east-1, Textract AnalyzeDocument with Tables, first million pages a month. */
const LAMBDA_GB_SECOND = 0.0000133334;
const LAMBDA_PER_REQUEST = 0.2 / 1_000_000;
const TEXTRACT_TABLES_PER_PAGE = 0.015;
/** Memory sizes of the stack (lib/report-pipeline-stack.ts), chosen from these figures. */
const MEMORY_MB = { extract: 1769, parse: 1024 };

const f2 = (x: number): string => x.toFixed(2);
console.log(
  `Node ${process.version}, ${availableParallelism()} cores, pool of ${poolSize()} extraction workers`,
);

// --- start-up
const [bare, help, rawOne, checkOne] = timeProcesses(
  [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'report-pipeline --help', args: [cli, '--help'] },
    { name: 'raw pdf.js, one small PDF', args: [raw, smallPdf] },
    { name: 'report-pipeline check, one small PDF', args: [cli, 'check', smallPdf] },
  ],
  ROUNDS,
);
if (!bare || !help || !rawOne || !checkOne) throw new Error('start-up runs missing');
console.log('\n## Start-up (whole processes, median)');
console.log('| measure | value | goal |');
console.log('|---|---:|---|');
console.log(`| --help ÷ bare node | ${f2(help.seconds / bare.seconds)}× | |`);
console.log(`| --help | ${f2(help.seconds)} s | < 0.15 s |`);
console.log(
  `| check one PDF − raw pdf.js same PDF | ${f2(checkOne.seconds - rawOne.seconds)} s (${f2(checkOne.seconds)} vs ${f2(rawOne.seconds)}) | ≤ 0.3 s |`,
);

// --- throughput on every core
const many = Array.from({ length: REPEAT }, () => pdfs).flat();
// The machine's own ceiling: raw pdf.js as one process per pool worker, the files dealt out between them.
const workers = poolSize();
const dealt = Array.from({ length: workers }, (_, w) => many.filter((_, i) => i % workers === w));
const [rawMany, rawTogether, checkMany] = timeProcesses(
  [
    { name: 'raw pdf.js, one thread', args: [raw, ...many] },
    {
      name: `raw pdf.js, ${workers} processes at once`,
      args: [],
      together: dealt.map((files) => [raw, ...files]),
    },
    { name: 'report-pipeline check --json', args: [cli, 'check', '--json', ...many] },
  ],
  ROUNDS,
);
if (!rawMany || !rawTogether || !checkMany) throw new Error('throughput runs missing');
const pages = Number(rawMany.stdout.trim());
const checked = checkMany.stdout
  .trim()
  .split('\n')
  .reduce((sum, line) => sum + ((JSON.parse(line) as { source?: { pages?: number } }).source?.pages ?? 0), 0);
console.log(
  `\n## Throughput: ${many.length} PDFs, ${pages} pages (check counted ${checked}), whole processes`,
);
console.log(`| run | pages/s | ratio to raw pdf.js | ratio to ${workers} raw processes at once |`);
console.log('|---|---:|---:|---:|');
for (const run of [rawMany, rawTogether, checkMany])
  console.log(
    `| ${run.name} | ${(pages / run.seconds).toFixed(0)} | ${f2(rawMany.seconds / run.seconds)}× | ${f2(rawTogether.seconds / run.seconds)}× |`,
  );
console.log(
  `goal: check ≥ 1.50× raw pdf.js on this 2-core machine; ${workers} raw processes at once reach ${f2(rawMany.seconds / rawTogether.seconds)}×, the ceiling the machine gives pdf.js here`,
);

// --- parse + validate + cross-year, in this process, on documents extracted beforehand
const parsing = await measureParsing(Math.max(ROUNDS, 5));
const rawPerPdfMs = (rawMany.seconds * 1000) / many.length;
console.log(
  `\n## Parse + validate + cross-year per report (${parsing.reports} fixtures, every format; median of rounds)`,
);
console.log('| step | median | slowest | median ÷ raw pdf.js per PDF | goal |');
console.log('|---|---:|---:|---:|---|');
for (const [name, median, max] of [
  ['parse + validate (checkDocument)', parsing.checkMedianMs, parsing.checkMaxMs],
  ['cross-year checks against the previous report', parsing.crossYearMedianMs, parsing.crossYearMaxMs],
] as const) {
  console.log(
    `| ${name} | ${median.toFixed(2)} ms | ${max.toFixed(2)} ms | ${(median / rawPerPdfMs).toFixed(3)} | < 5 ms |`,
  );
}
console.log(`raw pdf.js per PDF in this run: ${rawPerPdfMs.toFixed(1)} ms`);
await import('./flattened.ts');

// --- Lambda
const lambdas = await measureLambdas(realPdf, ROUNDS);
console.log('\n## Lambda bundles, fresh process each (median), extract invoked on hongze-2023.pdf (5 pages)');
console.log('| function | bundle | init | first invocation | warm invocation | peak memory | memory size |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const l of lambdas) {
  const ms = (x?: number): string => (x === undefined ? '–' : `${x.toFixed(0)} ms`);
  console.log(
    `| ${l.name} | ${(l.bundleBytes / 1024 / 1024).toFixed(1)} MB | ${ms(l.initMs)} | ${ms(l.firstMs)} | ${ms(l.warmMs)} | ${(l.peakBytes / 1024 / 1024).toFixed(0)} MB | ${MEMORY_MB[l.name as keyof typeof MEMORY_MB]} MB |`,
  );
}
const extract = lambdas.find((l) => l.name === 'extract');
if (extract?.warmMs !== undefined) {
  const reports = 10_000;
  const pagesPerReport = 5;
  const gbSeconds = (extract.warmMs / 1000) * (MEMORY_MB.extract / 1024);
  const lambda = reports * (gbSeconds * LAMBDA_GB_SECOND + LAMBDA_PER_REQUEST);
  const textract = reports * pagesPerReport * TEXTRACT_TABLES_PER_PAGE;
  console.log(
    `\n## Cost per ${reports} reports of ${pagesPerReport} pages (warm extract duration, arm64 prices)`,
  );
  console.log(`| extract Lambda | $${lambda.toFixed(3)} |`);
  console.log(`| Textract AnalyzeDocument (Tables) for the same pages | $${textract.toFixed(0)} |`);
  console.log(`| ratio | ${(textract / lambda).toFixed(0)}× |`);
}

// --- budgets on hostile files
const { buildPdf, deflateRepeated } = await import('../test/support/pdf-writer.ts');
const bomb = buildPdf({
  pages: [
    { deflated: deflateRepeated('BT /F2 12 Tf 10 10 Td (AAAAAAAAAAAAAAAA) Tj ET\n', 300 * 1024 * 1024) },
  ],
});
const ex = new Extractor();
const start = performance.now();
const outcome = await ex.extract(bomb).then(
  () => 'extracted',
  (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
);
await ex.close();
console.log('\n## Budgets (per worker process, default limits)');
console.log(
  `| PDF content stream inflating to 300 MB (${(bomb.length / 1024).toFixed(0)} KB) | ${outcome} | ${(performance.now() - start).toFixed(0)} ms |`,
);

// --- supervision status (bench/status.ts; BENCH_STATUS_AGENCIES and BENCH_STATUS_VERSIONS set its size)
const { benchStatus } = await import('./status.ts');
await benchStatus();
const { benchAnalytics } = await import('./analytics.ts');
await benchAnalytics();
