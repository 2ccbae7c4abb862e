import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { athenaParameters, forEngine } from '../../functions/analytics/dialect.ts';
import { LocalDataset } from '../../functions/analytics/duckdb.ts';
import { SAVED_QUERIES, VIEWS } from '../../functions/analytics/queries.ts';
import { loadRegistry } from '../../functions/pipeline/registry.ts';

/**
 * One SQL source, two engines: what the translation rewrites, and the differences the source avoids, each
 * shown on DuckDB (the engine that runs here) and in the Athena text (Trino's spelling, which Athena runs).
 */
let root: string;
let dataset: LocalDataset;
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'dialect-'));
  dataset = await LocalDataset.open(root, loadRegistry());
});
afterAll(() => {
  dataset.close();
  rmSync(root, { recursive: true, force: true });
});

const ALL = [...VIEWS.map((v) => v.sql), ...SAVED_QUERIES.map((q) => q.sql)];

describe('the translation', () => {
  it('parameters: $name for DuckDB, positional ? for Athena with each use in order', () => {
    const sql = 'SELECT 1 WHERE year = :year AND (:office IS NULL OR office_id = :office)';
    expect(forEngine(sql, 'duckdb').sql).toBe(
      'SELECT 1 WHERE year = $year AND ($office IS NULL OR office_id = $office)',
    );
    const athena = forEngine(sql, 'athena');
    expect(athena).toEqual({
      sql: 'SELECT 1 WHERE year = ? AND (? IS NULL OR office_id = ?)',
      positional: ['year', 'office', 'office'],
    });
    expect(athenaParameters(athena, { year: 2024, office: 'huaian-office' })).toEqual([
      '2024',
      "'huaian-office'",
      "'huaian-office'",
    ]);
    expect(athenaParameters(athena, { year: 2024, office: null })).toEqual(['2024', 'NULL', 'NULL']);
  });

  it("LISTAGG … WITHIN GROUP is Trino's: DuckDB refuses it and runs the rewritten string_agg", async () => {
    const sql =
      "SELECT LISTAGG(CAST(y AS VARCHAR), ',') WITHIN GROUP (ORDER BY y) AS ys FROM (VALUES (2024), (2022), (2023)) t(y)";
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    await expect(duck.run(sql)).rejects.toThrow(/listagg/i);
    const translated = forEngine(sql, 'duckdb').sql;
    expect(translated).toContain("string_agg(CAST(y AS VARCHAR), ',' ORDER BY y)");
    expect((await duck.runAndReadAll(translated)).getRowObjectsJS()).toEqual([{ ys: '2022,2023,2024' }]);
    duck.closeSync();
    expect(forEngine(sql, 'athena').sql).toBe(sql);
  });

  it('the Athena text of every view and query is free of DuckDB spellings', () => {
    for (const sql of ALL) {
      const athena = forEngine(sql, 'athena').sql;
      expect(athena).not.toMatch(/\$[a-z]|string_agg|::|ILIKE|\bQUALIFY\b|\bEXCLUDE\b/i);
      expect(forEngine(sql, 'duckdb').sql).not.toMatch(/LISTAGG|\?/);
    }
  });
});

describe('the differences the source avoids', () => {
  it('integer division: DuckDB gives 3.5 where Trino gives 3, so every ratio divides a CAST(… AS DOUBLE)', async () => {
    await expect(dataset.sql('SELECT 7 / 2 AS d')).resolves.toMatchObject({ rows: [{ d: 3.5 }] });
    for (const sql of ALL) {
      for (const match of sql.matchAll(/\s\/\s/g)) {
        expect(sql.slice(Math.max(0, (match.index ?? 0) - 12), match.index)).toMatch(/AS DOUBLE\)$/);
      }
    }
  });

  it('stream sequence numbers compare as padded strings, not as text ("9" < "10")', async () => {
    const { rows } = await dataset.sql(
      "SELECT s FROM (VALUES ('9'), ('10'), ('100')) t(s) ORDER BY lpad(s, 40, '0') DESC",
    );
    expect(rows.map((r) => r.s)).toEqual(['100', '10', '9']);
  });

  it('every query runs on DuckDB on an empty dataset, for all bodies and for one office', async () => {
    for (const query of SAVED_QUERIES) {
      await expect(dataset.run(query, { year: 2024, office: null })).resolves.toBeDefined();
      await expect(dataset.run(query, { year: 2024, office: 'huaian-office' })).resolves.toBeDefined();
    }
  });
});
