import { z } from 'zod';
import { REVIEW_STATUSES } from '../pipeline/review.ts';
import { Status } from '../report/record.ts';
import { TEMPLATES } from '../report/template.ts';
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
    const tables = tablesOf((c) => {
      const value = row[c.name];
      return typeof value === 'number' ? value : null;
    });
    const uploadedAt =
      row.uploaded_at instanceof Date ? row.uploaded_at.toISOString() : String(row.uploaded_at ?? '');
    const candidate: Candidate = {
      objectKey: String(row.object_key),
      status: Status.parse(row.status),
      uploadedAt,
      template: z.enum(TEMPLATES).nullish().parse(row.template) ?? null,
      reviewStatus: z.enum(REVIEW_STATUSES).nullish().parse(row.review_status) ?? null,
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
