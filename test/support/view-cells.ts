/**
 * The cells of a rendered report view (local/web/report-view.js) read back from its HTML: each `<td>`'s
 * data attributes and classes, so tests check marks by row and column, not by pixels.
 */
export interface ViewCell {
  table: string;
  /** data-row, or for appeals data-group. */
  row: string;
  column: string;
  classes: string[];
  severity: string | null;
  describedBy: string[];
  text: string;
}

const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m === null ? null : (m[1] ?? '');
};

export function viewCells(html: string): ViewCell[] {
  const cells: ViewCell[] = [];
  for (const m of html.matchAll(/(<td\b[^>]*>)(.*?)<\/td>/g)) {
    const tag = m[1] ?? '';
    cells.push({
      table: attr(tag, 'data-table') ?? '',
      row: attr(tag, 'data-row') ?? attr(tag, 'data-group') ?? '',
      column: attr(tag, 'data-column') ?? '',
      classes: (attr(tag, 'class') ?? '').split(/\s+/),
      severity: attr(tag, 'data-severity'),
      describedBy: (attr(tag, 'aria-describedby') ?? '').split(/\s+/).filter(Boolean),
      text: (m[2] ?? '').replace(/<span class="rv-tip"[\s\S]*$/, ''),
    });
  }
  return cells;
}

/** The marked cells as `table row column severity` strings, sorted. */
export const markedCells = (html: string): string[] =>
  viewCells(html)
    .filter((c) => c.classes.includes('rv-marked'))
    .map((c) => `${c.table} ${c.row} ${c.column} ${c.severity}`)
    .sort();
