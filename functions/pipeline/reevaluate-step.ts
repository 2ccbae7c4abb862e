import type { ReportRecord } from '../report/index.ts';
import { type NoticeDeps, sendNotice } from './notice.ts';
import type { StoredRecord, TopicRef } from './ports.ts';
import { gotWorse, reevaluateAgainstPreviousYear } from './reevaluate.ts';

export type ReevaluateOutcome =
  | { kind: 'revised'; stored: StoredRecord; notified: TopicRef | null }
  | { kind: 'unchanged' | 'skipped'; reason: string };

export class RevisionConflict extends Error {}

/**
 * A report of year Y-1 was stored (or re-parsed, or revised): the agency's latest report of year Y is
 * re-evaluated against the latest Y-1 report, as the table's stream delivers the change, not by a scan.
 * A change is stored as the next revision with its reason; supervisors hear of it only when the status
 * got worse. Idempotent: a repeated change finds nothing left to change. Throws on a conflicting write
 * (the stream retries it).
 */
export async function reevaluateFollowingYear(
  changed: ReportRecord,
  deps: NoticeDeps & { now?: () => Date },
): Promise<ReevaluateOutcome> {
  const { agencyId, year } = changed;
  if (agencyId === null || year === null) return { kind: 'skipped', reason: 'no agency or year' };
  const previous = await deps.records.latest(agencyId, year);
  if (previous === null) return { kind: 'skipped', reason: `no ${year} report of ${agencyId}` };
  const target = await deps.records.latest(agencyId, year + 1);
  if (target === null) return { kind: 'skipped', reason: `no ${year + 1} report of ${agencyId} yet` };
  const revised = reevaluateAgainstPreviousYear(target.record, previous.record);
  if (revised === null) return { kind: 'unchanged', reason: 'the cross-year findings already hold' };
  const stored = await deps.records.revise(target, revised, {
    kind: 'previous-year-report',
    objectKey: previous.record.upload?.key ?? previous.record.source.file,
    versionId: previous.record.upload?.versionId ?? null,
    year,
    at: (deps.now?.() ?? new Date()).toISOString(),
  });
  if (stored === null) throw new RevisionConflict('the record changed while it was re-evaluated');
  const notified = gotWorse(target.record.status, stored.record.status)
    ? await sendNotice(stored, deps)
    : null;
  return { kind: 'revised', stored, notified };
}
