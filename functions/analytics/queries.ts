import { CELL_COLUMNS, type CellColumn } from './columns.ts';

/**
 * The one home of the dataset's SQL: its views and saved queries, written once in the subset of SQL that
 * Athena (Trino) and DuckDB share, in Trino's spelling. dialect.ts turns a statement into each engine's
 * form; the differences it handles, and the ones this file avoids, are tested (test/analytics/dialect.test.ts):
 *
 * - parameters are written `:name`; DuckDB binds `$name`, Athena takes positional `?` execution parameters;
 * - `LISTAGG(x, sep) WITHIN GROUP (ORDER BY y)` is Trino's; DuckDB spells it `string_agg(x, sep ORDER BY y)`;
 * - `/` of two integers truncates in Trino and not in DuckDB: every ratio divides `CAST(… AS DOUBLE)`;
 * - stream sequence numbers are decimal strings of varying length: compared `lpad`ded, never as numbers;
 * - China-time days are a column written by the exporter (`uploaded_day`), not time-zone functions.
 *
 * The base tables may hold a row more than once (a bisected stream batch is written again); every query
 * reads the views, which collapse them.
 */

/** A cell column by its template keys; throws for keys the template does not have (a typo fails at load). */
export function cellColumn(table: CellColumn['table'], row: string, column: string | null): string {
  const found = CELL_COLUMNS.find((c) => c.table === table && c.row === row && c.column === column);
  if (found === undefined) throw new Error(`no cell ${table}.${row}.${column ?? ''}`);
  return found.name;
}

/** The cells the indicators use (docs/analytics.md defines each indicator by them). */
export const INDICATOR_CELLS = {
  granted: cellColumn('requests', 'granted', 'total'),
  partiallyGranted: cellColumn('requests', 'partiallyGranted', 'total'),
  resultTotal: cellColumn('requests', 'resultTotal', 'total'),
  newReceived: cellColumn('requests', 'newReceived', 'total'),
  reviewCorrected: cellColumn('appeals', 'review', 'corrected'),
  reviewTotal: cellColumn('appeals', 'review', 'total'),
  directCorrected: cellColumn('appeals', 'litigationDirect', 'corrected'),
  directTotal: cellColumn('appeals', 'litigationDirect', 'total'),
  afterReviewCorrected: cellColumn('appeals', 'litigationAfterReview', 'corrected'),
  afterReviewTotal: cellColumn('appeals', 'litigationAfterReview', 'total'),
} as const;
const C = INDICATOR_CELLS;

const ratio = (numerator: string, denominator: string) =>
  `CAST(${numerator} AS DOUBLE) / NULLIF(${denominator}, 0)`;

/** The indicators as SQL over summed cells: 实质公开率, 复议纠错率, 诉讼纠错率. */
const INDICATOR_SELECT = `
  count(*) AS bodies,
  sum(${C.newReceived}) AS requests_received,
  sum(${C.resultTotal}) AS requests_handled,
  ${ratio(`sum(${C.granted}) + sum(${C.partiallyGranted})`, `sum(${C.resultTotal})`)} AS disclosure_rate,
  sum(${C.reviewTotal}) AS reviews,
  ${ratio(`sum(${C.reviewCorrected})`, `sum(${C.reviewTotal})`)} AS review_correction_rate,
  sum(${C.directTotal}) + sum(${C.afterReviewTotal}) AS lawsuits,
  ${ratio(
    `sum(${C.directCorrected}) + sum(${C.afterReviewCorrected})`,
    `sum(${C.directTotal}) + sum(${C.afterReviewTotal})`,
  )} AS litigation_correction_rate`;

/** Each agency's latest upload per year among the versions that pass `where` (by upload time, then S3 order). */
const latestPerAgencyYear = (rank: string, where: string) => `
SELECT * FROM (
  SELECT v.*, row_number() OVER (
    PARTITION BY agency_id, year ORDER BY uploaded_at DESC, sequencer DESC) AS ${rank}
  FROM versions v WHERE agency_id IS NOT NULL AND ${where}
) t WHERE ${rank} = 1`;

export interface DatasetView {
  name: string;
  description: string;
  sql: string;
}

/**
 * The views, in dependency order. `versions`: each report version once (its latest export: highest
 * revision, then latest stream change) with its review status, computed as functions/pipeline/review.ts
 * does (a confirmed error or warning → CHANGES_REQUESTED; else every error dismissed → ACCEPTED; else
 * PENDING_REVIEW; FAILED → null). `latest_versions`: the latest upload per agency and year.
 * `summary_versions`: per agency and year, the latest version that is VALID or ACCEPTED (what the 汇总
 * sums). `current_findings`: the findings of `latest_versions`.
 */
export const VIEWS: readonly DatasetView[] = [
  {
    name: 'versions',
    description: '每个报告版本一行（去重），附审核状态',
    sql: `
WITH exported AS (
  SELECT r.*, row_number() OVER (
    PARTITION BY object_key, version_id
    ORDER BY revision DESC, lpad(stream_sequence, 40, '0') DESC) AS export_rank
  FROM report_versions r
),
latest_decisions AS (
  SELECT agency_id, year, fingerprint, decision FROM (
    SELECT agency_id, year, fingerprint, decision, row_number() OVER (
      PARTITION BY agency_id, year, fingerprint
      ORDER BY decided_at DESC, reviewer DESC, decision DESC) AS n
    FROM review_decisions
  ) d WHERE n = 1
),
judged AS (
  SELECT f.object_key, f.stream_sequence,
    count_if(d.decision = 'CONFIRMED') AS confirmed,
    count_if(f.severity = 'error' AND (d.decision IS NULL OR d.decision <> 'DISMISSED')) AS open_errors
  FROM (
    SELECT DISTINCT object_key, stream_sequence, agency_id, year, fingerprint, severity
    FROM findings WHERE severity <> 'info'
  ) f
  LEFT JOIN latest_decisions d
    ON d.agency_id = f.agency_id AND d.year = f.year AND d.fingerprint = f.fingerprint
  GROUP BY f.object_key, f.stream_sequence
)
SELECT e.*,
  CASE
    WHEN e.status = 'FAILED' THEN NULL
    WHEN coalesce(j.confirmed, 0) > 0 THEN 'CHANGES_REQUESTED'
    WHEN coalesce(j.open_errors, 0) = 0 THEN 'ACCEPTED'
    ELSE 'PENDING_REVIEW'
  END AS review_status
FROM exported e
LEFT JOIN judged j ON j.object_key = e.object_key AND j.stream_sequence = e.stream_sequence
WHERE e.export_rank = 1`,
  },
  {
    name: 'latest_versions',
    description: '每个机关每年度最新上传的版本',
    sql: latestPerAgencyYear('latest_rank', 'TRUE'),
  },
  {
    name: 'summary_versions',
    description: '每个机关每年度最新的合格或审核通过版本（汇总表所加总的）',
    sql: latestPerAgencyYear('summary_rank', "(status = 'VALID' OR review_status = 'ACCEPTED')"),
  },
  {
    name: 'current_findings',
    description: '各机关每年度最新版本的问题',
    sql: `
SELECT DISTINCT f.* FROM findings f
JOIN latest_versions l ON l.object_key = f.object_key AND l.stream_sequence = f.stream_sequence`,
  },
];

export type QueryParam = 'year' | 'office';

export interface SavedQuery {
  name: string;
  title: string;
  description: string;
  /** Every query takes `:year`; `:office` NULL means every body. */
  params: readonly QueryParam[];
  sql: string;
}

/** Bodies under `:office` (every body when it is NULL), as a predicate on `agency_id`. */
const inScope = (column = 'agency_id') =>
  `(:office IS NULL OR ${column} IN (SELECT agency_id FROM bodies WHERE office_id = :office))`;
const IN_SCOPE = inScope();

export const SAVED_QUERIES: readonly SavedQuery[] = [
  {
    name: 'indicators',
    title: '主要指标',
    description:
      '本年度范围内（合格或审核通过的最新版本）机关数、新收申请数、实质公开率、复议纠错率、诉讼纠错率',
    params: ['year', 'office'],
    sql: `
SELECT ${INDICATOR_SELECT}
FROM summary_versions
WHERE year = :year AND ${IN_SCOPE}`,
  },
  {
    name: 'indicators_by_office',
    title: '各监督机构指标',
    description: '范围内每个监督机构（含其下级）合计的实质公开率、复议纠错率等',
    params: ['year', 'office'],
    sql: `
SELECT b.office_id, b.office_name, ${INDICATOR_SELECT}
FROM summary_versions s
JOIN bodies b ON b.agency_id = s.agency_id
WHERE s.year = :year
  AND (:office IS NULL OR EXISTS (
    SELECT 1 FROM bodies t
    WHERE t.office_id = :office AND t.agency_id = b.agency_id AND b.depth <= t.depth))
GROUP BY b.office_id, b.office_name
ORDER BY b.office_id`,
  },
  {
    name: 'disclosure_rate_by_agency',
    title: '各机关实质公开率',
    description: '（予以公开 + 部分公开）÷ 办理结果总计，按机关，由低到高',
    params: ['year', 'office'],
    sql: `
SELECT agency_id, agency_name,
  ${C.newReceived} AS requests_received,
  ${C.granted} AS granted,
  ${C.partiallyGranted} AS partially_granted,
  ${C.resultTotal} AS requests_handled,
  ${ratio(`${C.granted} + ${C.partiallyGranted}`, C.resultTotal)} AS disclosure_rate
FROM summary_versions
WHERE year = :year AND ${IN_SCOPE}
ORDER BY disclosure_rate ASC NULLS LAST, agency_id`,
  },
  {
    name: 'late_filers',
    title: '逾期公开的机关',
    description: '截至本年度，最新版本被判为逾期公开（LATE_PUBLICATION）的年份数和年份，多者在前',
    params: ['year', 'office'],
    sql: `
SELECT agency_id,
  count(DISTINCT year) AS late_years,
  LISTAGG(CAST(year AS VARCHAR), ',') WITHIN GROUP (ORDER BY year) AS years,
  max(CASE WHEN year = :year THEN 1 ELSE 0 END) AS late_this_year
FROM (SELECT DISTINCT agency_id, year FROM current_findings
      WHERE code = 'LATE_PUBLICATION' AND year <= :year AND ${IN_SCOPE}) late
GROUP BY agency_id
ORDER BY late_years DESC, agency_id`,
  },
  {
    name: 'finding_codes',
    title: '问题代码分布',
    description: '本年度最新版本中每个问题代码涉及的机关数、出现次数和占机关的比例',
    params: ['year', 'office'],
    sql: `
SELECT f.code, f.severity,
  count(DISTINCT f.agency_id) AS bodies,
  count(*) AS findings,
  CAST(count(DISTINCT f.agency_id) AS DOUBLE) / NULLIF(max(n.bodies), 0) AS share_of_bodies
FROM current_findings f
CROSS JOIN (SELECT count(*) AS bodies FROM latest_versions WHERE year = :year AND ${IN_SCOPE}) n
WHERE f.year = :year AND ${inScope('f.agency_id')}
GROUP BY f.code, f.severity
ORDER BY bodies DESC, findings DESC, f.code`,
  },
  {
    name: 'status_counts',
    title: '报送状态',
    description: '本年度最新版本按校验状态和审核状态计数',
    params: ['year', 'office'],
    sql: `
SELECT status, coalesce(review_status, '') AS review_status, count(*) AS bodies
FROM latest_versions
WHERE year = :year AND ${IN_SCOPE}
GROUP BY status, coalesce(review_status, '')
ORDER BY status, review_status`,
  },
  {
    name: 'submissions_by_day',
    title: '按日提交',
    description: '本年度每个机关第一次上传的日期（北京时间）计数及累计',
    params: ['year', 'office'],
    sql: `
SELECT day, count(*) AS first_uploads, sum(count(*)) OVER (ORDER BY day) AS cumulative
FROM (SELECT agency_id, min(uploaded_day) AS day FROM versions
      WHERE year = :year AND agency_id IS NOT NULL AND ${IN_SCOPE} GROUP BY agency_id) firsts
GROUP BY day
ORDER BY day`,
  },
  {
    name: 'indicators_by_year',
    title: '历年指标',
    description: '截至本年度每年的实质公开率、复议纠错率等',
    params: ['year', 'office'],
    sql: `
SELECT year, ${INDICATOR_SELECT}
FROM summary_versions
WHERE year <= :year AND year > 0 AND ${IN_SCOPE}
GROUP BY year
ORDER BY year`,
  },
  {
    name: 'office_sums',
    title: '汇总表合计',
    description:
      '表二、三、四每个单元格在范围内的合计（合格或审核通过的最新版本）；命令 stats --summary 另列缺报和未计入的机关并校验合计',
    params: ['year', 'office'],
    sql: `
SELECT count(*) AS bodies,
  ${CELL_COLUMNS.map((c) => `sum(${c.name}) AS ${c.name}`).join(',\n  ')}
FROM summary_versions
WHERE year = :year AND ${IN_SCOPE}`,
  },
];

export function findQuery(name: string): SavedQuery | undefined {
  return SAVED_QUERIES.find((q) => q.name === name);
}
