import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dismissedFor } from '../../functions/pipeline/notice.ts';
import { needsNotification } from '../../functions/pipeline/notification.ts';
import { fingerprintOf } from '../../functions/pipeline/review.ts';
import { submissionYear } from '../../functions/pipeline/table-layout.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';

/**
 * Review decisions belong to the year a report was declared for at upload, not the year it states
 * (issue 22 test gap: looked up under the stated year, the dismissed findings of a report declared for
 * another year were announced again and no test saw it).
 */
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '..', 'fixtures', name));

describe('review decisions of a report declared for another year than it states', () => {
  it('are found under the declared year: dismissed findings are not announced again', async () => {
    const pipeline = await LocalPipeline.start({ dir: mkdtempSync(path.join(tmpdir(), 'review-year-')) });
    try {
      // A report that states 2022, uploaded as the 2023 report.
      const key = await pipeline.upload(
        'qinghe-guangming',
        '2023/年报.txt',
        fixture('synthetic/appeals-litigation-direct-total-broken.txt'),
      );
      const record = await pipeline.record(key);
      if (record === null) throw new Error('no record');
      expect(record.year).toBe(2022);
      expect(submissionYear(record)).toBe(2023);
      expect(needsNotification(record)).toBe(true);
      for (const issue of record.issues) {
        await pipeline.deps.reviews.decide({
          agencyId: 'qinghe-guangming',
          year: 2023,
          fingerprint: fingerprintOf(issue),
          code: issue.code,
          decision: 'DISMISSED',
          reason: '已核实',
          reviewer: 'reviewer-1',
          office: 'qinghe-office',
          at: new Date().toISOString(),
          objectKey: key,
          versionId: record.upload?.versionId ?? null,
        });
      }
      const dismissed = await dismissedFor(record, pipeline.deps.reviews);
      expect(dismissed.size).toBe(new Set(record.issues.map(fingerprintOf)).size);
      expect(needsNotification(record, dismissed)).toBe(false);
    } finally {
      await pipeline.stop();
    }
  }, 60_000);
});
