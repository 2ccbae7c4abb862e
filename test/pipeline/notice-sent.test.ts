import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendNotice } from '../../functions/pipeline/notice.ts';
import { uploadPk, versionSk } from '../../functions/pipeline/table-layout.ts';
import { ReportRecord } from '../../functions/report/index.ts';
import { decodeItem } from '../../functions/stream/items.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';

/**
 * A notice whose claim says `sent` is not published again (issue 22 test gap: two deliveries racing, the
 * second finding the first's mark, sent a second copy and no test saw it). On the local stack: an INVALID
 * upload's notice goes out once; the same stored revision handed to sendNotice again sends nothing.
 */
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '..', 'fixtures', name));

describe('a notice already marked sent', () => {
  it('is not published again when its revision is delivered once more', async () => {
    const pipeline = await LocalPipeline.start({ dir: mkdtempSync(path.join(tmpdir(), 'sent-')) });
    try {
      const key = await pipeline.upload(
        'qinghe-guangming',
        '2022/年报.txt',
        fixture('synthetic/appeals-litigation-direct-total-broken.txt'),
      );
      const { deps } = pipeline;
      expect(deps.outbox.sent).toHaveLength(1);
      const current = await pipeline.record(key);
      expect(current?.status).toBe('INVALID');
      const item = await deps.records.item(uploadPk(key), versionSk(current?.upload?.versionId ?? null));
      const stored = decodeItem(item, (json) => ReportRecord.parse(json));
      expect(stored?.notifiedRevision).toBe(stored?.revision);
      if (stored === null) throw new Error('no stored version');
      const topic = await sendNotice(stored, {
        records: deps.records,
        notifier: deps.outbox,
        registry: deps.registry,
        reviews: deps.reviews,
        noticeLeaseMs: 0,
      });
      expect(topic).toBeNull();
      expect(deps.outbox.sent).toHaveLength(1);
    } finally {
      await pipeline.stop();
    }
  }, 60_000);
});
