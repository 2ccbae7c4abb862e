import { findingFingerprint, type Issue, type ReportRecord } from '../report/index.ts';
import { REVIEW_WORDS } from '../report/page-vocabulary.ts';
import { parseUploadKey } from './keys.ts';
import type { Decision, ReviewDecision, ReviewStore } from './review-decision.ts';
import { submissionYear } from './table-layout.ts';

/**
 * The review view of a record: the machine's findings with the reviewers' latest decision on each, and the
 * derived `reviewStatus`. `status` stays the machine's verdict; this module only reads decisions.
 */
export const REVIEW_STATUSES = ['ACCEPTED', 'CHANGES_REQUESTED', 'PENDING_REVIEW'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** The statuses' words: the pages' vocabulary is their one home, so the CLI and the pages say the same. */
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = REVIEW_WORDS.statuses;

/** A decision as a finding shows it. */
export interface FindingReview {
  decision: Decision;
  reason: string;
  reviewer: string;
  office: string;
  at: string;
}

export type ReviewedIssue = Issue & {
  fingerprint: string;
  review: FindingReview | null;
  history: FindingReview[];
};

/** A confirmed finding that the current record no longer has: the agency corrected it. */
export interface FixedFinding {
  fingerprint: string;
  code: string;
  review: FindingReview;
  /** The upload the finding was confirmed on. */
  objectKey: string;
  versionId: string | null;
}

export interface ReviewView {
  reviewStatus: ReviewStatus | null;
  issues: ReviewedIssue[];
  fixed: FixedFinding[];
}

const shown = (d: ReviewDecision): FindingReview => ({
  decision: d.decision,
  reason: d.reason,
  reviewer: d.reviewer,
  office: d.office,
  at: d.at,
});

/** A record stored before fingerprints existed gets them computed the same way. */
export const fingerprintOf = (issue: Issue): string => issue.fingerprint ?? findingFingerprint(issue);

/** Each fingerprint's decisions, oldest first (by time, then by who and what for a stable order). */
export function historyByFingerprint(decisions: readonly ReviewDecision[]): Map<string, ReviewDecision[]> {
  const sorted = [...decisions].sort(
    (a, b) =>
      a.at.localeCompare(b.at) ||
      a.reviewer.localeCompare(b.reviewer) ||
      a.decision.localeCompare(b.decision),
  );
  const byFingerprint = new Map<string, ReviewDecision[]>();
  for (const d of sorted) {
    const list = byFingerprint.get(d.fingerprint);
    if (list === undefined) byFingerprint.set(d.fingerprint, [d]);
    else list.push(d);
  }
  return byFingerprint;
}

/** The latest decision of each fingerprint's history (every history holds at least one). */
const latestOf = (history: ReadonlyMap<string, ReviewDecision[]>): Map<string, ReviewDecision> =>
  new Map(
    [...history].flatMap(([fp, list]) => {
      const latest = list.at(-1);
      return latest === undefined ? [] : [[fp, latest] as const];
    }),
  );

/** The latest decision on each fingerprint. */
export function latestDecisions(decisions: readonly ReviewDecision[]): Map<string, ReviewDecision> {
  return latestOf(historyByFingerprint(decisions));
}

/**
 * Every decision on the findings of the record's agency-year (the submission year the `bySubmission` index
 * uses); none when the record names neither. The notices, the API and the CLI read them through here.
 */
export async function decisionsFor(
  record: ReportRecord,
  reviews: Pick<ReviewStore, 'decisions'>,
): Promise<ReviewDecision[]> {
  const agencyId = record.agencyId ?? parseUploadKey(record.upload?.key ?? '')?.agencyId ?? null;
  const year = submissionYear(record);
  return agencyId === null || year === null ? [] : reviews.decisions(agencyId, year);
}

/** The fingerprints whose latest decision is DISMISSED: findings nobody is to be told about again. */
export function dismissedFingerprints(decisions: readonly ReviewDecision[]): Set<string> {
  return new Set(
    [...latestDecisions(decisions)].filter(([, d]) => d.decision === 'DISMISSED').map(([fp]) => fp),
  );
}

/**
 * `CHANGES_REQUESTED` when an error or warning is confirmed; else `ACCEPTED` when every error is dismissed
 * (a record without errors included); else `PENDING_REVIEW`. Null for a FAILED record: nothing was read.
 */
export function reviewStatus(
  record: Pick<ReportRecord, 'status' | 'issues'>,
  latest: ReadonlyMap<string, ReviewDecision>,
): ReviewStatus | null {
  if (record.status === 'FAILED') return null;
  const decided = (i: Issue) => latest.get(fingerprintOf(i))?.decision;
  const reviewable = record.issues.filter((i) => i.severity !== 'info');
  if (reviewable.some((i) => decided(i) === 'CONFIRMED')) return 'CHANGES_REQUESTED';
  const errors = reviewable.filter((i) => i.severity === 'error');
  return errors.every((i) => decided(i) === 'DISMISSED') ? 'ACCEPTED' : 'PENDING_REVIEW';
}

/** The record's findings with their reviews, its review status, and the confirmed findings it no longer has. */
export function reviewView(record: ReportRecord, decisions: readonly ReviewDecision[]): ReviewView {
  const history = historyByFingerprint(decisions);
  const latest = latestOf(history);
  const issues = record.issues.map((issue): ReviewedIssue => {
    const fingerprint = fingerprintOf(issue);
    const list = history.get(fingerprint) ?? [];
    const last = list.at(-1);
    return {
      ...issue,
      fingerprint,
      review: last === undefined ? null : shown(last),
      history: list.map(shown),
    };
  });
  const present = new Set(issues.map((i) => i.fingerprint));
  // A FAILED record was not read: its findings' absence says nothing about what was corrected.
  const fixed =
    record.status === 'FAILED'
      ? []
      : [...latest.values()]
          .filter((d) => d.decision === 'CONFIRMED' && !present.has(d.fingerprint))
          .map((d) => ({
            fingerprint: d.fingerprint,
            code: d.code,
            review: shown(d),
            objectKey: d.objectKey,
            versionId: d.versionId,
          }));
  return { reviewStatus: reviewStatus(record, latest), issues, fixed };
}
