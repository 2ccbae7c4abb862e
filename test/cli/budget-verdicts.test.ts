import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFromBytes } from '../../bin/commands/record-from-file.ts';
import { Extractor } from '../../functions/extract/index.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';

/**
 * One file, one verdict (issue 22): `check` and an upload through the pipeline agree on the files the
 * parse budget refuses, and a huge HTML table is read or coded as the file's fault, never INTERNAL_ERROR
 * (N3: a 200,000-row table overflowed the stack, spread into one call).
 */
const title = '2023年政府信息公开工作年度报告';
const files = {
  // Far more lines than any report (the parse budget is 20,000), yet well inside the byte budget.
  'many-lines.txt': new TextEncoder().encode(
    `${title}\n${Array.from({ length: 25_000 }, (_, i) => `第${i}行`).join('\n')}\n`,
  ),
  // 200,000 rows, about 9 MB.
  'rows.html': new TextEncoder().encode(
    `<!doctype html><html><body><h1>${title}</h1><table>${Array.from(
      { length: 200_000 },
      (_, i) => `<tr><td>第${i}项</td><td>${i}</td></tr>`,
    ).join('')}</table></body></html>`,
  ),
};

const extractor = new Extractor();
afterAll(() => extractor.close());

describe('one verdict for a file over the parse budget', () => {
  it('check and an upload of a 25,000-line text: the same FILE_TOO_LARGE', async () => {
    const bytes = files['many-lines.txt'];
    const dir = mkdtempSync(path.join(tmpdir(), 'budget-'));
    const pipeline = await LocalPipeline.start({
      dir,
      registry: { operators: [], offices: [], agencies: [] },
    });
    try {
      const checked = await recordFromBytes(extractor, { file: 'many-lines.txt', bytes, agencyId: null });
      const uploaded = await pipeline.record(
        await pipeline.upload('huaian-gov', '2023/many-lines.txt', bytes),
      );
      expect([checked.status, checked.failure?.code]).toEqual(['FAILED', 'FILE_TOO_LARGE']);
      expect([uploaded?.status, uploaded?.failure?.code]).toEqual(['FAILED', 'FILE_TOO_LARGE']);
    } finally {
      await pipeline.stop();
    }
  }, 120_000);

  it("a 200,000-row HTML table (9 MB) through the sandboxed extractor is the file's fault, not INTERNAL_ERROR (N3)", async () => {
    // The pipeline's extract step runs the same extractor and budget (functions/pipeline/extract-step.ts).
    const checked = await recordFromBytes(extractor, {
      file: 'rows.html',
      bytes: files['rows.html'],
      agencyId: null,
    });
    expect([checked.status, checked.failure?.code]).toEqual(['FAILED', 'FILE_TOO_LARGE']);
  }, 120_000);
});
