import type { Cell } from '../../extract/index.ts';
import { readValue } from '../cells.ts';
import { normalizeLabel } from '../normalize.ts';
import {
  APPEAL_COLUMN_NAMES,
  APPEAL_GROUP_NAMES,
  OTHER_TOTAL_2019,
  PROACTIVE_2019_ROWS,
  PROACTIVE_ROW_HEADER,
  PROACTIVE_ROWS,
  proactiveRows,
  REQUEST_COLUMN_NAMES,
  REQUEST_ROWS,
  SINGLE_VALUE_HEADERS,
} from '../template.ts';

/**
 * Tables printed one cell per line or paragraph (portal pages built from <p> blocks, a crawler's
 * get_text): `一、本年新收政府信息公开申请数量` / `1` / `0` / … / `二、上年结转…` / … Before the table readers
 * run, each row is rebuilt from the stream: the template's row labels are known, so the sequence label,
 * n values, label, … is cut at the labels into one line per row (label, then its values). Header words
 * (自然人, 结果维持, spaced out or not) and lone `|` lines are not cells.
 *
 * A rebuilt row's cells are whole as printed (a value on a line of its own is never split further) and
 * sit at their index, not at a printed column: a row with fewer values than columns is never placed by
 * position (see columns.ts), because a cell the page left blank leaves no line at all. Only an explicit
 * blank (an empty paragraph, `||`) keeps its place.
 */
export interface StreamLine {
  page: number;
  cells: Cell[];
  table: boolean;
  /** Set on rebuilt rows: cells sit at their index, never placed by position. */
  unpositioned?: boolean;
  /** Set on rebuilt rows: each value is one cell as printed; its digits are never split. */
  wholeCells?: boolean;
}

const compact = (text: string) => normalizeLabel(text).replace(/[|｜]/g, '');

/** Column and group headers of the three tables, from the template's vocabulary (spaces removed). */
const HEADER_WORDS = new Set(
  [
    ...Object.values(REQUEST_COLUMN_NAMES),
    '法人或其他组织',
    '申请人情况',
    '社会组织',
    '社会公益',
    ...Object.values(APPEAL_COLUMN_NAMES),
    ...Object.values(APPEAL_GROUP_NAMES),
    '行政诉讼',
    '未经复议直接起诉',
    '复议后起诉',
    PROACTIVE_ROW_HEADER,
    ...Object.values(SINGLE_VALUE_HEADERS),
    ...[...proactiveRows('2021'), ...proactiveRows('2019')].flatMap(
      (r) => r.columns?.map((c) => c.name) ?? [],
    ),
    '本年收费金额(单位:万元)',
  ].map(compact),
);
const APPEALS_HEADER = new Set(Object.values(APPEAL_COLUMN_NAMES).map(compact));

/** True when a label names one of the template's rows (either table with labelled rows, either template). */
function namesRow(label: string): boolean {
  const norm = compact(label);
  if (norm === '') return false;
  return (
    REQUEST_ROWS.some((r) => r.keywords.test(norm)) ||
    OTHER_TOTAL_2019.keywords.test(norm) ||
    [...PROACTIVE_ROWS, ...PROACTIVE_2019_ROWS].some((r) => r.keywords.test(norm))
  );
}

type Kind = 'value' | 'blank' | 'pipe' | 'text' | 'other';

/** What one line of the document is, as an element of a cell stream. */
function kindOf(line: StreamLine): Kind {
  if (line.cells.length === 0 || line.cells.every((c) => c.text.trim() === '')) return 'blank';
  if (line.cells.length !== 1) return 'other';
  const text = line.cells[0]?.text.trim() ?? '';
  // No value is longer than this ("| 24252.311082 |"): a longer line is text, without reading it as one.
  if (text.length > MAX_VALUE) return 'text';
  if (/^[|｜]+$/.test(text)) return text.length >= 2 ? 'blank' : 'pipe';
  const v = readValue({ text: text.replace(/^[|｜]\s*|\s*[|｜]$/g, ''), x0: 0, x1: 0 });
  if (v !== null && (v.state === 'number' || v.state === 'na')) return 'value';
  return 'text';
}

/** Longest text a value line can have (a count, an amount with decimals, `| 0 |`, 不适用). */
const MAX_VALUE = 20;
/** Longest label a stream row can have (the longest template label and its group title). */
const MAX_LABEL = 64;
/** Lines of text (captions, headers, group titles) that may separate two rows of one table. */
const MAX_GAP = 14;
/** Rows whose labels name template rows that a stream must hold before it is taken for a table. */
const MIN_NAMED_ROWS = 3;

interface Run {
  /** Index of the label line (-1: none), first and last+1 line of the values. */
  label: number;
  start: number;
  end: number;
  named: boolean;
  /** A row of bare numbers under a block of headers (the appeals row). */
  headed: boolean;
}

/**
 * The lines with every cell stream rebuilt into rows; other lines unchanged. Blank markers stay for
 * documentLines to drop.
 */
export function rebuildCellStreams<L extends StreamLine>(lines: readonly L[]): L[] {
  const kinds = lines.map(kindOf);
  if (!kinds.includes('value')) return [...lines];
  const runs: Run[] = [];
  for (let i = 0; i < lines.length; ) {
    if (kinds[i] !== 'value') {
      i++;
      continue;
    }
    // Blank markers and pipes inside a run of values, and right before it, belong to it.
    let start = i;
    while (start > 0 && (kinds[start - 1] === 'blank' || kinds[start - 1] === 'pipe')) start--;
    let end = i;
    while (end < lines.length && (kinds[end] === 'value' || kinds[end] === 'blank' || kinds[end] === 'pipe'))
      end++;
    i = end;
    let label = start - 1;
    while (label >= 0 && kinds[label] === 'pipe') label--;
    const labelText = label >= 0 && kinds[label] === 'text' ? (lines[label]?.cells[0]?.text ?? '') : '';
    const isHeader = HEADER_WORDS.has(compact(labelText));
    // Headers right above the numbers: the appeals row (its last header is 总计, not the row （七）总计).
    const headerBlock: string[] = [];
    for (let k = label; k >= 0 && kinds[k] !== 'value' && headerBlock.length < MAX_GAP; k--) {
      if (kinds[k] === 'text') headerBlock.push(compact(lines[k]?.cells[0]?.text ?? ''));
    }
    const headed =
      isHeader &&
      headerBlock.filter((w) => HEADER_WORDS.has(w)).length >= 2 &&
      headerBlock.some((w) => APPEALS_HEADER.has(w));
    if (labelText === '' || compact(labelText).length > MAX_LABEL || headed) {
      if (headed) runs.push({ label: -1, start, end, named: false, headed });
      continue;
    }
    const named = namesRow(labelText);
    // A column header right above numbers is no row label (总计 is both: the row （七）总计 prints 总计 too).
    if (isHeader && !named) continue;
    runs.push({ label, start, end, named, headed: false });
  }
  // Keep runs in chains of rows close to one another that name at least MIN_NAMED_ROWS template rows;
  // a lone row of numbers under a label in prose is not a table. The appeals row stands on its headers.
  const keep = runs.map((r) => r.headed);
  for (let j = 0; j < runs.length; ) {
    let k = j + 1;
    while (k < runs.length) {
      const previous = runs[k - 1];
      const next = runs[k];
      if (previous === undefined || next === undefined) break;
      const from = next.label >= 0 ? next.label : next.start;
      const gap = lines.slice(previous.end, from).filter((_, x) => kinds[previous.end + x] === 'text').length;
      if (gap > MAX_GAP || next.headed) break;
      k++;
    }
    const chain = runs.slice(j, k);
    if (chain.filter((r) => r.named).length >= MIN_NAMED_ROWS) for (let x = j; x < k; x++) keep[x] = true;
    j = Math.max(k, j + 1);
  }
  const out: L[] = [];
  let cursor = 0;
  runs.forEach((run, j) => {
    if (!keep[j]) return;
    const first = run.label >= 0 ? run.label : run.start;
    out.push(...lines.slice(cursor, first));
    const values = lines
      .slice(run.start, run.end)
      .filter((_, x) => kinds[run.start + x] !== 'pipe')
      .map((l) =>
        kindOf(l) === 'blank' ? '' : (l.cells[0]?.text ?? '').replace(/^[|｜]\s*|\s*[|｜]$/g, '').trim(),
      );
    const texts = run.label >= 0 ? [lines[run.label]?.cells[0]?.text.trim() ?? '', ...values] : values;
    const template = lines[first] as L;
    out.push({
      ...template,
      page: lines[run.start]?.page ?? template.page,
      cells: texts.map((text, x) => ({ text, x0: x, x1: x + 1 })),
      table: true,
      unpositioned: true,
      wholeCells: true,
    });
    cursor = run.end;
  });
  out.push(...lines.slice(cursor));
  return out;
}
