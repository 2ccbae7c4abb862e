/** The dataset columns as markdown tables, for docs/analytics.md (`node scripts/analytics-columns.ts`); test/analytics/schema.test.ts checks the doc names every column. */
import {
  BODY_COLUMNS,
  CELL_COLUMNS,
  DECISION_COLUMNS,
  FINDING_COLUMNS,
  VERSION_COLUMNS,
} from '../functions/analytics/columns.ts';

const meta = (cols: readonly { name: string; type: string; comment: string }[]) =>
  cols
    .filter((c) => !CELL_COLUMNS.some((x) => x.name === c.name))
    .map((c) => `| \`${c.name}\` | ${c.type} | ${c.comment} |`)
    .join('\n');
const out = [
  '### `report_versions`',
  '',
  '| column | type | holds |',
  '|---|---|---|',
  meta(VERSION_COLUMNS),
  '',
  'then the cell columns below, then `year` (the partition).',
  '',
  '### `findings`',
  '',
  '| column | type | holds |',
  '|---|---|---|',
  meta(FINDING_COLUMNS),
  '',
  '### `review_decisions`',
  '',
  '| column | type | holds |',
  '|---|---|---|',
  meta(DECISION_COLUMNS),
  '',
  '### `bodies` (JSON lines, not partitioned)',
  '',
  '| column | type | holds |',
  '|---|---|---|',
  meta(BODY_COLUMNS),
  '',
  `### The ${CELL_COLUMNS.length} cell columns (DOUBLE)`,
  '',
  '| column | table | row | column key | 名称 |',
  '|---|---|---|---|---|',
  CELL_COLUMNS.map(
    (c) => `| \`${c.name}\` | ${c.table} | ${c.row} | ${c.column ?? '—'} | ${c.comment} |`,
  ).join('\n'),
].join('\n');
console.log(out);
