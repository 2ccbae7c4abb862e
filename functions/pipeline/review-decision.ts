import { z } from 'zod';

/**
 * One reviewer's decision on one finding of an agency's report for a year (docs/supervision.md, "Reviewing findings").
 * Stored as its own item, never by rewriting the record; every decision is kept, the latest per
 * fingerprint counts. Keyed by agency, submission year and fingerprint, so a re-upload of the report
 * (another key, another version, another format) finds it again.
 */
export const DECISIONS = ['CONFIRMED', 'DISMISSED'] as const;
export const Decision = z.enum(DECISIONS);
export type Decision = z.infer<typeof Decision>;

export const REASON_MAX = 500;
export const FINGERPRINT = /^[0-9a-f]{16}$/;

export const ReviewDecision = z.strictObject({
  agencyId: z.string(),
  /** The submission year (the year declared at upload, else the year read): the `bySubmission` year. */
  year: z.number().int(),
  fingerprint: z.string().regex(FINGERPRINT),
  /** The finding's code, so a decision on a finding that later disappeared can still be named. */
  code: z.string(),
  decision: Decision,
  reason: z.string().min(1).max(REASON_MAX),
  /** The reviewer's user name (the token's `sub`). */
  reviewer: z.string(),
  /** The reviewer's office. */
  office: z.string(),
  /** When it was decided (ISO 8601). */
  at: z.string(),
  /** The upload the reviewer was looking at. */
  objectKey: z.string(),
  versionId: z.string().nullable(),
});
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** What a review store keeps: decisions, each written once, read back per agency and year. */
export interface ReviewStore {
  /** Stores one more decision (never replaces one). */
  decide(decision: ReviewDecision): Promise<void>;
  /** Every decision on the agency's findings for a submission year, in any order. */
  decisions(agencyId: string, year: number): Promise<ReviewDecision[]>;
}
