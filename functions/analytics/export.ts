import type { Registry } from '../pipeline/registry.ts';
import type { ReviewDecision } from '../pipeline/review-decision.ts';
import type { ReportChange } from '../stream/contract.ts';
import { DATASET_VERSION, type DatasetTable, TABLES_OF_DATASET } from './columns.ts';
import { BODIES_KEY, partitionFileKey } from './dataset.ts';
import { toParquet } from './parquet.ts';
import { bodyRows, decisionRow, findingRows, type Row, versionRow } from './rows.ts';

/**
 * A stream batch → Parquet files of the dataset: one file per table and year partition the batch touches.
 * The same changes as the JSON-lines export (new or re-parsed `version` items whose record changed) become
 * `report_versions` and `findings` rows; review items become `review_decisions` rows. The file name is the
 * batch's first and last sequence numbers, so a retried batch overwrites its own files; a bisected batch
 * writes rows again under other names, which the dataset's views collapse (queries.ts).
 */
export interface DatasetFile {
  key: string;
  body: Uint8Array;
  rows: number;
}

/** A reviewer's decision off the stream, with its item's sort key (the decision's identity). */
export interface DecisionChange {
  decision: ReviewDecision;
  decisionId: string;
  sequenceNumber: string;
}

export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

export function datasetFiles(
  changes: readonly ReportChange[],
  reviews: readonly DecisionChange[],
): DatasetFile[] {
  const byFile = new Map<string, { table: DatasetTable; year: number; rows: Row[] }>();
  const add = (table: DatasetTable, row: Row) => {
    const year = Number(row.year);
    const id = `${table.name}/${year}`;
    const entry = byFile.get(id) ?? { table, year, rows: [] };
    entry.rows.push(row);
    byFile.set(id, entry);
  };
  const sequences: string[] = [];
  for (const c of changes) {
    if (c.itemType !== 'version' || c.record === null || c.recordUnchanged) continue;
    const meta = { eventName: c.eventName, sequenceNumber: c.sequenceNumber, revision: c.revision ?? 0 };
    sequences.push(c.sequenceNumber);
    add(TABLES_OF_DATASET.versions, versionRow(c.record, meta));
    for (const f of findingRows(c.record, meta)) add(TABLES_OF_DATASET.findings, f);
  }
  for (const r of reviews) {
    sequences.push(r.sequenceNumber);
    add(TABLES_OF_DATASET.decisions, decisionRow(r.decision, r.decisionId));
  }
  if (sequences.length === 0) return [];
  const fileId = `${sequences[0]}-${sequences.at(-1)}`;
  return [...byFile.values()].map(({ table, year, rows }) => ({
    key: partitionFileKey(table, year, fileId),
    // The partition is the path; the file holds the other columns.
    body: toParquet(table.columns, rows, DATASET_VERSION),
    rows: rows.length,
  }));
}

/**
 * The registry's table (`bodies`): the supervision tree as JSON lines, from the registry the export function
 * is bundled with. The function writes it once per instance, so a deploy with a changed registry replaces it
 * with the first batch after it (a CDK BucketDeployment would do the same with a second function, a layer
 * and write access to the whole bucket).
 */
export function bodiesFile(registry: Registry): { key: string; body: string } {
  return {
    key: BODIES_KEY,
    body: `${bodyRows(registry)
      .map((r) => JSON.stringify(r))
      .join('\n')}\n`,
  };
}
