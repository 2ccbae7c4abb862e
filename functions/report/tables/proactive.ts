import { splitRow, type ValueCell } from '../cells.ts';
import { anchorsFrom, placeByAnchors, placeByCount } from '../columns.ts';
import { headerAnchors } from '../header-anchors.ts';
import type { DocLine } from '../lines.ts';
import { normalizeLabel } from '../normalize.ts';
import {
  PROACTIVE_2019_HEADER,
  type ProactiveKey,
  type ProactiveRowSpec,
  proactiveRows,
  type Template,
} from '../template.ts';
import { ABSENT, digitCell, fromValue, type ParsedCell, type TableNote, UNREADABLE } from './parsed.ts';

/** One proactive row: a single value (`columns` null in the template) or named columns. */
export type ProactiveValue = ParsedCell | Record<string, ParsedCell>;

export interface ProactiveTable {
  template: Template;
  /** Every row of the template's section 2; a row the report left out holds `absent` cells. */
  rows: Partial<Record<ProactiveKey, ProactiveValue>>;
  missingRows: ProactiveKey[];
  notes: TableNote[];
  span: { first: number; last: number } | null;
}

/**
 * Values of a row, including a number a printout glued to the label ("行政规范性文件0第二十条第（五）项"
 * is the value 0 followed by the next table's caption).
 */
function rowValues(line: DocLine, spec: ProactiveRowSpec): ValueCell[] {
  const { label, values } = splitRow(line);
  const norm = normalizeLabel(label);
  const m = spec.keywords.exec(norm);
  const rest = m === null ? '' : norm.slice(m.index + m[0].length);
  const glued = /^(\d+(?:\.\d+)?)/.exec(rest);
  const x = values.find((v) => v.state !== 'blank')?.x0 ?? 0;
  return glued?.[1] === undefined ? values : [digitCell(glued[1], x - 1), ...values];
}

/** Lines above a three-column row that its column header may take (the caption, the header, wrapped words). */
const HEADER_LINES = 4;

/**
 * The three-column rows' centres from their printed header (本年制发件数 本年废止件数 现行有效件数), for a
 * table whose only such row has a blank cell.
 */
function columnHeaderAnchors(
  lines: readonly DocLine[],
  found: readonly { spec: ProactiveRowSpec; line: DocLine | undefined }[],
): (number | null)[] | null {
  const first = found.find((f) => f.spec.columns?.length === 3 && f.line !== undefined);
  const columns = first?.spec.columns;
  if (first?.line === undefined || columns == null) return null;
  const at = lines.indexOf(first.line);
  const header = lines
    .slice(Math.max(0, at - HEADER_LINES), Math.max(0, at))
    .filter((l) => l.unpositioned !== true);
  return headerAnchors(
    header,
    columns.map((c) => [c.name]),
  );
}

/** Reads section 2's rows by their labels; detects the 2019 template by its column headers. */
export function readProactive(lines: readonly DocLine[]): ProactiveTable {
  const is2019 = lines.some((l) => PROACTIVE_2019_HEADER.test(l.norm));
  const specs = proactiveRows(is2019 ? '2019' : '2021');
  const rows: ProactiveTable['rows'] = {};
  const missingRows: ProactiveKey[] = [];
  const notes: TableNote[] = [];
  const used: number[] = [];
  const found = specs.map((spec) => {
    const line = lines.find(
      (l) => spec.keywords.test(normalizeLabel(splitRow(l).label)) && !used.includes(l.index),
    );
    if (line !== undefined) used.push(line.index);
    return { spec, line, values: line === undefined ? [] : rowValues(line, spec) };
  });
  const threeColumn = found
    .filter((f) => f.spec.columns?.length === 3 && f.line?.unpositioned !== true)
    .map((f) => f.values);
  const anchors = anchorsFrom(threeColumn, 3) ?? columnHeaderAnchors(lines, found);

  for (const { spec, line, values } of found) {
    const width = spec.columns?.length ?? 1;
    if (line === undefined) {
      missingRows.push(spec.key);
      rows[spec.key] =
        spec.columns === null ? ABSENT : Object.fromEntries(spec.columns.map((c) => [c.key, ABSENT]));
      continue;
    }
    let placed = placeByCount(values, width);
    if (placed === null && width > 1 && anchors !== null && line.unpositioned !== true)
      placed = placeByAnchors(values, anchors);
    const filled = values.filter((v) => v.state !== 'blank');
    if (placed === null && filled.length > width) {
      // Seed 004 prints 行政许可 0 0 0 for one column: the first is the value, the rest are reported.
      placed = filled.slice(0, width);
      notes.push({ kind: 'extraCells', row: spec.key, detail: line.text });
    }
    if (placed === null && filled.length > 0) {
      // Fewer numbers than columns and no positions to place them by: never guess which is which.
      notes.push({ kind: 'unreadable', row: spec.key, detail: line.text });
    }
    const cells = placed;
    rows[spec.key] =
      spec.columns === null
        ? cells === null
          ? fromValue(null)
          : fromValue(cells[0])
        : Object.fromEntries(
            spec.columns.map((c, i) => [
              c.key,
              cells === null && filled.length > 0 ? UNREADABLE : fromValue(cells?.[i]),
            ]),
          );
  }
  const first = Math.min(...used);
  const last = Math.max(...used);
  return {
    template: is2019 ? '2019' : '2021',
    rows,
    missingRows,
    notes,
    span: used.length === 0 ? null : { first, last },
  };
}
