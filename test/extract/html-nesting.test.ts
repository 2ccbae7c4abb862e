import { afterAll, describe, expect, it } from 'vitest';
import { MAX_HTML_NESTING } from '../../functions/extract/html.ts';
import { ExtractionError, Extractor, extractDocument } from '../../functions/extract/index.ts';

/**
 * Deeply nested HTML is the file's fault (issue 12.12): a coded FILE_CORRUPT with a message for the
 * agency, from the sandboxed extractor as the pipeline runs it, not an INTERNAL_ERROR for the operators.
 */
const extractor = new Extractor();
afterAll(() => extractor.close());

const nested = (depth: number, text = '2023年政府信息公开工作年度报告') =>
  new TextEncoder().encode(
    `<!doctype html><html><body>${'<div>'.repeat(depth)}${text}${'</div>'.repeat(depth)}</body></html>`,
  );

async function failureOf(run: () => Promise<unknown>): Promise<ExtractionError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ExtractionError);
    return error as ExtractionError;
  }
  throw new Error('extraction succeeded but a failure was expected');
}

describe('HTML nesting budget', () => {
  it('200 000 nested <div>s are FILE_CORRUPT with a message in Chinese, through the sandbox', async () => {
    const error = await failureOf(() => extractor.extract(nested(200_000)));
    expect(error.code).toBe('FILE_CORRUPT');
    expect(error.message).toContain(`嵌套超过 ${MAX_HTML_NESTING} 层`);
  });

  it('unclosed tags nest too: 50 000 <span>s without end tags are refused the same way', async () => {
    const html = new TextEncoder().encode(`<html><body>${'<span>x'.repeat(50_000)}</body></html>`);
    expect((await failureOf(() => extractDocument(html))).code).toBe('FILE_CORRUPT');
  });

  it('nesting up to the budget is read as usual', async () => {
    const doc = await extractDocument(nested(MAX_HTML_NESTING - 2));
    expect(doc.pages[0]?.lines.map((l) => l.cells[0]?.text)).toEqual(['2023年政府信息公开工作年度报告']);
  });
});
