import { mapConcurrently } from '../pipeline/concurrently.ts';
import type { Agency, Registry } from '../pipeline/registry.ts';
import {
  latestDecisions,
  REVIEW_STATUS_LABELS,
  type ReviewStatus,
  reviewStatus,
} from '../pipeline/review.ts';
import type { ReviewDecision } from '../pipeline/review-decision.ts';
import { agenciesUnder, findOffice } from '../pipeline/supervision.ts';
import { STATE_LABELS, UnknownOfficeError } from '../pipeline/year-status.ts';
import type { Issue, ReportRecord, Status } from '../report/record.ts';
import { isObject } from '../report/table-cells.ts';
import type { Template } from '../report/template.ts';
import { CELL_COLUMNS, type CellColumn } from './columns.ts';
import { INDICATOR_CELLS } from './queries.ts';
import { cellValue } from './rows.ts';
import { sumsIssues, type Tables } from './summary-check.ts';

/**
 * An office's 汇总 tables for a year: tables 二, 三 and 四 summed over every body under it (its whole
 * subtree), each body counted by its latest version that is VALID or whose review ACCEPTED it (every error
 * dismissed); the bodies left out and why (nothing uploaded, only unreadable uploads, only reports with open
 * or confirmed errors); and the sums' own arithmetic checked with the template's rules (summary-check.ts).
 * Domain only: the versions come from the dataset (DuckDB, the CLI) or the table (DynamoDB, the API).
 */

/** One uploaded version of a body's report for the year, newest first in a body's list. */
export interface Candidate {
  objectKey: string;
  status: Status;
  uploadedAt: string;
  /** The record's section-2 template (null when FAILED). */
  template: Template | null;
  /** Known already (the dataset's view computes it), or computed from the record and the decisions. */
  reviewStatus?: ReviewStatus | null;
  /** The tables; loaded only for the candidate that is chosen or needs its review status. */
  load: () => Promise<{ tables: Tables; issues?: ReportRecord['issues']; template?: Template | null } | null>;
}

export const EXCLUSION_REASONS = ['NOT_SUBMITTED', 'FAILED', 'NOT_ACCEPTED'] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
/** Why a body is left out, in the status words (year-status.ts) and the review's (审核通过). */
export const EXCLUSION_LABELS: Record<ExclusionReason, string> = {
  NOT_SUBMITTED: STATE_LABELS.NOT_SUBMITTED,
  FAILED: STATE_LABELS.FAILED,
  NOT_ACCEPTED: `${STATE_LABELS.INVALID}未${REVIEW_STATUS_LABELS.ACCEPTED}`,
};

export interface IncludedBody {
  agencyId: string;
  name: string;
  objectKey: string;
  status: Status;
  reviewStatus: ReviewStatus | null;
  uploadedAt: string;
  template: Template | null;
}

export interface ExcludedBody {
  agencyId: string;
  name: string;
  reason: ExclusionReason;
  /** The latest upload's status and review status (null when nothing was uploaded). */
  status: Status | null;
  reviewStatus: ReviewStatus | null;
  objectKey: string | null;
}

export interface Indicators {
  requestsReceived: number | null;
  /** (granted + partiallyGranted) ÷ resultTotal, column 总计. */
  disclosureRate: number | null;
  /** review.corrected ÷ review.total. */
  reviewCorrectionRate: number | null;
  /** (litigationDirect + litigationAfterReview).corrected ÷ their totals. */
  litigationCorrectionRate: number | null;
}

export interface OfficeSummary {
  officeId: string;
  officeName: string;
  year: number;
  /** The template the sums are laid out in: 2021 from the 2021 reporting year on. */
  template: Template;
  counts: { bodies: number; included: number } & Record<ExclusionReason, number>;
  included: IncludedBody[];
  excluded: ExcludedBody[];
  /** Included bodies whose section 2 is on the other template: not in table 二's sums. */
  sectionTwoOnOtherTemplate: string[];
  /** The sums in the record's shape (null: no included body has a number there). */
  tables: Tables;
  /** Per cell column: how many included bodies left it blank or "/" (only cells where some did). */
  blankCells: Record<string, number>;
  /** The template's arithmetic on the sums (a sum that does not add up means an included report does not). */
  issues: Issue[];
  indicators: Indicators;
}

export const summaryTemplate = (year: number): Template => (year >= 2021 ? '2021' : '2019');

const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
const add = (...values: (number | null)[]) =>
  values.every((v) => v === null) ? null : values.reduce<number>((s, v) => s + (v ?? 0), 0);

/** The cells as a record's tables; a table with no number at all is null. */
export function tablesOf(value: (c: CellColumn) => number | null): Tables {
  const tables: Record<string, Record<string, unknown> | null> = {};
  for (const c of CELL_COLUMNS) {
    const v = value(c);
    const table = tables[c.table] ?? {};
    tables[c.table] = table;
    if (c.column === null) table[c.row] = v;
    else {
      const existing = table[c.row];
      const row = isObject(existing) ? existing : {};
      table[c.row] = row;
      row[c.column] = v;
    }
  }
  // A row (or table) without any number is one the reports left out: null, as the record has it.
  for (const [name, table] of Object.entries(tables)) {
    if (table === null) continue;
    for (const [key, row] of Object.entries(table)) {
      if (row !== null && typeof row === 'object' && Object.values(row).every((v) => v === null))
        table[key] = null;
    }
    if (Object.values(table).every((v) => v === null)) tables[name] = null;
  }
  return tables as Tables;
}

export function indicatorsOf(tables: Tables): Indicators {
  const cell = (name: string) => {
    const c = CELL_COLUMNS.find((x) => x.name === name);
    if (c === undefined) throw new Error(`indicator cell ${name} is no cell column (columns.ts)`);
    return cellValue(tables, c);
  };
  const I = INDICATOR_CELLS;
  return {
    requestsReceived: cell(I.newReceived),
    disclosureRate: ratio(add(cell(I.granted), cell(I.partiallyGranted)), cell(I.resultTotal)),
    reviewCorrectionRate: ratio(cell(I.reviewCorrected), cell(I.reviewTotal)),
    litigationCorrectionRate: ratio(
      add(cell(I.directCorrected), cell(I.afterReviewCorrected)),
      add(cell(I.directTotal), cell(I.afterReviewTotal)),
    ),
  };
}

interface Choice {
  agency: Agency;
  included: (IncludedBody & { tables: Tables }) | null;
  excluded: ExcludedBody | null;
}

/**
 * The version of a body that counts: its newest VALID or ACCEPTED one. A review status not given is
 * computed from the record's findings and the agency-year's decisions (read once, when first needed).
 */
async function choose(
  agency: Agency,
  candidates: readonly Candidate[],
  decisions: () => Promise<readonly ReviewDecision[]>,
): Promise<Choice> {
  const left = (reason: ExclusionReason, latest: Candidate | null, review: ReviewStatus | null): Choice => ({
    agency,
    included: null,
    excluded: {
      agencyId: agency.id,
      name: agency.name,
      reason,
      status: latest?.status ?? null,
      reviewStatus: review,
      objectKey: latest?.objectKey ?? null,
    },
  });
  const latest = candidates[0];
  if (latest === undefined) return left('NOT_SUBMITTED', null, null);
  let latestReview: ReviewStatus | null = latest.reviewStatus ?? null;
  let decided: Map<string, ReviewDecision> | null = null;
  for (const [i, c] of candidates.entries()) {
    if (c.status === 'FAILED') continue;
    let review = c.reviewStatus;
    let loaded: Awaited<ReturnType<Candidate['load']>> | undefined;
    if (review === undefined) {
      loaded = await c.load();
      decided ??= latestDecisions(await decisions());
      review =
        loaded === null ? null : reviewStatus({ status: c.status, issues: loaded.issues ?? [] }, decided);
    }
    if (i === 0) latestReview = review ?? null;
    if (c.status !== 'VALID' && review !== 'ACCEPTED') continue;
    loaded ??= await c.load();
    if (loaded === null) continue;
    return {
      agency,
      included: {
        agencyId: agency.id,
        name: agency.name,
        objectKey: c.objectKey,
        status: c.status,
        reviewStatus: review ?? null,
        uploadedAt: c.uploadedAt,
        template: loaded.template ?? c.template,
        tables: loaded.tables,
      },
      excluded: null,
    };
  }
  const onlyFailed = candidates.every((c) => c.status === 'FAILED');
  return left(onlyFailed ? 'FAILED' : 'NOT_ACCEPTED', latest, latestReview);
}

export interface SummarySource {
  /** The body's uploads for the year, newest first (empty when none). */
  candidates(agencyId: string, year: number): Promise<Candidate[]>;
  /** The reviewers' decisions on the agency-year (read only when a review status must be computed). */
  decisions(agencyId: string, year: number): Promise<ReviewDecision[]>;
}

export async function officeSummary(
  registry: Registry,
  officeId: string,
  year: number,
  source: SummarySource,
  options: { concurrency?: number } = {},
): Promise<OfficeSummary> {
  const office = findOffice(registry, officeId);
  if (office === null) throw new UnknownOfficeError(`unknown office: ${officeId}`);
  const choices = await mapConcurrently(
    agenciesUnder(registry, officeId),
    options.concurrency ?? 16,
    async (agency) =>
      choose(agency, await source.candidates(agency.id, year), () => source.decisions(agency.id, year)),
  );
  return summarize(office, year, choices);
}

function summarize(
  office: { id: string; name: string },
  year: number,
  choices: readonly Choice[],
): OfficeSummary {
  const template = summaryTemplate(year);
  const included = choices.flatMap((c) => (c.included === null ? [] : [c.included]));
  const excluded = choices.flatMap((c) => (c.excluded === null ? [] : [c.excluded]));
  const blankCells: Record<string, number> = {};
  const tables = tablesOf((c) => {
    let sum: number | null = null;
    let blanks = 0;
    for (const body of included) {
      const v = cellValue(body.tables, c);
      if (v === null) blanks++;
      else sum = Math.round(((sum ?? 0) + v) * 100) / 100;
    }
    if (blanks > 0 && blanks < included.length) blankCells[c.name] = blanks;
    return sum;
  });
  const counts = {
    bodies: choices.length,
    included: included.length,
    NOT_SUBMITTED: 0,
    FAILED: 0,
    NOT_ACCEPTED: 0,
  };
  for (const e of excluded) counts[e.reason]++;
  return {
    officeId: office.id,
    officeName: office.name,
    year,
    template,
    counts,
    included: included.map(({ tables: _tables, ...body }) => body),
    excluded,
    sectionTwoOnOtherTemplate: included
      .filter((b) => b.template !== null && b.template !== template)
      .map((b) => b.agencyId),
    tables,
    blankCells,
    issues: sumsIssues(tables, template, year, office.name),
    indicators: indicatorsOf(tables),
  };
}
