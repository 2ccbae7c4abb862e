import { createHash } from 'node:crypto';
import type { Issue } from './record.ts';

/**
 * A finding's identity across uploads: the same report uploaded again (another file format, another
 * version, another key) yields the same fingerprint for the same finding, so a reviewer's decision on it
 * is found again. Built from the code, the place and the values involved; never from the message (its
 * wording may change between parser versions) or the severity (a rule may be re-graded without the finding
 * becoming another one). 16 hex characters (64 bits): unique among one agency-year's few hundred findings.
 */
export function findingFingerprint(issue: Issue): string {
  // An array in a fixed order, with null for an absent part: key order and undefined can never shift it.
  const canonical = JSON.stringify([
    issue.code,
    issue.section,
    issue.table ?? null,
    issue.row ?? null,
    issue.column ?? null,
    issue.group ?? null,
    issue.expected ?? null,
    issue.actual ?? null,
    issue.count ?? null,
    (issue.cells ?? []).map((c) => [c.row ?? null, c.group ?? null, c.column ?? null]),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** The issues with their fingerprints set (recomputed, so a changed issue never keeps a stale one). */
export function fingerprinted(issues: readonly Issue[]): Issue[] {
  return issues.map((issue) => ({ ...issue, fingerprint: findingFingerprint(issue) }));
}
