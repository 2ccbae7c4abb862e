import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../functions/pipeline/registry.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { fixturePath } from '../support/fixtures.ts';

/**
 * Two years of one agency through the local run, as `report-pipeline local` runs them: the second year's
 * record carries the reviewers' cross-year findings, and an info finding sends nobody a message.
 */
let pipeline: LocalPipeline;
beforeAll(async () => {
  pipeline = await LocalPipeline.start({ dir: null, registry: loadRegistry() });
}, 60_000);
afterAll(() => pipeline?.stop());

const bytes = (name: string) => readFileSync(fixturePath('real', name));

describe('two years of 洪泽区 through the local run', () => {
  it('the 2024 report gets UNUSUAL_CHANGE (info) against 2023, stays VALID and sends no message of its own', async () => {
    await pipeline.upload('hongze-gov', 'hongze-2023.pdf', bytes('hongze-2023.pdf'));
    const key = await pipeline.upload('hongze-gov', 'hongze-2024.pdf', bytes('hongze-2024.pdf'));
    const record = await pipeline.record(key);
    expect(record?.status).toBe('VALID');
    const reviewers = new Set([
      'STOCK_FLOW_MISMATCH',
      'CONTENT_REPEATED',
      'UNUSUAL_CHANGE',
      'CARRYOVER_MISMATCH',
    ]);
    expect(
      record?.issues.filter((i) => reviewers.has(i.code)).map((i) => [i.code, i.severity, i.row]),
    ).toEqual([['UNUSUAL_CHANGE', 'info', 'licensing']]);
    // 2023 has a real defect (APPEALS_GROUP_TOTAL) and its message; 2024 gets none.
    expect(pipeline.deps.outbox.sent.map((n) => n.attributes.year)).toEqual(['2023']);
  }, 120_000);
});
