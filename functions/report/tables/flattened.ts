import type { Cell } from '../../extract/index.ts';
import type { DocLine } from '../lines.ts';
import { normalizeLabel, toHalfWidth } from '../normalize.ts';
import {
  OTHER_TOTAL_2019,
  PROACTIVE_2019_HEADER,
  PROACTIVE_2019_ROWS,
  PROACTIVE_ROWS,
  REQUEST_ROWS,
  type Template,
} from '../template.ts';
import { rowReadings } from './solver.ts';

/**
 * A crawler's copy of a web page puts a whole report on a few long lines: narrative, then
 * `规章 000行政规范性文件693665…一、本年新收政府信息公开申请数量640020470二、上年结转…`. Before the table
 * readers run, such a line is cut into one line per table row (its label, then its value cells split on
 * the spaces the page kept) with the text between the rows on lines of its own. Which digits belong to
 * which cell is not decided here: that is the arithmetic's job (solver.ts).
 *
 * Only rows that chain (labels of one table, each right after the previous row's numbers) are cut, so a
 * count quoted in the narrative ("1件结转下年度继续办理") never becomes a row.
 */

interface RowLabel {
  table: 'requests' | 'proactive';
  /** For a proactive row: the template whose columns it has (2019: 行政许可 has three, not one). */
  template?: Template;
  keywords: RegExp;
  /** The printed label before the keyword (numbering, group title), normalised, to find where it starts. */
  head: string;
  /** Cells of a proactive row with several columns (a forced split is made here); 0 otherwise. */
  width: number;
}

function unanchored(re: RegExp): RegExp {
  return new RegExp(re.source.replace(/^\^/, '').replace(/\$$/, ''), 'g');
}

function headOf(name: string, keywords: RegExp): string {
  const norm = normalizeLabel(name);
  const m = new RegExp(keywords.source.replace(/\$$/, '')).exec(norm);
  return m === null ? '' : norm.slice(0, m.index);
}

const LABELS: RowLabel[] = [
  ...[...REQUEST_ROWS, OTHER_TOTAL_2019].map((r) => ({
    table: 'requests' as const,
    keywords: new RegExp(r.keywords.source, 'g'),
    head: headOf(r.name, r.keywords),
    width: 0,
  })),
  ...(['2021', '2019'] as const).flatMap((template) =>
    (template === '2019' ? PROACTIVE_2019_ROWS : PROACTIVE_ROWS).map((r) => ({
      table: 'proactive' as const,
      template,
      keywords: unanchored(r.keywords),
      head: '',
      width: r.columns?.length ?? 0,
    })),
  ),
];

/** Any row keyword at all: one test before looking for which. */
const ANY_LABEL = new RegExp(LABELS.map((l) => `(?:${l.keywords.source})`).join('|'));

/** The appeals header ends in its last column, 总计, right before the run of 15 numbers. */
const APPEALS_HEADER = /(?:结果维持|尚未审结)/;
const APPEALS_HEADER_END = /(?:总计|合计)$/;
/** A number followed by a measure word is a count quoted in prose, not a table cell. */
const MEASURE_WORD = /^[件条个项次人名份家批期篇场户]/;
/** Longest text between two rows of one table: a long label and its group title. */
const MAX_LABEL = 64;
/** A row's keyword sits within this many characters of its numbers (the rest of the label after it). */
const MAX_TAIL = 48;
const MIN_CHAIN = { requests: 3, proactive: 3 } as const;
/** The tail of a piece a label (keyword, what follows it, the head before it) can occupy. */
const LOOK_BACK = MAX_TAIL + 80;

interface Run {
  start: number;
  end: number;
  tokens: string[];
}

/** Runs of numbers (and "/" or "—" cells) separated by nothing but spaces. */
function valueRuns(text: string): Run[] {
  const runs: Run[] = [];
  const re = /(?:\d+(?:\.\d+)?|[/—–])(?:[ \t]*(?:\d+(?:\.\d+)?|[/—–]))*/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // 本年增/减: a slash between two words is no "/" cell.
    if (
      /^[/—–]$/.test(m[0]) &&
      /\p{Script=Han}/u.test(text[m.index - 1] ?? '') &&
      /\p{Script=Han}/u.test(text[m.index + 1] ?? '')
    )
      continue;
    let end = m.index + m[0].length;
    // "00000002.其他法律…": the digit before "." or "、" is the next label's numbering.
    if (/^[.、][^\d]/.test(text.slice(end)) && /\d$/.test(m[0])) end -= 1;
    const body = text.slice(m.index, end);
    const tokens = body.match(/\d+(?:\.\d+)?|[/—–]/g) ?? [];
    if (tokens.length === 0) continue;
    runs.push({ start: m.index, end: m.index + body.trimEnd().length, tokens });
  }
  return runs;
}

interface Named {
  table: 'requests' | 'proactive' | 'appeals';
  /** Where the row's label starts in the line. */
  labelStart: number;
  width: number;
}

/** The row a piece of text right before a run of numbers labels, if its label ends that piece. */
function labelOf(text: string, pieceStart: number, run: Run, template: Template): Named | null {
  // Only the end of a long piece (narrative before a table) can hold the label: look at that much.
  const from = Math.max(pieceStart, run.start - LOOK_BACK);
  // Trailing spaces (a page that kept some separators) must not hide a label that ends the piece.
  const piece = text.slice(from, run.start).trimEnd();
  const norm = normalizeLabel(piece);
  if (APPEALS_HEADER.test(norm) && APPEALS_HEADER_END.test(norm)) {
    return { table: 'appeals', labelStart: run.start, width: 0 };
  }
  if (!ANY_LABEL.test(piece)) return null;
  let best: { label: RowLabel; at: number; end: number } | null = null;
  for (const label of LABELS) {
    if (label.template !== undefined && label.template !== template) continue;
    label.keywords.lastIndex = 0;
    for (let m = label.keywords.exec(piece); m !== null; m = label.keywords.exec(piece)) {
      if (m[0] === '') break;
      const at = from + m.index;
      if (best === null || at > best.at) best = { label, at, end: at + m[0].length };
    }
  }
  if (best === null || run.start - best.end > MAX_TAIL) return null;
  // A proactive label is the keyword itself, right before its numbers.
  if (best.label.table === 'proactive' && text.slice(best.end, run.start).trim() !== '') return null;
  return {
    table: best.label.table,
    labelStart: headStart(text, from, best.at, best.label.head),
    width: best.label.width,
  };
}

/** Walks back from the keyword over as much of the label's printed head as the text carries. */
function headStart(text: string, from: number, at: number, head: string): number {
  let i = at;
  let k = head.length;
  while (k > 0 && i > from) {
    const c = toHalfWidth(text[i - 1] ?? '');
    if (/\s/.test(c)) {
      i--;
      continue;
    }
    if (c !== head[k - 1]) break;
    i--;
    k--;
  }
  return i;
}

/** A row's value cells; `straddles` when a run could not be split and so covers several columns. */
function cellsOf(tokens: readonly string[], width: number): { texts: string[]; straddles: boolean } {
  if (width === 0 || tokens.length >= width) return { texts: [...tokens], straddles: false };
  // A proactive row has no arithmetic: split it only when the digits allow a single reading ("000").
  const digits = tokens.every((t) => /^\d+$/.test(t));
  const { readings } = digits
    ? rowReadings(
        tokens.map((text) => ({ kind: 'digits' as const, text })),
        width,
        [],
        2_000,
      )
    : { readings: null };
  if (readings?.length === 1) return { texts: (readings[0] ?? []).map(String), straddles: false };
  return { texts: [...tokens], straddles: true };
}

function makeLine(template: DocLine, texts: readonly string[], table: boolean, straddles = false): DocLine {
  // Cells sit at their index, as in plain text. A run left unsplit is laid across the boundary of the
  // first two value columns, so that no placement by position takes it for one column's number.
  const cells: Cell[] = texts.map((text, i) =>
    straddles && i > 0 ? { text, x0: i, x1: i + 2 } : { text, x0: i, x1: i + 1 },
  );
  const text = texts.join(' ').trim();
  return {
    index: 0,
    page: template.page,
    cells,
    table,
    text,
    norm: normalizeLabel(text),
    ...(table ? { unpositioned: true } : {}),
  };
}

/** Cuts one long line at its table rows; null when it holds no chain of rows. */
function cutLine(line: DocLine): DocLine[] | null {
  const text = toHalfWidth(line.text);
  const runs = valueRuns(text);
  // Section 2's columns tell the templates apart (上一年项目数量 …): its rows are cut to that template's widths.
  const template: Template = PROACTIVE_2019_HEADER.test(normalizeLabel(text)) ? '2019' : '2021';
  const named: (Named | null)[] = [];
  runs.forEach((run, j) => {
    const from = j === 0 ? 0 : (runs[j - 1]?.end ?? 0);
    const label = labelOf(text, from, run, template);
    const after = text.slice(run.end).trimStart();
    named.push(label !== null && !MEASURE_WORD.test(after) ? label : null);
  });
  // Keep runs in chains of one table whose labels follow each other closely; appeals runs stand alone.
  const keep = runs.map(() => false);
  for (let j = 0; j < runs.length; ) {
    const first = named[j];
    if (first == null) {
      j++;
      continue;
    }
    if (first.table === 'appeals') {
      keep[j] = true;
      j++;
      continue;
    }
    const gap = (k: number) => normalizeLabel(text.slice(runs[k - 1]?.end ?? 0, runs[k]?.start ?? 0)).length;
    const follows = (k: number) => named[k]?.table === first.table && gap(k) <= MAX_LABEL;
    let k = j + 1;
    while (k < runs.length) {
      if (follows(k)) {
        k++;
        continue;
      }
      // One row whose label names no row (a local wording) between two that do: keep it, as a row
      // for the reader to place by order.
      if (named[k] == null && gap(k) <= MAX_LABEL && follows(k + 1)) {
        named[k] = { table: first.table, labelStart: runs[k - 1]?.end ?? 0, width: 0 };
        k++;
        continue;
      }
      break;
    }
    if (k - j >= MIN_CHAIN[first.table]) for (let x = j; x < k; x++) keep[x] = true;
    j = k;
  }
  if (!keep.some(Boolean)) return null;
  const out: DocLine[] = [];
  let cursor = 0;
  runs.forEach((run, j) => {
    const label = named[j];
    if (!keep[j] || label == null) return;
    const before = line.text.slice(cursor, label.labelStart).trim();
    if (before !== '') out.push(makeLine(line, [before], false));
    const name = line.text.slice(label.labelStart, run.start).trim();
    const { texts, straddles } = cellsOf(run.tokens, label.width);
    out.push(makeLine(line, name === '' ? texts : [name, ...texts], true, straddles && name !== ''));
    cursor = run.end;
  });
  const rest = line.text.slice(cursor).trim();
  if (rest !== '') out.push(makeLine(line, [rest], false));
  return out;
}

/**
 * The document's lines with every flattened table cut into rows (see above); other lines unchanged.
 * Lines are renumbered.
 */
export function cutFlattenedTables(lines: readonly DocLine[]): DocLine[] {
  const out: DocLine[] = [];
  for (let i = 0; i < lines.length; ) {
    if (lines[i]?.cells.length !== 1) {
      out.push(lines[i] as DocLine);
      i++;
      continue;
    }
    // A block of one-cell lines is cut as one text, its line breaks kept as breaks: a page copied as
    // text with one table row a line (`一、本年新收…申请数量 1 0 0 0 0 0 1`, or cells run together) chains
    // across lines as a crawler's one long line does within it.
    let j = i;
    while (j < lines.length && lines[j]?.cells.length === 1) j++;
    const block = lines.slice(i, j);
    out.push(...cutBlock(block));
    i = j;
  }
  return out.map((l, index) => ({ ...l, index }));
}

/** Cuts a block of one-cell lines (see cutFlattenedTables); the lines unchanged when it holds no chain. */
function cutBlock(block: readonly DocLine[]): DocLine[] {
  const first = block[0];
  if (first === undefined) return [];
  const text = block.map((l) => l.text.replace(/\n/g, ' ')).join('\n');
  const cut = cutLine(block.length === 1 ? first : { ...first, text });
  if (cut === null) return [...block];
  const own = new Map(block.map((l) => [l.text.trim(), l]));
  return cut.flatMap((piece) => {
    if (piece.table) {
      const texts = piece.cells.map((c) => c.text.replace(/\s*\n\s*/g, ''));
      return [
        {
          ...piece,
          cells: piece.cells.map((c, k) => ({ ...c, text: texts[k] ?? '' })),
          text: texts.join(' '),
        },
      ];
    }
    // Text between the rows: back to its lines (the original line where it is one whole).
    return piece.text
      .split('\n')
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .map((t) => own.get(t) ?? makeLine(first, [t], false));
  });
}
