import type { QueryParam } from './queries.ts';

/**
 * One statement of queries.ts in each engine's form. The source is Trino's spelling in the subset both
 * engines share; what differs is rewritten here, and only this (test/analytics/dialect.test.ts runs both
 * forms' DuckDB side and checks the Athena side's text).
 */
export type Engine = 'athena' | 'duckdb';

const PARAM = /:([a-z]+)\b/g;
// Trino's ordered string aggregation; the expression and the order are simple (a column or a CAST).
const LISTAGG =
  /LISTAGG\(((?:[^()]|\([^()]*\))+?),\s*('[^']*')\)\s*WITHIN\s+GROUP\s*\(\s*ORDER\s+BY\s+([^)]+?)\s*\)/gi;

export interface Statement {
  sql: string;
  /** Athena: the parameter of each `?`, in order (a parameter used twice is passed twice). */
  positional: QueryParam[];
}

export function forEngine(sql: string, engine: Engine): Statement {
  if (engine === 'duckdb') {
    return {
      sql: sql
        .replace(
          LISTAGG,
          (_m, expr: string, sep: string, order: string) => `string_agg(${expr}, ${sep} ORDER BY ${order})`,
        )
        .replace(PARAM, (_m, name: string) => `$${name}`),
      positional: [],
    };
  }
  const positional: QueryParam[] = [];
  const text = sql.replace(PARAM, (_m, name: string) => {
    positional.push(name as QueryParam);
    return '?';
  });
  return { sql: text, positional };
}

/**
 * Athena's execution parameters are SQL literals: a year as digits, an office id quoted (ids are checked
 * against the agency-id rule first, so they hold no quote), NULL for every body.
 */
export function athenaParameters(
  statement: Statement,
  values: { year: number; office: string | null },
): string[] {
  return statement.positional.map((p) =>
    p === 'year' ? String(values.year) : values.office === null ? 'NULL' : `'${values.office}'`,
  );
}
