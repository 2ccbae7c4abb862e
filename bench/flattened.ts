/**
 * Run-together cells (crawled web pages): parse + validate per page, and the solver on its worst inputs.
 * Imported by run.ts; prints one markdown table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extractDocument } from '../functions/extract/index.ts';
import { checkDocument } from '../functions/report/index.ts';
import { ROW_BUDGET } from '../functions/report/tables/recover.ts';
import { rowReadings, type SumRule } from '../functions/report/tables/solver.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const root = path.join(import.meta.dirname, '..', 'test', 'fixtures');

/** A tab-separated report as a crawler saves it: one long line, cells run together. */
const crawl = (text: string) =>
  `标题: 报告\n==== 正文 ====\n${text
    .split('\n')
    .map((l) => l.split('\t').join(''))
    .join('')}`;
const texts = [
  readFileSync(path.join(root, 'real', 'pingtan-2021.txt'), 'utf8'),
  ...readdirSync(path.join(root, 'synthetic'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => crawl(readFileSync(path.join(root, 'synthetic', f), 'utf8'))),
];
const docs = await Promise.all(texts.map((t) => extractDocument(new TextEncoder().encode(t))));
const firstDocument = docs[0];
if (firstDocument === undefined) throw new Error('no crawled page to measure');

function median(run: () => void): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
}

const perPage =
  median(() => {
    for (const doc of docs) checkDocument({ file: 'bench.txt', bytes: new Uint8Array() }, doc);
  }) / docs.length;
const pingtan = median(() => checkDocument({ file: 'bench.txt', bytes: new Uint8Array() }, firstDocument));

const total: SumRule<number>[] = [{ plus: [0, 1, 2, 3, 4, 5], minus: [6] }];
const groups: SumRule<number>[] = [0, 5, 10].map((a) => ({ plus: [a, a + 1, a + 2, a + 3], minus: [a + 4] }));
const worst = (text: string, width: number, rules: SumRule<number>[]) => {
  let steps = 0;
  const ms = median(() => {
    steps = rowReadings([{ kind: 'digits', text }], width, rules, ROW_BUDGET).steps;
  });
  return `${ms.toFixed(2)} ms, ${steps} steps`;
};

console.log(
  `\nRun-together cells: ${docs.length} crawled pages (pingtan-2021 and the synthetic texts flattened)`,
);
console.log('| case | time (median) |');
console.log('|---|---:|');
console.log(`| parse + validate per crawled page (mean) | ${perPage.toFixed(2)} ms |`);
console.log(`| parse + validate pingtan-2021 | ${pingtan.toFixed(2)} ms |`);
console.log(`| one requests row of 40 digits "1…1" | ${worst('1'.repeat(40), 7, total)} |`);
console.log(
  `| one requests row of five-digit numbers | ${worst('10261512468561294773625196564 67'.replace(/ /g, ''), 7, total)} |`,
);
console.log(`| appeals row of 60 digits "9…9" | ${worst('9'.repeat(60), 15, groups)} |`);
