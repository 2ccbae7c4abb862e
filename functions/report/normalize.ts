/**
 * Text normalisation for matching labels and headings. Reports mix full- and half-width punctuation,
 * space out characters (结 果 维 持), carry markdown marks and write 申报 for 申请; none of that may
 * change what a label means.
 */
const FULL_WIDTH = /[\uFF01-\uFF5E]/g;

/** Full-width ASCII (（１２）．：) to half-width; the ideographic space to a space. */
export function toHalfWidth(text: string): string {
  return text
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** The form labels and headings are matched in: half-width, no spaces, no markdown emphasis or heading marks. */
export function normalizeLabel(text: string): string {
  return toHalfWidth(text)
    .replace(/\s+/g, '')
    .replace(/^#+/, '')
    .replace(/\*\*|__/g, '')
    .replace(/申报/g, '申请');
}

/** Running text for sentence patterns: half-width, no spaces (PDF lines break inside words), no markdown. */
export function normalizeProse(text: string): string {
  return toHalfWidth(text)
    .replace(/\s+/g, '')
    .replace(/\*\*|__/g, '');
}
