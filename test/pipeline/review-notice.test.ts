import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoReviewStore } from '../../functions/adapters/dynamo-review-store.ts';
import type { Decision } from '../../functions/pipeline/review-decision.ts';
import type { ReportRecord } from '../../functions/report/index.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { fixturePath } from '../support/fixtures.ts';

/**
 * A finding a reviewer dismissed is not announced again: the local pipeline (the parse Lambda's handler,
 * the real record and review stores on dynalite) uploads the same report again under another key of the
 * same agency-year, and the notice leaves the dismissed findings out, or is not sent at all.
 */
let pipeline: LocalPipeline;
let reviews: DynamoReviewStore;
beforeAll(async () => {
  pipeline = await LocalPipeline.start({ dir: null });
  reviews = pipeline.deps.reviews;
}, 60_000);
afterAll(() => pipeline?.stop());

const bytes = readFileSync(fixturePath('synthetic', 'requests-result-total-broken-social-welfare.pdf'));
const upload = (agencyId: string) =>
  pipeline.upload(agencyId, `2022/${randomUUID()}-requests-result-total-broken-social-welfare.pdf`, bytes);
const sentTo = (agencyId: string) =>
  pipeline.deps.outbox.sent.filter((n) => n.topic === `agency-${agencyId}`);

async function decideAll(record: ReportRecord, decision: Decision, which: (severity: string) => boolean) {
  for (const issue of record.issues.filter((i) => which(i.severity))) {
    await reviews.decide({
      agencyId: record.agencyId as string,
      year: 2022,
      fingerprint: issue.fingerprint as string,
      code: issue.code,
      decision,
      reason: '复核意见',
      reviewer: 'reviewer-1',
      office: 'hongze-office',
      at: new Date().toISOString(),
      objectKey: record.upload?.key as string,
      versionId: record.upload?.versionId ?? null,
    });
  }
}

describe('notices and dismissed findings', () => {
  it('sends no second notice for a report whose every finding was dismissed', async () => {
    const first = await upload('hongze-edu');
    expect(sentTo('hongze-edu')).toHaveLength(1);
    const record = (await pipeline.record(first)) as ReportRecord;
    expect(record.status).toBe('INVALID');
    await decideAll(record, 'DISMISSED', (s) => s !== 'info');

    const again = await upload('hongze-edu');
    expect((await pipeline.record(again))?.status).toBe('INVALID');
    expect(sentTo('hongze-edu')).toHaveLength(1);
    // Its notice was never sent, on purpose: a restart does not take it for one a crash cut short.
    expect(await pipeline.resume()).toBe(0);
    expect(sentTo('hongze-edu')).toHaveLength(1);
  });

  it('leaves dismissed findings out of the list, says how many, and keeps the record’s counts', async () => {
    const first = await upload('qinghe-guangming');
    const record = (await pipeline.record(first)) as ReportRecord;
    const warnings = record.issues.filter((i) => i.severity === 'warning');
    const errors = record.issues.filter((i) => i.severity === 'error');
    expect(warnings.length).toBeGreaterThan(0);
    await decideAll(record, 'DISMISSED', (s) => s === 'warning');
    // A later confirmation outweighs an earlier dismissal: only the latest decision counts.
    await decideAll(record, 'DISMISSED', (s) => s === 'error');
    await decideAll(record, 'CONFIRMED', (s) => s === 'error');

    await upload('qinghe-guangming');
    const notices = sentTo('qinghe-guangming');
    expect(notices).toHaveLength(2);
    const message = notices[1]?.message ?? '';
    expect(message).toContain(`问题：错误 ${record.summary.errors} 项，警告 ${record.summary.warnings} 项`);
    expect(message).toContain(`已核销 ${warnings.length} 项`);
    const listed = message.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(listed).toHaveLength(errors.length);
    expect(notices[1]?.attributes.codes).toEqual([...new Set(errors.map((i) => i.code))]);
  });
});
