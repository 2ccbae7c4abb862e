import type { ReviewStatus } from '../pipeline/review.ts';
import type { Status } from '../report/record.ts';
import type { Template } from '../report/template.ts';
import type { LocalDataset } from './duckdb.ts';
import type { Candidate, SummarySource } from './summary.ts';
import { tablesOf } from './summary.ts';

/**
 * The 汇总's versions from the dataset: one query over the `versions` view for the year and the office's
 * bodies (the view has each version's review status already), grouped per body, newest first.
 */
export async function datasetSummarySource(
  dataset: LocalDataset,
  year: number,
  office: string,
): Promise<SummarySource> {
  const { rows } = await dataset.sql(
    `SELECT * FROM versions
     WHERE year = :year AND agency_id IN (SELECT agency_id FROM bodies WHERE office_id = :office)
     ORDER BY agency_id, uploaded_at DESC, sequencer DESC`,
    { year, office },
  );
  const byAgency = new Map<string, Candidate[]>();
  for (const row of rows) {
    const tables = tablesOf((c) => (typeof row[c.name] === 'number' ? (row[c.name] as number) : null));
    const uploadedAt =
      row.uploaded_at instanceof Date ? row.uploaded_at.toISOString() : String(row.uploaded_at ?? '');
    const candidate: Candidate = {
      objectKey: String(row.object_key),
      status: row.status as Status,
      uploadedAt,
      template: (row.template as Template | null) ?? null,
      reviewStatus: (row.review_status as ReviewStatus | null) ?? null,
      load: async () => ({ tables }),
    };
    const agency = String(row.agency_id);
    byAgency.set(agency, [...(byAgency.get(agency) ?? []), candidate]);
  }
  return {
    candidates: async (agencyId) => byAgency.get(agencyId) ?? [],
    // The view computed every review status: decisions are never needed.
    decisions: async () => [],
  };
}
