import type { DocLine } from './lines.ts';
import { normalizeLabel } from './normalize.ts';

/**
 * Column positions read off a table's printed header, for rows that have no complete row to take them
 * from: a PDF whose organisation columns are left blank prints only 自然人 and 总计 on every row of table
 * 三, and table 二 may have no 规章 row. Each column's header words are looked for as the PDF lays them
 * out: a word of a cell the layout joined with its neighbours (`商业企 科研机 社会组`, placed by its share
 * of the cell's characters) and a word wrapped inside a narrow column (`自然` over `人`, `科研` over `机构`),
 * stacked top to bottom where their extents overlap. A column whose name is not found once, or found in
 * two places, has no anchor; anchors out of the template's order are none at all.
 */
interface Word {
  text: string;
  x0: number;
  x1: number;
  line: number;
}

/** The words of a header line: each cell split at its spaces, each word placed by its characters' share. */
function wordsOf(line: DocLine, index: number): Word[] {
  const out: Word[] = [];
  for (const cell of line.cells) {
    const text = cell.text.trim();
    const chars = [...text];
    if (chars.length === 0) continue;
    const per = (cell.x1 - cell.x0) / chars.length;
    let at = 0;
    for (const part of text.split(/\s+/)) {
      const n = [...part].length;
      if (n > 0) {
        out.push({
          text: normalizeLabel(part),
          x0: cell.x0 + at * per,
          x1: cell.x0 + (at + n) * per,
          line: index,
        });
      }
      at += n + 1;
    }
  }
  return out;
}

const overlaps = (a: Word, b: Word) => a.x0 < b.x1 && b.x0 < a.x1;

/** Every stack of words (top to bottom, each under the one above) that spells `name`; their extents. */
function stacksSpelling(words: readonly Word[], name: string): { x0: number; x1: number }[] {
  const found: { x0: number; x1: number }[] = [];
  const extend = (top: Word, spelled: string, x0: number, x1: number): void => {
    if (spelled === name) {
      found.push({ x0, x1 });
      return;
    }
    for (const w of words) {
      if (w.line <= top.line || !overlaps(w, top) || !name.startsWith(spelled + w.text)) continue;
      // Only the next word down in this column, not one further below another word.
      const between = words.some(
        (o) => o.line > top.line && o.line < w.line && overlaps(o, top) && overlaps(o, w),
      );
      if (!between) extend(w, spelled + w.text, Math.min(x0, w.x0), Math.max(x1, w.x1));
    }
  };
  for (const w of words) if (w.text !== '' && name.startsWith(w.text)) extend(w, w.text, w.x0, w.x1);
  return found;
}

/**
 * Column centres from the header lines, one per column (each given as the names it may be printed
 * under); null where the header does not say.
 */
export function headerAnchors(
  header: readonly DocLine[],
  columns: readonly (readonly string[])[],
): (number | null)[] | null {
  const words = header.flatMap((line, i) => wordsOf(line, i));
  const anchors = columns.map((names) => {
    const stacks = names.flatMap((name) => stacksSpelling(words, normalizeLabel(name)));
    const centres = [...new Set(stacks.map((s) => Math.round(((s.x0 + s.x1) / 2) * 10) / 10))];
    return centres.length === 1 ? (centres[0] ?? null) : null;
  });
  const known = anchors.filter((a): a is number => a !== null);
  for (let i = 1; i < known.length; i++) if ((known[i] ?? 0) <= (known[i - 1] ?? 0)) return null;
  return known.length >= 2 ? anchors : null;
}
