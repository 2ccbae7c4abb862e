/**
 * `npm run bench`: start-up, throughput on every core, what a Lambda costs, and the budgets on hostile
 * files, in one run. Ratios lead: the machine may be shared, and a ratio measured in the same run (the
 * commands interleaved) survives a noisy neighbour far better than an absolute time.
 *
 * - cli: `check` against raw pdf.js (bench/cli.ts): one small PDF each way, and every PDF fixture
 *   (BENCH_REPEAT copies of the list) through raw pdf.js as one process, as one process per core on the
 *   files dealt out (the machine's ceiling for pdf.js), and `check --json`.
 * - parse: parse + validate + cross-year per report on pre-extracted documents (bench/parse.ts), and the
 *   run-together solver on crawled pages and its worst rows (bench/flattened.ts).
 * - lambda: bench/lambda.ts; the cost table uses the measured warm duration and the prices below.
 * - budgets: the PDF bomb against the worker's budgets. status: bench/status.ts. analytics: bench/analytics.ts.
 *
 * `node bench/run.ts [cli] [parse] [lambda] [budgets] [status] [analytics]` runs only the sections named.
 */
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { Extractor, poolSize } from '../functions/extract/index.ts';
import { type CliFigures, measureCli } from './cli.ts';
import { measureLambdas } from './lambda.ts';
import { measureParsing } from './parse.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2);
const ROOT = path.join(import.meta.dirname, '..');
const realPdf = path.join(ROOT, 'test', 'fixtures', 'real', 'hongze-2023.pdf');
const SECTIONS = ['cli', 'parse', 'lambda', 'budgets', 'status', 'analytics', 'ocr'] as const;
const asked = process.argv.slice(2);
for (const a of asked) {
  if (!(SECTIONS as readonly string[]).includes(a))
    throw new Error(`unknown bench section ${a}; one of ${SECTIONS.join(', ')}`);
}
const runs = (section: (typeof SECTIONS)[number]): boolean => asked.length === 0 || asked.includes(section);

/** Prices (USD): Lambda arm64 in us-east-1, Textract AnalyzeDocument with Tables, first million pages a month. */
const LAMBDA_GB_SECOND = 0.0000133334;
const LAMBDA_PER_REQUEST = 0.2 / 1_000_000;
const TEXTRACT_TABLES_PER_PAGE = 0.015;
/** Memory sizes of the stack (lib/report-pipeline-stack.ts), chosen from these figures. */
const MEMORY_MB = { extract: 1769, parse: 1024 };

console.log(
  `Node ${process.version}, ${availableParallelism()} cores, pool of ${poolSize()} extraction workers, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);

// --- check against raw pdf.js
let cli: CliFigures | undefined;
if (runs('cli')) cli = measureCli(ROUNDS, REPEAT);

// --- parse + validate + cross-year, in this process, on documents extracted beforehand
if (runs('parse')) {
  const parsing = await measureParsing(Math.max(ROUNDS, 5));
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
      `| ${name} | ${median.toFixed(2)} ms | ${max.toFixed(2)} ms | ${cli ? (median / cli.rawPerPdfMs).toFixed(3) : '–'} | < 5 ms |`,
    );
  }
  if (cli) console.log(`raw pdf.js per PDF in this run: ${cli.rawPerPdfMs.toFixed(1)} ms`);
  await import('./flattened.ts');
}

// --- Lambda
if (runs('lambda')) {
  const lambdas = await measureLambdas(realPdf, ROUNDS);
  console.log(
    '\n## Lambda bundles, fresh process each (median), extract invoked on hongze-2023.pdf (5 pages)',
  );
  console.log(
    '| function | bundle | init | first invocation | warm invocation | peak memory | memory size |',
  );
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
}

// --- budgets on hostile files
if (runs('budgets')) {
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
}

// --- supervision status (bench/status.ts; BENCH_STATUS_AGENCIES and BENCH_STATUS_VERSIONS set its size)
if (runs('status')) {
  const { benchStatus } = await import('./status.ts');
  await benchStatus();
}

// --- analytics dataset (bench/analytics.ts)
if (runs('analytics')) {
  const { benchAnalytics } = await import('./analytics.ts');
  await benchAnalytics();
}

// --- OCR of scanned reports (bench/ocr.ts; BENCH_OCR_LIMIT caps the scans per resolution group)
if (runs('ocr')) {
  const { benchOcr } = await import('./ocr.ts');
  await benchOcr();
}
