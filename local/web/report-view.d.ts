import type { PageVocabulary } from '../../functions/report/page-vocabulary.ts';
import type { ReportRecord } from '../../functions/report/record.ts';

/** A supervisor's decision on a finding, as the API returns it beside the finding (issue 15). */
export interface ReviewView {
  decision: 'CONFIRMED' | 'DISMISSED';
  reason: string;
  reviewer?: string;
  office?: string;
  officeName?: string;
  at?: string;
}

/** A finding as the API may return it: the record's issue with its fingerprint and review. */
export type ReviewedIssue = ReportRecord['issues'][number] & {
  fingerprint?: string;
  review?: ReviewView | null;
  /** Every decision on the finding, oldest first (drawn when there is more than one). */
  history?: ReviewView[];
};

/** A record whose findings may carry their review (`GET /uploads/{id}`'s `record` under review). */
export type ReviewedRecord = Omit<ReportRecord, 'issues'> & { issues: ReviewedIssue[] };

/** Types of report-view.js for TypeScript callers (check --html, tests); see the module's comment. */
export function render(
  record: ReviewedRecord,
  vocabulary: PageVocabulary,
  options?: {
    idPrefix?: string;
    review?: { status?: string | null; fixed?: ReviewedIssue[] } | null;
  },
): string;

export function reviewState(issue: ReviewedIssue | null | undefined): 'OPEN' | 'CONFIRMED' | 'DISMISSED';
export function reviewText(issue: ReviewedIssue, vocabulary: PageVocabulary, tag?: string): string;
export function chinaTime(iso: string): string;
export function reviewedView(answer: unknown): {
  record: ReviewedRecord | null;
  review: { status: string | null; fixed: ReviewedIssue[] } | null;
};
