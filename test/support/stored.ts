import type { StoredRecord } from '../../functions/pipeline/table-layout.ts';
import type { ReportRecord } from '../../functions/report/index.ts';

/** A record as the store holds it right after its first write: revision 0, never re-evaluated or notified. */
export const firstRevision = (record: ReportRecord): StoredRecord => ({
  record,
  revision: 0,
  reevaluatedBecause: null,
  notifiedRevision: null,
});
