import { EXPORTS_PREFIX } from '../pipeline/keys.ts';
import { DATASET_VERSION, type DatasetTable, TABLES_OF_DATASET } from './columns.ts';

/**
 * Where the dataset lives in the bucket: `exports/analytics/v{schemaVersion}/{table}/year={Y}/{file}.parquet`,
 * Hive-style, so Glue's partition projection (`storage.location.template`) and DuckDB's `hive_partitioning`
 * read the same layout. The registry's table is one JSON-lines object, deployed with the stack.
 */
export const ANALYTICS_PREFIX = `${EXPORTS_PREFIX}analytics/v${DATASET_VERSION}/`;

export const tableLocation = (table: DatasetTable): string => `${ANALYTICS_PREFIX}${table.name}/`;

/** A file of a partitioned table; `fileId` names the batch, so a retried batch overwrites its own file. */
export const partitionFileKey = (table: DatasetTable, year: number, fileId: string): string =>
  `${tableLocation(table)}year=${year}/${fileId}.parquet`;

export const BODIES_KEY = `${tableLocation(TABLES_OF_DATASET.bodies)}bodies.jsonl`;

/** The years partition projection covers: 0 holds uploads whose year is unknown (neither declared nor read). */
export const PROJECTED_YEARS = { min: 0, max: 2100 } as const;
