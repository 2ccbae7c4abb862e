/**
 * `check` without its parse: the sandboxed worker pool alone, as `check` runs it (one worker per core, kept
 * warm, files read by the caller and handed over in input order), over the files given; prints the page
 * count. Run as its own process by bench/cli.ts beside raw pdf.js and `check`, so that every run splits
 * check's distance from the ceiling into what the sandbox costs and what the CLI's own work (parse,
 * validate, output) costs on the same cores.
 */
import { readFile } from 'node:fs/promises';
import { Extractor, inOrder, poolSize } from '../functions/extract/index.ts';

const files = process.argv.slice(2);
const extractor = new Extractor({ workers: Math.min(files.length, poolSize()) });
extractor.warm();
let pages = 0;
try {
  await inOrder(
    files,
    { concurrency: extractor.workers },
    // The Buffer itself, as check hands it over (record-from-file.ts): no copy check does not make.
    async (file) => extractor.extract(await readFile(file)),
    (doc) => {
      pages += doc.pages.length;
    },
  );
} finally {
  await extractor.close();
}
process.stdout.write(`${pages}\n`);
