/**
 * `npm run bench`: throughput and memory of extraction and of `check` over the PDF fixtures.
 *
 * Each round reads every PDF fixture once. "raw pdf.js" is getTextContent on every page, in this thread,
 * with the same CMap options: the floor any extractor built on pdf.js pays. "extract" is the product path:
 * the sandboxed Extractor (worker thread, budgets, layout into lines and cells). "check" adds parsing and
 * validation into the report record; "parse + validate only" runs on documents extracted beforehand. Figures are medians of
 * the timed rounds after one warm-up round; peak RSS is the process's high-water mark (worker included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { recordFromBytes } from '../bin/commands/record-from-file.ts';
import { type ExtractedDocument, Extractor } from '../functions/extract/index.ts';
import { pdfjsAssets } from '../functions/extract/pdf/assets.ts';
import { checkDocument } from '../functions/report/index.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const root = path.join(import.meta.dirname, '..', 'test', 'fixtures');
const files = ['seeds', 'synthetic', 'real'].flatMap((group) =>
  readdirSync(path.join(root, group))
    .filter((f) => f.endsWith('.pdf'))
    .map((f) => readFileSync(path.join(root, group, f))),
);

const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(
  'pdfjs-dist/legacy/build/pdf.worker.mjs'
);

const extractor = new Extractor();

async function rawRound(): Promise<number> {
  let pages = 0;
  for (const bytes of files) {
    const task = pdfjs.getDocument({
      data: new Uint8Array(bytes),
      ...pdfjsAssets(),
      cMapPacked: true,
      verbosity: 0,
    });
    const doc = await task.promise;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      await page.getTextContent();
      page.cleanup();
      pages++;
    }
    await task.destroy();
  }
  return pages;
}

async function extractRound(): Promise<number> {
  let pages = 0;
  for (const bytes of files) pages += (await extractor.extract(bytes)).pages.length;
  return pages;
}

async function checkRound(): Promise<number> {
  let pages = 0;
  for (const bytes of files) {
    const record = await recordFromBytes(extractor, { file: 'bench.pdf', bytes });
    pages += record.source.pages ?? 0;
  }
  return pages;
}

/** Parse + validate alone, on documents extracted once: the cost `check` adds on top of extraction. */
const extracted: ExtractedDocument[] = [];
for (const bytes of files) extracted.push(await extractor.extract(bytes));
async function parseRound(): Promise<number> {
  let pages = 0;
  for (const doc of extracted) {
    checkDocument({ file: 'bench.pdf', bytes: new Uint8Array() }, doc);
    pages += doc.pages.length;
  }
  return pages;
}

async function measure(
  name: string,
  round: () => Promise<number>,
): Promise<{ name: string; pagesPerSecond: number; pages: number; msPerFile: number }> {
  await round();
  const rates: number[] = [];
  let pages = 0;
  let elapsed = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    pages = await round();
    const ms = performance.now() - start;
    elapsed += ms;
    rates.push(pages / (ms / 1000));
  }
  rates.sort((a, b) => a - b);
  return {
    name,
    pages,
    pagesPerSecond: rates[Math.floor(rates.length / 2)] ?? 0,
    msPerFile: elapsed / ROUNDS / files.length,
  };
}

async function hostile(name: string, bytes: Uint8Array): Promise<string> {
  const ex = new Extractor();
  const start = performance.now();
  const outcome = await ex.extract(bytes).then(
    () => 'extracted',
    (e: { code?: string }) => e.code ?? 'error',
  );
  await ex.close();
  return `| ${name} (${(bytes.length / 1024).toFixed(0)} KB) | ${outcome} | ${(performance.now() - start).toFixed(0)} ms |`;
}

const results = [
  await measure('raw pdf.js getTextContent', rawRound),
  await measure('extract (sandboxed, layout)', extractRound),
  await measure('check (extract + parse + validate)', checkRound),
  await measure('parse + validate only (pre-extracted)', parseRound),
];
await extractor.close();
const peakMb = process.resourceUsage().maxRSS / 1024;

console.log(
  `PDF fixtures: ${files.length} files, ${results[0]?.pages} pages per round, ${ROUNDS} timed rounds, Node ${process.version}`,
);
console.log('| path | pages/s (median) | ms per file (mean) |');
console.log('|---|---:|---:|');
for (const r of results)
  console.log(`| ${r.name} | ${r.pagesPerSecond.toFixed(0)} | ${r.msPerFile.toFixed(1)} |`);
console.log(`peak RSS: ${peakMb.toFixed(0)} MB`);

/**
 * Parse + validate + cross-year per report, on the pre-extracted documents: each record is checked against
 * the record before it as "last year" (unrelated pairs still run every comparison, CONTENT_REPEATED's
 * bigram sets included). Self-contained so the rest of the bench can change around it.
 */
async function crossYearBench(docs: readonly ExtractedDocument[]): Promise<void> {
  const { crossYearIssues } = await import('../functions/pipeline/cross-year.ts');
  const pass = () => {
    let crossMs = 0;
    const start = performance.now();
    let previous: ReturnType<typeof checkDocument> | null = null;
    for (const doc of docs) {
      const record = checkDocument({ file: 'bench.pdf', bytes: new Uint8Array() }, doc);
      const t = performance.now();
      crossYearIssues(record, previous);
      crossMs += performance.now() - t;
      previous = record;
    }
    return { total: (performance.now() - start) / docs.length, cross: crossMs / docs.length };
  };
  pass();
  const runs = Array.from({ length: ROUNDS }, pass).sort((a, b) => a.total - b.total);
  const median = runs[Math.floor(runs.length / 2)];
  console.log(
    `parse + validate + cross-year: ${median?.total.toFixed(2)} ms per report (median of ${ROUNDS}), of which cross-year ${median?.cross.toFixed(3)} ms`,
  );
}
await crossYearBench(extracted);

const { buildPdf, deflateRepeated } = await import('../test/support/pdf-writer.ts');
const { buildZip } = await import('../test/support/zip-writer.ts');
const bomb = buildPdf({
  pages: [
    { deflated: deflateRepeated('BT /F2 12 Tf 10 10 Td (AAAAAAAAAAAAAAAA) Tj ET\n', 300 * 1024 * 1024) },
  ],
});
const xml = Buffer.concat([
  Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>',
  ),
  Buffer.alloc(300 * 1024 * 1024, 0x41),
]);
const zipBomb = buildZip([{ name: 'word/document.xml', data: xml, declaredSize: 2000 }]);
console.log('\n| hostile file | outcome | time to outcome |');
console.log('|---|---|---:|');
console.log(await hostile('PDF, content stream inflating to 300 MB', bomb));
console.log(await hostile('DOCX, document.xml inflating to 300 MB, size lied about', zipBomb));
// No RSS figure here: building the 300 MB inputs in this process dominates its high-water mark.
await import('./flattened.ts');
