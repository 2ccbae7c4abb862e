import fc from 'fast-check';
import { REQUEST_ROW_KEYS } from '../../functions/report/index.ts';
import type { Truth } from './fixtures.ts';
import { consistentAppeals, consistentRequests, type ReportSpec } from './report-builder.ts';

/**
 * The consistent reports the properties of issue 23's forms draw: what fast-check draws (kept as plain
 * numbers, so that a counterexample can be written down and replayed as a fixed case), the report it
 * makes, and the truth a reader must reach on it.
 */
export interface ReportDraws {
  /** Per result row (21), the counts of the six applicant columns. */
  results: number[][];
  carriedFrom: number[];
  carriedNext: number[];
  /** Per appeals group (3): 结果维持, 结果纠正, 其他结果, 尚未审结. */
  appeals: number[][];
  year: number;
}

const six = (max: number) => fc.array(fc.integer({ min: 0, max }), { minLength: 6, maxLength: 6 });

export const reportDraws: fc.Arbitrary<ReportDraws> = fc.record({
  results: fc.array(six(40), { minLength: 21, maxLength: 21 }),
  carriedFrom: six(20),
  carriedNext: six(20),
  appeals: fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 4, maxLength: 4 }), {
    minLength: 3,
    maxLength: 3,
  }),
  year: fc.integer({ min: 2021, max: 2025 }),
});

export const specOf = (d: ReportDraws): ReportSpec => ({
  agency: '临江市桥东区人力资源和社会保障局',
  year: d.year,
  requests: consistentRequests(d.results, d.carriedFrom, d.carriedNext),
  appeals: consistentAppeals(d.appeals),
});

export const reportSpec: fc.Arbitrary<ReportSpec> = reportDraws.map(specOf);

/** A generated report's truth: every number renderReport prints (table 二 at its defaults), no issue. */
export function truthOfSpec(spec: ReportSpec): Truth {
  const docs = spec.proactive?.normativeDocuments ?? [1, 0, 12];
  const [issued, repealed, inForce] = spec.proactive?.regulations ?? [0, 0, 0];
  return {
    agency: spec.agency,
    year: spec.year,
    template: '2021',
    proactive: {
      regulations: { issued, repealed, inForce },
      normativeDocuments: { issued: docs[0], repealed: docs[1], inForce: docs[2] },
      licensing: spec.proactive?.licensing ?? 35,
      penalties: spec.proactive?.penalties ?? 4,
      coercion: 0,
      feesTenThousandYuan: 0.5,
    },
    // The 2019 template's one （六） row is not printed on the 2021 template.
    requests: Object.fromEntries(
      REQUEST_ROW_KEYS.filter((k) => k !== 'otherTotal2019').map((k) => [k, { ...spec.requests[k] }]),
    ) as Truth['requests'],
    appeals: spec.appeals as Truth['appeals'],
    expectedIssues: [],
  };
}
