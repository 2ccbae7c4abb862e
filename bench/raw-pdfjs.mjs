// The floor for `check`: pdf.js text extraction on one thread in one process, as a project that reads
// reports with raw pdf.js does it, over the files given; prints the page count. Plain JavaScript run by
// bare `node` (no type stripping, no compile cache: what such a script pays), with the same CMap and
// standard-font options as the product. Run as its own process by bench/run.ts so both sides pay start-up.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
globalThis.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
let pages = 0;
for (const file of process.argv.slice(2)) {
  const task = pdfjs.getDocument({
    data: new Uint8Array(readFileSync(file)),
    cMapUrl: `${path.join(root, 'cmaps')}/`,
    standardFontDataUrl: `${path.join(root, 'standard_fonts')}/`,
    wasmUrl: `${path.join(root, 'wasm')}/`,
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
