import type { ReportRecord } from '../report/index.ts';
import { type NoticeDeps, sendNotice } from './notice.ts';
import type { TopicRef } from './ports.ts';
import { gotWorse, reevaluateAgainstPreviousYear } from './reevaluate.ts';
import type { StoredRecord } from './table-layout.ts';

export type ReevaluateOutcome =
  | { kind: 'revised'; stored: StoredRecord; notified: TopicRef | null }
  | { kind: 'unchanged' | 'skipped'; reason: string };

export class RevisionConflict extends Error {
  override name = 'RevisionConflict';
}

/**
 * The agency's latest report of `year` re-evaluated against its latest report of `year - 1`. A change is
 * stored as the next revision with its reason; supervisors hear of it only when the status got worse.
 * Idempotent: a repeated call finds nothing left to change. Throws on a conflicting write (retried).
 */
export async function reevaluateYear(
  agencyId: string,
  year: number,
  deps: NoticeDeps & { now?: () => Date },
): Promise<ReevaluateOutcome> {
  const previous = await deps.records.latest(agencyId, year - 1);
  if (previous === null) return { kind: 'skipped', reason: `no ${year - 1} report of ${agencyId}` };
  const target = await deps.records.latest(agencyId, year);
  if (target === null) return { kind: 'skipped', reason: `no ${year} report of ${agencyId}` };
  const revised = reevaluateAgainstPreviousYear(target.record, previous.record);
  if (revised === null) return { kind: 'unchanged', reason: 'the cross-year findings already hold' };
  const stored = await deps.records.revise(target, revised, {
    kind: 'previous-year-report',
    objectKey: previous.record.upload?.key ?? previous.record.source.file,
    versionId: previous.record.upload?.versionId ?? null,
    year: year - 1,
    at: (deps.now?.() ?? new Date()).toISOString(),
  });
  if (stored === null) throw new RevisionConflict('the record changed while it was re-evaluated');
  const notified = gotWorse(target.record.status, stored.record.status)
    ? await sendNotice(stored, deps)
    : null;
  return { kind: 'revised', stored, notified };
}

/**
 * A report of year Y was stored, re-parsed or revised (a version item on the table's stream): the
 * agency's year Y+1 report is re-evaluated against it, and Y itself against Y-1. The second closes the
 * race of two neighbouring years parsed at once: whichever is stored last, its stream record finds both.
 */
export async function reevaluateAround(
  changed: ReportRecord,
  deps: NoticeDeps & { now?: () => Date },
): Promise<ReevaluateOutcome[]> {
  const { agencyId, year } = changed;
  if (agencyId === null || year === null) return [{ kind: 'skipped', reason: 'no agency or year' }];
  return [await reevaluateYear(agencyId, year, deps), await reevaluateYear(agencyId, year + 1, deps)];
}
