import type { RecordStore, SaveResult } from '../../functions/pipeline/ports.ts';
import type { ReportRecord } from '../../functions/report/record.ts';
import { uploadRecord } from '../support/submissions.ts';

/** A real record (test/support/submissions.ts: a text report through the real extractor and checks). */
export async function storedRecordOf(
  agencyId: string,
  year: number,
  kind: 'valid' | 'invalid' | 'failed',
  at = `${year + 1}-01-10T10:00:00+08:00`,
): Promise<ReportRecord> {
  let saved: ReportRecord | null = null;
  const keep: Pick<RecordStore, 'save'> = {
    save: async (record) => {
      saved = record;
      return {} as SaveResult;
    },
  };
  await uploadRecord(keep as RecordStore, agencyId, year, at, kind);
  if (saved === null) throw new Error('no record');
  return saved;
}
