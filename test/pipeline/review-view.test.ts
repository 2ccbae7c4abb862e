import { describe, expect, it } from 'vitest';
import { reviewStatus, reviewView } from '../../functions/pipeline/review.ts';
import type { Decision, ReviewDecision } from '../../functions/pipeline/review-decision.ts';
import { failedRecord, type Issue, type ReportRecord, withIssues } from '../../functions/report/index.ts';

/** The derived review view: the latest decision per fingerprint, the review status, fixed findings. */
const base = failedRecord(
  { file: 'x.pdf', bytes: new Uint8Array([1]), agencyId: 'hongze-edu' },
  'FILE_EMPTY',
  'e',
);
const readable: ReportRecord = {
  ...base,
  status: 'VALID',
  failure: null,
  issues: [],
  summary: { errors: 0, warnings: 0 },
};
const issue = (code: Issue['code'], severity: Issue['severity'], actual: number): Issue => ({
  code,
  severity,
  section: 3,
  actual,
  message: `${code} ${actual}`,
});
const record = withIssues(readable, [
  issue('REQUESTS_BALANCE', 'error', 1),
  issue('REQUESTS_RESULT_TOTAL', 'error', 2),
  issue('CELL_MISSING', 'warning', 3),
  issue('UNUSUAL_CHANGE', 'info', 4),
]);
const [e1, e2, w, info] = record.issues.map((i) => i.fingerprint as string);

let clock = 0;
const decide = (
  fingerprint: string | undefined,
  decision: Decision,
  code = 'REQUESTS_BALANCE',
): ReviewDecision => ({
  agencyId: 'hongze-edu',
  year: 2022,
  fingerprint: fingerprint as string,
  code,
  decision,
  reason: decision === 'DISMISSED' ? '无需更正' : '请更正',
  reviewer: 'r',
  office: 'hongze-office',
  at: new Date(Date.UTC(2026, 11, 1, 0, 0, clock++)).toISOString(),
  objectKey: 'incoming/hongze-edu/2022/a.pdf',
  versionId: null,
});
const statusOf = (r: ReportRecord, decisions: ReviewDecision[]) => reviewView(r, decisions).reviewStatus;

describe('reviewStatus', () => {
  it('is PENDING_REVIEW while an error is undecided', () => {
    expect(statusOf(record, [])).toBe('PENDING_REVIEW');
    expect(statusOf(record, [decide(e1, 'DISMISSED')])).toBe('PENDING_REVIEW');
  });

  it('is ACCEPTED when every error is dismissed, whatever is open among warnings and information', () => {
    expect(statusOf(record, [decide(e1, 'DISMISSED'), decide(e2, 'DISMISSED')])).toBe('ACCEPTED');
    expect(statusOf(readable, [])).toBe('ACCEPTED');
  });

  it('is CHANGES_REQUESTED when an error or a warning is confirmed', () => {
    expect(statusOf(record, [decide(e1, 'CONFIRMED')])).toBe('CHANGES_REQUESTED');
    expect(statusOf(record, [decide(e1, 'DISMISSED'), decide(e2, 'DISMISSED'), decide(w, 'CONFIRMED')])).toBe(
      'CHANGES_REQUESTED',
    );
  });

  it('follows the latest decision on a finding, and ignores information findings', () => {
    expect(
      statusOf(record, [decide(e1, 'CONFIRMED'), decide(e1, 'DISMISSED'), decide(e2, 'DISMISSED')]),
    ).toBe('ACCEPTED');
    expect(statusOf(record, [decide(info, 'CONFIRMED')])).toBe('PENDING_REVIEW');
  });

  it('is null for a FAILED record: nothing was read', () => {
    expect(reviewStatus(base, new Map())).toBeNull();
    expect(reviewView(base, [decide(e1, 'CONFIRMED')]).fixed).toEqual([]);
  });
});

describe('reviewView', () => {
  it('shows each finding’s latest decision and history, and a confirmed finding that went as fixed', () => {
    const gone = decide('00000000000000aa', 'CONFIRMED', 'CELL_MISSING');
    const dismissedGone = decide('00000000000000bb', 'DISMISSED');
    const view = reviewView(record, [decide(e1, 'DISMISSED'), decide(e1, 'CONFIRMED'), gone, dismissedGone]);
    expect(view.issues.map((i) => i.fingerprint)).toEqual([e1, e2, w, info]);
    expect(view.issues[0]?.review?.decision).toBe('CONFIRMED');
    expect(view.issues[0]?.history.map((h) => h.decision)).toEqual(['DISMISSED', 'CONFIRMED']);
    expect(view.issues[1]?.review).toBeNull();
    expect(view.fixed).toEqual([
      {
        fingerprint: '00000000000000aa',
        code: 'CELL_MISSING',
        review: {
          decision: 'CONFIRMED',
          reason: '请更正',
          reviewer: 'r',
          office: 'hongze-office',
          at: gone.at,
        },
        objectKey: gone.objectKey,
        versionId: null,
      },
    ]);
  });
});
