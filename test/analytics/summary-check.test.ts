import { describe, expect, it } from 'vitest';
import { CELL_COLUMNS } from '../../functions/analytics/columns.ts';
import { cellValue } from '../../functions/analytics/rows.ts';
import { type Candidate, officeSummary, type SummarySource } from '../../functions/analytics/summary.ts';
import type { Registry } from '../../functions/pipeline/registry.ts';
import type { ReviewDecision } from '../../functions/pipeline/review-decision.ts';
import type { ReportRecord } from '../../functions/report/record.ts';
import { storedRecordOf } from './records.ts';

/**
 * The 汇总 rules on real records (test/support/submissions.ts) behind an in-memory source: which version of a
 * body counts, why a body is left out, and the sums' arithmetic checked by the template's rules.
 */
const registry: Registry = {
  operators: [],
  offices: [
    { id: 'city', name: '市政务公开办', supervisors: [], supervisedBy: [] },
    { id: 'county', name: '县政务公开办', supervisors: [], supervisedBy: ['city'] },
  ],
  agencies: [
    { id: 'a', name: '甲局', kind: 'department', supervisors: [], supervisedBy: ['city'] },
    { id: 'b', name: '乙局', kind: 'department', supervisors: [], supervisedBy: ['county'] },
    { id: 'c', name: '丙局', kind: 'department', supervisors: [], supervisedBy: ['county'] },
  ],
};

const candidate = (record: ReportRecord, at: string): Candidate => ({
  objectKey: record.upload?.key ?? '',
  status: record.status,
  uploadedAt: at,
  template: record.template,
  load: async () => ({ tables: record, issues: record.issues, template: record.template }),
});

function source(
  uploads: Record<string, Candidate[]>,
  decisions: Record<string, ReviewDecision[]> = {},
): SummarySource {
  return { candidates: async (id) => uploads[id] ?? [], decisions: async (id) => decisions[id] ?? [] };
}

const dismissAll = (record: ReportRecord): ReviewDecision[] =>
  record.issues
    .filter((i) => i.severity === 'error')
    .map((i) => ({
      agencyId: record.agencyId ?? '',
      year: 2024,
      fingerprint: i.fingerprint ?? '',
      code: i.code,
      decision: 'DISMISSED',
      reason: '已核实',
      reviewer: 'r',
      office: 'city',
      at: '2025-02-01T00:00:00.000Z',
      objectKey: record.upload?.key ?? '',
      versionId: null,
    }));

describe('the 汇总 of an office', () => {
  it('counts the newest valid version of each body over the whole subtree, and says why others are out', async () => {
    const validA = await storedRecordOf('a', 2024, 'valid');
    const invalidA = await storedRecordOf('a', 2024, 'invalid');
    const failedB = await storedRecordOf('b', 2024, 'failed');
    const summary = await officeSummary(
      registry,
      'city',
      2024,
      source({
        // a: a newer invalid upload over an older valid one; the valid one counts.
        a: [candidate(invalidA, '2025-01-20T00:00:00Z'), candidate(validA, '2025-01-10T00:00:00Z')],
        b: [candidate(failedB, '2025-01-05T00:00:00Z')],
      }),
    );
    expect(summary.included.map((b) => [b.agencyId, b.status])).toEqual([['a', 'VALID']]);
    expect(summary.excluded.map((b) => [b.agencyId, b.reason, b.status])).toEqual([
      ['b', 'FAILED', 'FAILED'],
      ['c', 'NOT_SUBMITTED', null],
    ]);
    for (const c of CELL_COLUMNS) expect(cellValue(summary.tables, c)).toBe(cellValue(validA, c));
    expect(summary.issues).toEqual([]);
    expect(summary.counts).toEqual({ bodies: 3, included: 1, NOT_SUBMITTED: 1, FAILED: 1, NOT_ACCEPTED: 0 });
  });

  it('counts an invalid report once every error is dismissed, and checks the sums it then makes', async () => {
    const valid = await storedRecordOf('a', 2024, 'valid');
    // sampleSpec with newReceived.total = 99: the row and the balance do not add up.
    const invalid = await storedRecordOf('b', 2024, 'invalid');
    const uploads = {
      a: [candidate(valid, '2025-01-10T00:00:00Z')],
      b: [candidate(invalid, '2025-01-11T00:00:00Z')],
    };
    const pending = await officeSummary(registry, 'city', 2024, source(uploads));
    expect(pending.excluded.find((b) => b.agencyId === 'b')).toMatchObject({
      reason: 'NOT_ACCEPTED',
      reviewStatus: 'PENDING_REVIEW',
    });
    expect(pending.issues).toEqual([]);

    const accepted = await officeSummary(registry, 'city', 2024, source(uploads, { b: dismissAll(invalid) }));
    expect(accepted.included.map((b) => [b.agencyId, b.reviewStatus])).toEqual([
      ['a', 'ACCEPTED'],
      ['b', 'ACCEPTED'],
    ]);
    // The accepted report's wrong total carries into the sums, and the sums' own check says so.
    const codes = accepted.issues.map((i) => [i.code, i.row, i.column]);
    expect(codes).toContainEqual(['REQUESTS_ROW_TOTAL', 'newReceived', 'total']);
    expect(codes.map((c) => c[0])).toContain('REQUESTS_BALANCE');
    const total = accepted.issues.find((i) => i.code === 'REQUESTS_ROW_TOTAL');
    expect(total?.actual).toBe(99 + (valid.requests?.newReceived?.total ?? 0));
    expect(total?.message).toMatch(/第三部分表格/);
  });

  it('sums only the subtree asked for', async () => {
    const valid = await storedRecordOf('a', 2024, 'valid');
    const summary = await officeSummary(
      registry,
      'county',
      2024,
      source({ a: [candidate(valid, '2025-01-10T00:00:00Z')] }),
    );
    expect(summary.counts.bodies).toBe(2);
    expect(summary.included).toEqual([]);
    expect(summary.tables).toEqual({ proactive: null, proactive2019: null, requests: null, appeals: null });
    expect(summary.indicators.disclosureRate).toBeNull();
  });
});
