import { detectFormat } from './detect.ts';
import { ExtractionError } from './errors.ts';
import { type ExtractionLimits, fileSizeMessage, formatBytes, resolveLimits } from './limits.ts';
import { type ExtractHooks, extractPdf } from './pdf/pdf.ts';
import { extractPlainText } from './plain-text.ts';
import { unifyIdeographs } from './radicals.ts';
import type { ExtractedDocument } from './types.ts';

/**
 * Extracts any supported report file in this thread. Callers that take untrusted files use
 * `Extractor` (sandbox.ts), which runs this in a worker thread under memory and time budgets.
 *
 * Every format's text leaves through `unifyIdeographs` (the one place it happens), so later stages see
 * 一 and 民 where a font wrote the radicals ⼀ and ⺠.
 */
export async function extractDocument(
  bytes: Uint8Array,
  limitOverrides: Partial<ExtractionLimits> = {},
  hooks: ExtractHooks = {},
): Promise<ExtractedDocument> {
  return unifyDocument(await extractAnyFormat(bytes, limitOverrides, hooks));
}

function unifyDocument(doc: ExtractedDocument): ExtractedDocument {
  for (const page of doc.pages) {
    for (const line of page.lines) {
      for (const cell of line.cells) cell.text = unifyIdeographs(cell.text);
    }
  }
  return doc;
}

async function extractAnyFormat(
  bytes: Uint8Array,
  limitOverrides: Partial<ExtractionLimits>,
  hooks: ExtractHooks,
): Promise<ExtractedDocument> {
  const limits = resolveLimits(limitOverrides);
  if (bytes.length > limits.maxBytes) {
    throw new ExtractionError('FILE_TOO_LARGE', fileSizeMessage(bytes.length, limits.maxBytes));
  }
  const detected = detectFormat(bytes);
  switch (detected.format) {
    case 'pdf':
      return extractPdf(bytes, limits, hooks);
    // mammoth and htmlparser2 load on the first file that needs them: a worker that reads PDFs starts sooner.
    case 'docx':
      return (await import('./docx.ts')).extractDocx(bytes, detected.entries, limits);
    case 'html':
    case 'text': {
      const { text, encoding } = detected.decoded;
      if (text.length * 2 > limits.maxDecodedBytes) {
        throw new ExtractionError(
          'FILE_TOO_LARGE',
          `文本内容超过上限 ${formatBytes(limits.maxDecodedBytes)}`,
        );
      }
      return detected.format === 'html'
        ? (await import('./html.ts')).extractHtml(text, encoding)
        : extractPlainText(text, encoding);
    }
  }
}
