import fc from 'fast-check';
import type { Page } from 'playwright-core';
import { preHtml, wrapAtMargin } from './forms.ts';

/**
 * How a crawled page's text is printed to PDF by a browser: hard-wrapped first at a count of columns (or
 * not), then set as a <pre> page that wraps again at the page's margin, on a paper size, in a font and a
 * type size, breaking inside words or not. Printed through Chromium (test/support/chromium.ts).
 */
export interface PrintSetup {
  /** The count of columns the text is hard-wrapped at before printing (null: not wrapped). */
  wrap: number | null;
  /** The CSS page size. */
  page: string;
  font: string;
  size: number;
  unit: 'px' | 'pt';
  /** `word-break: break-all`: the printer breaks inside a run of digits too. */
  breakAll: boolean;
}

export const printSetup: fc.Arbitrary<PrintSetup> = fc.record({
  wrap: fc.option(fc.integer({ min: 30, max: 160 }), { nil: null }),
  page: fc.constantFrom('A4', 'A5', 'Letter', 'A4 landscape', 'B5'),
  font: fc.constantFrom('monospace', "'Noto Sans CJK SC', sans-serif", "'Noto Serif CJK SC', serif"),
  size: fc.integer({ min: 9, max: 18 }),
  unit: fc.constantFrom<'px' | 'pt'>('px', 'pt'),
  breakAll: fc.boolean(),
});

/** The text printed as the setup says, on a page of the browser: the PDF's bytes. */
export async function printText(page: Page, text: string, setup: PrintSetup): Promise<Uint8Array> {
  const laid = setup.wrap === null ? text : wrapAtMargin(text, setup.wrap);
  const css = `${setup.breakAll ? 'word-break: break-all; ' : ''}font: ${setup.size}${setup.unit} ${setup.font}`;
  await page.setContent(preHtml(laid, setup.page, css));
  return new Uint8Array(await page.pdf({ preferCSSPageSize: true }));
}
