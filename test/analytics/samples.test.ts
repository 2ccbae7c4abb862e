import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELL_COLUMNS } from '../../functions/analytics/columns.ts';
import { LocalDataset } from '../../functions/analytics/duckdb.ts';
import { findQuery, INDICATOR_CELLS } from '../../functions/analytics/queries.ts';
import { bodyRows, cellValue } from '../../functions/analytics/rows.ts';
import { type OfficeSummary, officeSummary } from '../../functions/analytics/summary.ts';
import type { Tables } from '../../functions/analytics/summary-check.ts';
import { datasetSummarySource } from '../../functions/analytics/summary-dataset.ts';
import { createExportHandler } from '../../functions/handlers/export-handler.ts';
import type { ReviewDecision } from '../../functions/pipeline/review-decision.ts';
import { reviewItem } from '../../functions/stream/items.ts';
import { copyDataset } from '../../local/dataset-files.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { runCli } from '../support/cli.ts';
import { fixturePath } from '../support/fixtures.ts';

/**
 * The dataset of the local run over samples/ (the real handlers, the real export consumer writing Parquet
 * into the in-process S3), read by DuckDB: each saved query against numbers worked out by hand from the
 * samples' truth files, the 汇总 of each sample office against the truth files' cell-by-cell sums, the
 * dataset's 汇总 against the table's (the API's), and `report-pipeline stats` on the state folder.
 */
const truth = (file: string) => JSON.parse(readFileSync(fixturePath(file), 'utf8')) as Tables;
/** The samples' files as the fixtures hold them (same bytes). */
const HUAIAN_2024 = truth('real/huaian-2024.truth.json');
const HONGZE_2024 = truth('real/hongze-2024.truth.json');
const QINGHE_2023 = truth('synthetic/clean-single-request.truth.json'); // samples/qinghe-guangming/2023年度报告.docx
const KAIYUAN_2023 = truth('seeds/seed-kaiyuan-2023-review-cells-blank.truth.json'); // samples/licheng-kaiyuan/…html

/** A hand sum: each cell added over the reports, "/" and blank as nothing, null when no report has it. */
function handSum(reports: Tables[]): Record<string, number | null> {
  return Object.fromEntries(
    CELL_COLUMNS.map((c) => {
      const values = reports.map((r) => cellValue(r, c)).filter((v): v is number => v !== null);
      return [c.name, values.length === 0 ? null : values.reduce((a, b) => a + b, 0)];
    }),
  );
}
const I = INDICATOR_CELLS;
const get = (sums: Record<string, number | null>, column: string) => sums[column] ?? 0;

let dir: string;
let data: string;
let pipeline: LocalPipeline;
let dataset: LocalDataset;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'analytics-samples-'));
  pipeline = await LocalPipeline.start({ dir: path.join(dir, 'state') });
  const samples = path.join(import.meta.dirname, '..', '..', 'samples');
  for (const agency of readdirSync(samples).sort()) {
    for (const file of readdirSync(path.join(samples, agency)).sort()) {
      await pipeline.upload(agency, file, readFileSync(path.join(samples, agency, file)));
    }
  }
  data = path.join(dir, 'data');
  await copyDataset(pipeline.deps.bucket, pipeline.deps.objects, data);
  dataset = await LocalDataset.open(data, pipeline.deps.registry);
}, 120_000);

afterAll(async () => {
  dataset?.close();
  await pipeline?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = async (name: string, year: number, office: string | null = null) => {
  const query = findQuery(name);
  if (query === undefined) throw new Error(`no query ${name}`);
  return (await dataset.run(query, { year, office })).rows;
};

describe('the saved queries on DuckDB over the local run', () => {
  it('indicators: 2024 counts the two valid governments, 2023 the one valid street office', async () => {
    const sums = handSum([HUAIAN_2024, HONGZE_2024]);
    const [row] = await run('indicators', 2024);
    expect(row).toEqual({
      bodies: 2,
      requests_received: get(sums, I.newReceived),
      requests_handled: get(sums, I.resultTotal),
      disclosure_rate: (get(sums, I.granted) + get(sums, I.partiallyGranted)) / get(sums, I.resultTotal),
      reviews: get(sums, I.reviewTotal),
      review_correction_rate: get(sums, I.reviewCorrected) / get(sums, I.reviewTotal),
      lawsuits: get(sums, I.directTotal) + get(sums, I.afterReviewTotal),
      litigation_correction_rate:
        (get(sums, I.directCorrected) + get(sums, I.afterReviewCorrected)) /
        (get(sums, I.directTotal) + get(sums, I.afterReviewTotal)),
    });
    // The numbers as printed in the two reports: 1362 + 50 granted in full.
    expect(get(sums, I.granted)).toBe(1412);
    const [y2023] = await run('indicators', 2023);
    expect(y2023?.bodies).toBe(1);
    expect(y2023?.requests_received).toBe(cellValue(QINGHE_2023, col(I.newReceived)));
  });

  it("writes the registry's table beside the Parquet files, as the deployed export function does", () => {
    const lines = readFileSync(path.join(data, 'bodies', 'bodies.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(bodyRows(pipeline.deps.registry));
    expect(bodyRows(pipeline.deps.registry)).toContainEqual(
      expect.objectContaining({ agency_id: 'hongze-edu', office_id: 'huaian-office', depth: 2 }),
    );
  });

  it('indicators_by_office and the office filter: a subtree counts only its own bodies', async () => {
    const rows = await run('indicators_by_office', 2024);
    expect(rows.map((r) => [r.office_id, r.bodies])).toEqual([['huaian-office', 2]]);
    expect((await run('indicators', 2024, 'hongze-office'))[0]?.bodies).toBe(0);
    expect((await run('indicators', 2023, 'qinghe-office'))[0]?.bodies).toBe(1);
    expect((await run('indicators', 2023, 'licheng-office'))[0]?.bodies).toBe(0);
  });

  it('disclosure_rate_by_agency: each body from its own report, lowest first', async () => {
    const rate = (t: Tables) =>
      ((cellValue(t, col(I.granted)) ?? 0) + (cellValue(t, col(I.partiallyGranted)) ?? 0)) /
      (cellValue(t, col(I.resultTotal)) ?? 0);
    const rows = await run('disclosure_rate_by_agency', 2024);
    const expected = [
      ['huaian-gov', rate(HUAIAN_2024)],
      ['hongze-gov', rate(HONGZE_2024)],
    ].sort((a, b) => (a[1] as number) - (b[1] as number));
    expect(rows.map((r) => [r.agency_id, r.disclosure_rate])).toEqual(expected);
  });

  it('late_filers: every registered body that uploaded after its deadline, years listed (the run uploads today)', async () => {
    // unknown-bureau is not in the registry: no deadline, no LATE_PUBLICATION (README).
    expect(
      (await run('late_filers', 2024)).map((r) => [r.agency_id, r.late_years, r.years, r.late_this_year]),
    ).toEqual([
      ['hongze-gov', 2, '2023,2024', 1],
      ['huaian-gov', 1, '2024', 1],
      ['licheng-kaiyuan', 1, '2023', 0],
      ['qinghe-guangming', 1, '2023', 0],
    ]);
    expect((await run('late_filers', 2023, 'huaian-office')).map((r) => r.agency_id)).toEqual([
      'hongze-gov',
      'qinghe-guangming',
    ]);
  });

  it('finding_codes: per code, the bodies whose latest 2024 report has it', async () => {
    const latest = (await pipeline.list()).filter((r) => r.year === 2024);
    const bodiesWith = (code: string) => latest.filter((r) => r.issues.some((i) => i.code === code)).length;
    const rows = await run('finding_codes', 2024);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.bodies).toBe(bodiesWith(String(row.code)));
      expect(row.share_of_bodies).toBe(bodiesWith(String(row.code)) / 2);
    }
    expect(rows.map((r) => r.code)).toContain('LATE_PUBLICATION');
  });

  it('status_counts and submissions_by_day: the latest version of each body', async () => {
    expect((await run('status_counts', 2023)).map((r) => [r.status, r.review_status, r.bodies])).toEqual([
      ['INVALID', 'PENDING_REVIEW', 2],
      ['VALID', 'ACCEPTED', 1],
    ]);
    // The unreadable PDF declared no year and read none: partition 0, no year's count.
    expect((await run('status_counts', 0)).map((r) => [r.status, r.bodies])).toEqual([['FAILED', 1]]);
    const days = await run('submissions_by_day', 2024);
    expect(days.map((d) => [d.first_uploads, d.cumulative])).toEqual([[2, 2]]);
  });

  it('indicators_by_year and office_sums: the years with a counted report, and every cell summed', async () => {
    expect((await run('indicators_by_year', 2024)).map((r) => [r.year, r.bodies])).toEqual([
      [2023, 1],
      [2024, 2],
    ]);
    const [sums] = await run('office_sums', 2024, 'huaian-office');
    expect(sums).toEqual({ bodies: 2, ...handSum([HUAIAN_2024, HONGZE_2024]) });
  });
});

const col = (name: string) => CELL_COLUMNS.find((c) => c.name === name) ?? (CELL_COLUMNS[0] as never);
const cellsOf = (s: OfficeSummary) =>
  Object.fromEntries(CELL_COLUMNS.map((c) => [c.name, cellValue(s.tables, c)]));
const fromDataset = async (office: string, year: number) =>
  officeSummary(pipeline.deps.registry, office, year, await datasetSummarySource(dataset, year, office));
const fromTable = (office: string, year: number) => {
  return officeSummary(pipeline.deps.registry, office, year, pipeline.deps.summaries);
};
const excluded = (s: OfficeSummary) => s.excluded.map((e) => [e.agencyId, e.reason]);

describe("the samples' offices' 汇总", () => {
  it.each([
    [
      'huaian-office',
      2024,
      [HUAIAN_2024, HONGZE_2024],
      ['huaian-gov', 'hongze-gov'],
      [
        ['hongze-edu', 'NOT_SUBMITTED'],
        ['qinghe-guangming', 'NOT_SUBMITTED'],
      ],
    ],
    [
      'huaian-office',
      2023,
      [QINGHE_2023],
      ['qinghe-guangming'],
      [
        ['huaian-gov', 'NOT_SUBMITTED'],
        ['hongze-gov', 'NOT_ACCEPTED'],
        ['hongze-edu', 'NOT_SUBMITTED'],
      ],
    ],
    ['qinghe-office', 2023, [QINGHE_2023], ['qinghe-guangming'], []],
    ['hongze-office', 2024, [], [], [['hongze-edu', 'NOT_SUBMITTED']]],
    ['licheng-office', 2023, [], [], [['licheng-kaiyuan', 'NOT_ACCEPTED']]],
  ] as const)(
    '%s %i: the hand sums of its counted reports, the others named',
    async (office, year, reports, included, left) => {
      const summary = await fromDataset(office, year);
      expect(cellsOf(summary)).toEqual(handSum([...reports]));
      expect(summary.included.map((b) => b.agencyId)).toEqual(included);
      expect(excluded(summary)).toEqual(left);
      expect(summary.issues).toEqual([]);
      // The API reads the table, the CLI the dataset: the same 汇总.
      const api = await fromTable(office, year);
      expect(cellsOf(api)).toEqual(cellsOf(summary));
      expect(excluded(api)).toEqual(excluded(summary));
      expect(api.indicators).toEqual(summary.indicators);
    },
  );

  it("a report whose every error a reviewer dismissed counts, on both paths (the view's review status = review.ts's)", async () => {
    const record = (await pipeline.list()).find((r) => r.agencyId === 'licheng-kaiyuan');
    expect(record?.status).toBe('INVALID');
    const store = pipeline.deps.reviews;
    const exporter = createExportHandler({
      objects: pipeline.deps.objects,
      bucket: pipeline.deps.bucket.name,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const decisions: ReviewDecision[] = (record?.issues ?? [])
      .filter((i) => i.severity === 'error')
      .map((i, n) => ({
        agencyId: 'licheng-kaiyuan',
        year: 2023,
        fingerprint: i.fingerprint ?? '',
        code: i.code,
        decision: 'DISMISSED',
        reason: '经核实，报告原文如此，不影响汇总',
        reviewer: 'reviewer-1',
        office: 'licheng-office',
        at: `2026-01-0${n + 1}T08:00:00.000Z`,
        objectKey: record?.upload?.key ?? '',
        versionId: record?.upload?.versionId ?? null,
      }));
    expect(decisions.length).toBeGreaterThan(0);
    // Each decision as the table's stream carries it to the export consumer.
    const records = decisions.map((d, n) => {
      const image = reviewItem(d, `uuid-${n}`);
      return {
        eventID: `review-${n}`,
        eventName: 'INSERT' as const,
        dynamodb: { Keys: { pk: image.pk, sk: image.sk }, NewImage: image, SequenceNumber: `9000${n}` },
      };
    });
    for (const d of decisions) await store.decide(d);
    expect(await exporter({ Records: records as never })).toEqual({ batchItemFailures: [] });
    const again = path.join(dir, 'data-after-review');
    await copyDataset(pipeline.deps.bucket, pipeline.deps.objects, again);
    const reviewed = await LocalDataset.open(again, pipeline.deps.registry);
    try {
      const summary = await officeSummary(
        pipeline.deps.registry,
        'licheng-office',
        2023,
        await datasetSummarySource(reviewed, 2023, 'licheng-office'),
      );
      expect(summary.included.map((b) => [b.agencyId, b.status, b.reviewStatus])).toEqual([
        ['licheng-kaiyuan', 'INVALID', 'ACCEPTED'],
      ]);
      expect(cellsOf(summary)).toEqual(handSum([KAIYUAN_2023]));
      const api = await fromTable('licheng-office', 2023);
      expect(api.included.map((b) => [b.agencyId, b.reviewStatus])).toEqual([
        ['licheng-kaiyuan', 'ACCEPTED'],
      ]);
      expect(cellsOf(api)).toEqual(cellsOf(summary));
    } finally {
      reviewed.close();
    }
  });
});

describe('report-pipeline stats', () => {
  it('runs a saved query on a copy of the dataset and the 汇总 on the state folder, as CSV and HTML', async () => {
    await pipeline.stop();
    const state = path.join(dir, 'state');
    const query = await runCli(['stats', '--year', '2024', '--query', 'indicators', '--csv', '--data', data]);
    expect(query.status).toBe(0);
    expect(query.stdout.startsWith('\uFEFFbodies,requests_received')).toBe(true);
    const html = path.join(dir, 'summary.html');
    const summary = await runCli([
      'stats',
      '--summary',
      '--office',
      'huaian-office',
      '--year',
      '2024',
      '--csv',
      '--html',
      html,
      '--dir',
      state,
    ]);
    expect(summary.status).toBe(0);
    const sums = handSum([HUAIAN_2024, HONGZE_2024]);
    expect(summary.stdout).toContain(
      `（一）予以公开,${['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'].map((c) => sums[`requests_granted_${c}`]).join(',')}`,
    );
    expect(summary.stdout).toContain('hongze-edu,淮安市洪泽区教育局,未计入,未提交');
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('淮安市政务公开办公室 2024年度政府信息公开工作年度报告汇总表');
    expect(page).toContain(`>${sums[I.granted]}<`);
    const usage = await runCli(['stats', '--summary', '--year', '2024', '--dir', state]);
    expect([usage.status, usage.stderr]).toEqual([2, 'report-pipeline stats: --summary needs --office ID\n']);
  }, 60_000);
});
