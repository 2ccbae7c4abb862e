import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CELL_COLUMNS,
  DATASET_VERSION,
  DECISION_COLUMNS,
  FINDING_COLUMNS,
  TABLES_OF_DATASET,
  VERSION_COLUMNS,
} from '../../functions/analytics/columns.ts';
import { ANALYTICS_PREFIX } from '../../functions/analytics/dataset.ts';
import { LocalDataset } from '../../functions/analytics/duckdb.ts';
import { datasetFiles } from '../../functions/analytics/export.ts';
import { cellValue } from '../../functions/analytics/rows.ts';
import { loadRegistry } from '../../functions/pipeline/registry.ts';
import { reportRecordJsonSchema, SCHEMA_VERSION } from '../../functions/report/record.ts';
import type { ReportChange } from '../../functions/stream/contract.ts';
import { storedRecordOf } from './records.ts';

/**
 * The dataset's schema against the record's: every number cell of the record's JSON Schema is one DOUBLE
 * column named by its template keys (and nothing else is), names fit Glue, the version is the record's,
 * and a record written to Parquet by the export reads back through DuckDB cell for cell.
 */
type JsonSchema = { type?: unknown; properties?: Record<string, JsonSchema>; anyOf?: JsonSchema[] };

/** The paths of the number leaves under a schema node (objects walked, `anyOf [X, null]` unwrapped). */
function numberLeaves(node: JsonSchema, prefix: string[]): string[][] {
  const options = node.anyOf ?? [node];
  const object = options.find((o) => o.properties !== undefined);
  if (object?.properties !== undefined) {
    return Object.entries(object.properties).flatMap(([k, v]) => numberLeaves(v, [...prefix, k]));
  }
  const types = options.flatMap((o) => (Array.isArray(o.type) ? o.type : [o.type]));
  return types.includes('number') ? [prefix] : [];
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the dataset schema', () => {
  it('has one cell column per number cell of the record schema, and no other', () => {
    const schema = reportRecordJsonSchema() as JsonSchema;
    const leaves = ['proactive', 'proactive2019', 'requests', 'appeals'].flatMap((t) =>
      numberLeaves(schema.properties?.[t] as JsonSchema, [t]),
    );
    // 2021 section 2: 2 rows × 3 + 4 numbers; 2019: 6 rows × 3 + 2 × 2; 26 request rows (25 + otherTotal2019) × 7; 15.
    expect(leaves.length).toBe(10 + 22 + 26 * 7 + 15);
    const columns = CELL_COLUMNS.map((c) => [c.table, c.row, ...(c.column === null ? [] : [c.column])]);
    expect(new Set(columns.map((c) => c.join('.')))).toEqual(new Set(leaves.map((l) => l.join('.'))));
    expect(CELL_COLUMNS.every((c) => c.type === 'double')).toBe(true);
  });

  it('names every column as Glue keeps it (lower case, unique per table) and versions it with the record', () => {
    for (const columns of [VERSION_COLUMNS, FINDING_COLUMNS, DECISION_COLUMNS]) {
      const names = columns.map((c) => c.name);
      expect(new Set(names).size).toBe(names.length);
      for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9_]{0,254}$/);
      expect(names).not.toContain('year');
    }
    expect(CELL_COLUMNS.map((c) => c.name)).toContain('requests_partially_granted_natural_person');
    expect(DATASET_VERSION).toBe(SCHEMA_VERSION);
    expect(ANALYTICS_PREFIX).toBe(`exports/analytics/v${SCHEMA_VERSION}/`);
  });

  it('is documented column by column in docs/analytics.md (node scripts/analytics-columns.ts)', () => {
    const doc = readFileSync(path.join(import.meta.dirname, '..', '..', 'docs', 'analytics.md'), 'utf8');
    const generated = execFileSync(
      process.execPath,
      [path.join(import.meta.dirname, '..', '..', 'scripts', 'analytics-columns.ts')],
      { encoding: 'utf8' },
    );
    // Biome aligns markdown tables: compare the cells, not the padding.
    const cells = (md: string) => md.replace(/ *\| */g, '|').replace(/:?-{3,}:?/g, '---');
    expect(cells(doc)).toContain(cells(generated.trim()));
  });

  it('writes a record the export consumer receives as Parquet that DuckDB reads back cell for cell', async () => {
    const record = await storedRecordOf('hongze-gov', 2024, 'valid');
    const change: ReportChange = {
      eventId: 'e1',
      eventName: 'INSERT',
      sequenceNumber: '1000',
      itemType: 'version',
      objectKey: record.upload?.key ?? '',
      record,
      previous: null,
      recordUnchanged: false,
      revision: 0,
      reevaluatedBecause: null,
    };
    const files = datasetFiles([change], []);
    expect(files.map((f) => f.key)).toEqual([
      `${ANALYTICS_PREFIX}report_versions/year=2024/1000-1000.parquet`,
      ...(record.issues.length > 0 ? [`${ANALYTICS_PREFIX}findings/year=2024/1000-1000.parquet`] : []),
    ]);
    const version = files[0];
    const meta = parquetMetadata((version?.body.buffer ?? new ArrayBuffer(0)) as ArrayBuffer);
    expect(meta.key_value_metadata).toContainEqual({ key: 'report-pipeline.dataset_version', value: '1' });
    expect(meta.row_groups[0]?.columns[0]?.meta_data?.codec).toBe('SNAPPY');

    const root = mkdtempSync(path.join(tmpdir(), 'dataset-'));
    dirs.push(root);
    for (const f of files) {
      const target = path.join(root, f.key.slice(ANALYTICS_PREFIX.length));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, f.body);
    }
    const dataset = await LocalDataset.open(root, loadRegistry());
    try {
      const { rows } = await dataset.sql('SELECT * FROM report_versions');
      expect(rows).toHaveLength(1);
      const row = rows[0] ?? {};
      for (const c of CELL_COLUMNS) expect([c.name, row[c.name]]).toEqual([c.name, cellValue(record, c)]);
      expect(row).toMatchObject({
        year: 2024,
        agency_id: 'hongze-gov',
        status: 'VALID',
        report_year: 2024,
        declared_year: 2024,
        schema_version: SCHEMA_VERSION,
        errors: record.summary.errors,
        stream_sequence: '1000',
      });
      expect((row.uploaded_at as Date).toISOString()).toBe(record.upload?.eventTime);
      const types = await dataset.sql(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'report_versions'",
      );
      const duck = {
        string: 'VARCHAR',
        int: 'INTEGER',
        bigint: 'BIGINT',
        double: 'DOUBLE',
        timestamp: 'TIMESTAMP',
      };
      const declared = Object.fromEntries(
        [...TABLES_OF_DATASET.versions.columns, { name: 'year', type: 'int' as const }].map((c) => [
          c.name,
          duck[c.type as keyof typeof duck],
        ]),
      );
      expect(Object.fromEntries(types.rows.map((r) => [r.column_name, r.data_type]))).toEqual(declared);
    } finally {
      dataset.close();
    }
  });
});
