/**
 * One JSON line per file: what the sandboxed extractor of the tree at ROOT gives for it, the document or
 * the coded failure. Used by bench/same-records.ts to compare two trees' extraction; it imports the
 * extractor from ROOT, so the same script reads an older checkout too.
 *
 *   node bench/dump-documents.ts ROOT FILE...
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, ...files] = process.argv.slice(2);
if (!root || files.length === 0) throw new Error('usage: dump-documents.ts ROOT FILE...');
const { Extractor } = (await import(
  pathToFileURL(path.join(root, 'functions', 'extract', 'index.ts')).href
)) as typeof import('../functions/extract/index.ts');

// The deadline raised as in same-records.ts: only verdicts that depend on the file alone are compared.
const extractor = new Extractor({ limits: { timeoutMs: 900_000 } });
try {
  for (const file of files) {
    const outcome = await extractor.extract(readFileSync(file)).then(
      (document) => ({ document }),
      (error: { code?: string; message?: string }) => ({
        error: { code: error.code, message: error.message },
      }),
    );
    process.stdout.write(`${JSON.stringify({ file, ...outcome })}\n`);
  }
} finally {
  await extractor.close();
}
