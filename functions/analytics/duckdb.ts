import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance, VARCHAR } from '@duckdb/node-api';
import type { Registry } from '../pipeline/registry.ts';
import { type ColumnType, type DatasetTable, PARTITION, TABLES_OF_DATASET } from './columns.ts';
import { forEngine } from './dialect.ts';
import { type SavedQuery, VIEWS } from './queries.ts';
import { bodyRows, type Value } from './rows.ts';

/**
 * The dataset on this machine: DuckDB over the same Parquet files Athena reads (a copy of
 * `exports/analytics/v1/`, e.g. the local run's bucket or `aws s3 sync`), with the same views and saved
 * queries from queries.ts. The registry's table is built from the registry given. In memory; nothing is
 * written next to the files.
 */
const DUCK_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
};

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

export interface QueryResult {
  columns: string[];
  rows: Record<string, Value>[];
}

/** DuckDB's JS values as plain ones: BIGINT and HUGEINT (counts, sums of integers) as numbers. */
function plain(value: unknown): Value {
  if (typeof value === 'bigint') return Number(value);
  if (value === undefined) return null;
  return value as Value;
}

export class LocalDataset {
  readonly #instance: DuckDBInstance;
  readonly #db: DuckDBConnection;

  private constructor(instance: DuckDBInstance, db: DuckDBConnection) {
    this.#instance = instance;
    this.#db = db;
  }

  /** The dataset under `root` (the folder holding `report_versions/`, `findings/`, …). */
  static async open(root: string, registry: Registry): Promise<LocalDataset> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const db = await instance.connect();
    const dataset = new LocalDataset(instance, db);
    try {
      for (const table of [
        TABLES_OF_DATASET.versions,
        TABLES_OF_DATASET.findings,
        TABLES_OF_DATASET.decisions,
      ]) {
        await dataset.#table(root, table);
      }
      await dataset.#bodies(registry);
      for (const view of VIEWS) {
        await db.run(`CREATE VIEW ${view.name} AS ${forEngine(view.sql, 'duckdb').sql}`);
      }
    } catch (error) {
      dataset.close();
      throw error;
    }
    return dataset;
  }

  async #table(root: string, table: DatasetTable): Promise<void> {
    const dir = path.join(root, table.name);
    const hasFiles =
      existsSync(dir) &&
      readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('.parquet'));
    if (!hasFiles) {
      // No file yet (no decision was ever made): an empty table of the same columns, so the views hold.
      const columns = [...table.columns, PARTITION].map((c) => `${c.name} ${DUCK_TYPES[c.type]}`);
      await this.#db.run(`CREATE TABLE ${table.name} (${columns.join(', ')})`);
      return;
    }
    // union_by_name: files of an older writer that lack a later column still read (as nulls).
    await this.#db.run(
      `CREATE VIEW ${table.name} AS SELECT * FROM read_parquet(${quote(path.join(dir, '*', '*.parquet'))},
        hive_partitioning = true, hive_types = {'year': INTEGER}, union_by_name = true)`,
    );
  }

  async #bodies(registry: Registry): Promise<void> {
    const table = TABLES_OF_DATASET.bodies;
    const columns = table.columns;
    await this.#db.run(
      `CREATE TABLE ${table.name} (${columns.map((c) => `${c.name} ${DUCK_TYPES[c.type]}`).join(', ')})`,
    );
    const appender = await this.#db.createAppender(table.name);
    for (const row of bodyRows(registry)) {
      for (const c of columns) {
        const v = row[c.name];
        if (v === null || v === undefined) appender.appendNull();
        else if (c.type === 'int') appender.appendInteger(Number(v));
        else appender.appendVarchar(String(v));
      }
      appender.endRow();
    }
    appender.closeSync();
  }

  /** A saved query for a year and (null: every body) an office. */
  run(query: SavedQuery, params: { year: number; office: string | null }): Promise<QueryResult> {
    return this.sql(query.sql, params);
  }

  /** Any statement of queries.ts's dialect, with its `:year` and `:office`. */
  async sql(sql: string, params: { year?: number; office?: string | null } = {}): Promise<QueryResult> {
    const statement = forEngine(sql, 'duckdb').sql;
    const values: Record<string, string | number | null> = {};
    if (/\$year\b/.test(statement)) values.year = params.year ?? null;
    if (/\$office\b/.test(statement)) values.office = params.office ?? null;
    const reader = await this.#db.runAndReadAll(
      statement,
      values,
      /\$office\b/.test(statement) ? { office: VARCHAR } : undefined,
    );
    const columns = reader.columnNames();
    const rows = reader
      .getRowObjectsJS()
      .map((r) => Object.fromEntries(columns.map((c) => [c, plain(r[c])])));
    return { columns, rows };
  }

  close(): void {
    this.#db.closeSync();
    this.#instance.closeSync();
  }
}
