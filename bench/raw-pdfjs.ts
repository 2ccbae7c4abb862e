/**
 * The floor for `check`: pdf.js text extraction on one thread in one process, with the same CMap options
 * as the product, over the files given. Prints the page count. Run as its own process by bench/run.ts so
 * both sides pay start-up alike.
 */
import { readFileSync } from 'node:fs';
import { pdfjsAssets } from '../functions/extract/pdf/assets.ts';

(globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(
  'pdfjs-dist/legacy/build/pdf.worker.mjs'
);
const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
let pages = 0;
for (const file of process.argv.slice(2)) {
  const task = pdfjs.getDocument({
    data: new Uint8Array(readFileSync(file)),
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
process.stdout.write(`${pages}\n`);
