import type { Registry } from '../../functions/pipeline/registry.ts';

/**
 * A province-sized registry: `offices` supervising offices in a tree (a province office over city offices
 * over county offices) and `agencies` reporting bodies spread over them, each with a supervisor or two.
 */
export function generatedRegistry(agencies: number, offices: number): Registry {
  const officeList = Array.from({ length: offices }, (_, i) => ({
    id: `office-${i}`,
    name: `第${i}号政务公开办公室`,
    supervisors: [`office${i}@example.gov.cn`],
    supervisedBy: i === 0 ? [] : [`office-${Math.floor((i - 1) / 10)}`],
  }));
  return {
    operators: ['ops@example.gov.cn'],
    offices: officeList,
    agencies: Array.from({ length: agencies }, (_, i) => ({
      id: `agency-${i}`,
      name: `第${i}号机关`,
      kind: i % 7 === 0 ? ('government' as const) : ('department' as const),
      supervisors: i % 3 === 0 ? [`a${i}@example.gov.cn`, `b${i}@example.gov.cn`] : [`a${i}@example.gov.cn`],
      supervisedBy: [`office-${i % offices}`],
    })),
  };
}
