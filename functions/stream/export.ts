import { EXPORTS_PREFIX } from '../pipeline/keys.ts';
import type { ReportChange } from './contract.ts';

/**
 * The example downstream job: every new or re-parsed report version, as one JSON line, in an object per
 * stream batch under `exports/records/date=YYYY-MM-DD/` for analytics (Athena, Glue, a spreadsheet).
 * Bookkeeping-only changes and `current` pointer items are left out, so each version appears once per
 * parse. The key is derived from the batch, so a retried batch overwrites its own object.
 */
export function exportBatch(
  changes: readonly ReportChange[],
  now: Date,
): { key: string; body: string } | null {
  const rows = changes.filter((c) => c.itemType === 'version' && c.record !== null && !c.recordUnchanged);
  const first = rows[0];
  if (first === undefined) return null;
  const day = now.toISOString().slice(0, 10);
  const body = rows
    .map((c) => JSON.stringify({ eventName: c.eventName, sequenceNumber: c.sequenceNumber, ...c.record }))
    .join('\n');
  return { key: `${EXPORTS_PREFIX}records/date=${day}/${first.sequenceNumber}.jsonl`, body: `${body}\n` };
}
