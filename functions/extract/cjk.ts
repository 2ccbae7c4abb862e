/** Character classes used when joining text fragments (radicals count: a font may print 一 as ⼀). */
const CJK = /[\u2e80-\u2fdf\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef\u2014\u2018-\u201d]/;

export const isCjk = (ch: string | undefined): boolean => ch !== undefined && CJK.test(ch);

/**
 * Joins two fragments of one logical text run: nothing between CJK characters (a Chinese label that
 * wrapped, or glyphs a PDF split into separate items), a space between Latin words or numbers.
 */
export function joinFragments(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return isCjk(a.at(-1)) || isCjk(b[0]) ? a + b : `${a} ${b}`;
}

export function normalizeSpace(text: string): string {
  return text.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}
