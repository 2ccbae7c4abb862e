import { expect } from 'vitest';
import { extractDocument } from '../../functions/extract/index.ts';
import type { RecordStore } from '../../functions/pipeline/ports.ts';
import { checkDocument, failedRecord, type ReportRecord } from '../../functions/report/index.ts';
import { sampleSpec } from '../report/helpers.ts';
import { renderReport } from './report-builder.ts';

/**
 * Stored uploads for the supervision tests: a real record (a text report through the real extractor and
 * checks, or a failed extraction's record) under the API's key layout, received at a chosen time.
 */
let sequencer = 0x100;
/** A real record of a text report uploaded through the API's key layout at `at` (China time). */
export async function uploadRecord(
  store: RecordStore,
  agencyId: string,
  year: number,
  at: string,
  kind: 'valid' | 'invalid' | 'failed',
  options: { key?: string; versionId?: string } = {},
) {
  const spec = sampleSpec({ year });
  if (kind === 'invalid') spec.requests.newReceived.total = 99;
  const text = renderReport(spec);
  const bytes = new TextEncoder().encode(`${text}\n${agencyId}${at}`);
  sequencer += 0x10;
  const key = options.key ?? `incoming/${agencyId}/${year}/${crypto.randomUUID()}-年报.txt`;
  const source = {
    file: key,
    bytes,
    agencyId,
    upload: {
      bucket: 'uploads',
      key,
      versionId: options.versionId ?? null,
      sequencer: sequencer.toString(16).toUpperCase().padStart(32, '0'),
      eventTime: new Date(at).toISOString(),
      size: bytes.length,
    },
  };
  const record: ReportRecord =
    kind === 'failed'
      ? failedRecord(source, 'FILE_ENCRYPTED', 'PDF 已加密')
      : checkDocument(source, await extractDocument(bytes));
  expect(record.status).toBe({ valid: 'VALID', invalid: 'INVALID', failed: 'FAILED' }[kind]);
  await store.save(record);
  return key;
}
