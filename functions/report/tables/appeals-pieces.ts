import { countNumbers, splitRow, type ValueCell } from '../cells.ts';
import { type Placed, placeByAnchors, placeByCount } from '../columns.ts';
import type { DocLine } from '../lines.ts';
import { normalizeLabel } from '../normalize.ts';
import { APPEAL_COLUMN_NAMES, APPEAL_COLUMNS, APPEAL_GROUPS, type AppealGroup } from '../template.ts';

/**
 * The appeals table printed in pieces: three small tables (行政复议 / 未经复议直接起诉 / 复议后起诉), each
 * with its own caption and header and one row of five numbers, or one table with a row per group
 * (行政复议 0 0 0 0 0). Each piece is placed on its own header's columns.
 */
const PER_GROUP = APPEAL_COLUMNS.length;

/** The group a caption (or a row's own label) names; the most specific wording first. */
function groupNamed(text: string): AppealGroup | null {
  const t = normalizeLabel(text);
  if (/复议后(?:起诉|提起)/.test(t)) return 'litigationAfterReview';
  if (/未经复议|直接起诉/.test(t)) return 'litigationDirect';
  if (/行政复议/.test(t) && !/诉讼/.test(t)) return 'review';
  return null;
}

const COLUMN_WORDS = APPEAL_COLUMNS.map((c) => new RegExp(APPEAL_COLUMN_NAMES[c].split('').join('\\s*')));

/** Column centres from a header line naming the five columns (结果维持 … 总计), when it names all five once. */
function headerAnchors(line: DocLine | undefined): number[] | null {
  if (line === undefined) return null;
  const anchors: number[] = [];
  for (const word of COLUMN_WORDS) {
    const cells = line.cells.filter((c) => word.test(c.text));
    if (cells.length !== 1 || cells[0] === undefined) return null;
    anchors.push((cells[0].x0 + cells[0].x1) / 2);
  }
  for (let i = 1; i < anchors.length; i++) if ((anchors[i] ?? 0) <= (anchors[i - 1] ?? 0)) return null;
  return anchors;
}

export interface AppealPiece {
  group: AppealGroup;
  placed: Placed;
  line: number;
}

/**
 * Reads the pieces when the section holds one captioned row of at most five numbers for each of the three
 * groups, in template order, and no longer row of numbers; null otherwise (the one-row table reads as usual).
 */
export function readAppealPieces(lines: readonly DocLine[]): AppealPiece[] | null {
  const pieces: AppealPiece[] = [];
  let caption = '';
  let header: DocLine | undefined;
  for (const line of lines) {
    const { label, values } = splitRow(line);
    const numbers = countNumbers(values);
    if (numbers === 0) {
      caption = `${caption} ${label}`;
      if (headerAnchors(line) !== null) header = line;
      continue;
    }
    if (numbers > PER_GROUP) return null;
    const group = groupNamed(label) ?? groupNamed(caption);
    caption = '';
    if (group === null) {
      if (pieces.length === APPEAL_GROUPS.length) break; // numbers after the table: not ours
      return null;
    }
    const expected = APPEAL_GROUPS[pieces.length];
    if (group !== expected) return null;
    const placed = placeValues(values, headerAnchors(header));
    if (placed === null) return null;
    pieces.push({ group, placed, line: line.index });
    if (pieces.length === APPEAL_GROUPS.length) break;
  }
  return pieces.length === APPEAL_GROUPS.length ? pieces : null;
}

function placeValues(values: readonly ValueCell[], anchors: number[] | null): Placed | null {
  const direct = placeByCount(values, PER_GROUP);
  if (direct !== null) return direct;
  return anchors === null ? null : placeByAnchors(values, anchors);
}
