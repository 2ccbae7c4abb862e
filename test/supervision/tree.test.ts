import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadlineOf } from '../../functions/pipeline/deadline.ts';
import {
  loadRegistry,
  parseRegistry,
  type Registry,
  RegistryTreeError,
  validateTree,
} from '../../functions/pipeline/registry.ts';
import { agenciesUnder, supervises, supervisingOffices } from '../../functions/pipeline/supervision.ts';
import { agencyYearStatus } from '../../functions/pipeline/year-status.ts';

const office = (id: string, supervisedBy: string[] = []) => ({
  id,
  name: `${id}政务公开办`,
  supervisors: [],
  supervisedBy,
});
const agency = (id: string, supervisedBy: string[], kind: 'government' | 'department' = 'department') => ({
  id,
  name: `${id}局`,
  kind,
  supervisors: [],
  supervisedBy,
});

/** A city office over two county offices; a town under a county and, jointly, the city. */
const registry: Registry = {
  operators: [],
  offices: [office('city'), office('county-a', ['city']), office('county-b', ['city'])],
  agencies: [
    agency('city-gov', ['city'], 'government'),
    agency('a-edu', ['county-a']),
    agency('a-town', ['county-a', 'city']),
    agency('b-edu', ['county-b']),
  ],
};

const problemsOf = (json: unknown): string[] => {
  try {
    parseRegistry(json);
  } catch (error) {
    if (error instanceof RegistryTreeError) return error.problems;
    throw error;
  }
  return [];
};

describe('the supervision tree is checked at start-up', () => {
  it('accepts the deployment registry and a sound tree', () => {
    const deployed = loadRegistry();
    expect(deployed.offices.length).toBeGreaterThan(0);
    for (const a of deployed.agencies) expect(supervisingOffices(deployed, a.id).length).toBeGreaterThan(0);
    expect(() => validateTree(registry)).not.toThrow();
  });

  it('names unknown offices, agencies used as offices, agencies without an office and duplicate ids', () => {
    const problems = problemsOf({
      operators: [],
      offices: [office('city'), office('county', ['nowhere'])],
      agencies: [
        agency('edu', ['ghost']),
        agency('town', ['edu']),
        { id: 'lonely', name: '无主机关', kind: 'department', supervisors: [] },
        agency('city', ['county']),
      ],
    });
    expect(problems).toEqual([
      'ids registered more than once: city',
      'county is supervised by unknown office nowhere',
      'edu is supervised by unknown office ghost',
      'town is supervised by edu, which is an agency, not an office',
      'agencies with no supervising office: lonely',
    ]);
  });

  it('names a cycle among offices by its path', () => {
    const problems = problemsOf({
      operators: [],
      offices: [office('x', ['z']), office('y', ['x']), office('z', ['y']), office('self', ['self'])],
      agencies: [agency('edu', ['x'])],
    });
    expect(problems).toEqual(['supervision cycle: x → z → y → x', 'supervision cycle: self → self']);
    expect(() => parseRegistry({ operators: [], offices: [office('x', ['x'])], agencies: [] })).toThrow(
      /supervision cycle: x → x/,
    );
  });
});

describe('who supervises whom', () => {
  it('an office sees the agencies below it, directly and through the offices under it', () => {
    const ids = (id: string) => agenciesUnder(registry, id).map((a) => a.id);
    expect(ids('city')).toEqual(['city-gov', 'a-edu', 'a-town', 'b-edu']);
    expect(ids('county-a')).toEqual(['a-edu', 'a-town']);
    expect(ids('county-b')).toEqual(['b-edu']);
    expect(ids('unknown')).toEqual([]);
    expect(supervisingOffices(registry, 'a-town').map((o) => o.id)).toEqual(['county-a', 'city']);
    expect(supervisingOffices(registry, 'b-edu').map((o) => o.id)).toEqual(['county-b', 'city']);
    expect(supervises(registry, 'county-a', 'b-edu')).toBe(false);
  });

  it('agenciesUnder and supervisingOffices agree on random acyclic trees', () => {
    const tree = fc.integer({ min: 1, max: 12 }).chain((offices) =>
      fc.record({
        // Each office but the first names earlier offices as parents: acyclic, one root.
        parents: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 2 }), {
          minLength: offices,
          maxLength: offices,
        }),
        agencies: fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), { maxLength: 20 }),
      }),
    );
    fc.assert(
      fc.property(tree, ({ parents, agencies }) => {
        const n = parents.length;
        const r = parseRegistry({
          operators: [],
          offices: parents.map((ps, i) =>
            office(`o${i}`, i === 0 ? [] : [...new Set(ps.map((p) => `o${p % i}`))]),
          ),
          agencies: agencies.map((ps, i) => agency(`a${i}`, [...new Set(ps.map((p) => `o${p % n}`))])),
        });
        for (const o of r.offices) {
          const under = new Set(agenciesUnder(r, o.id).map((a) => a.id));
          for (const a of r.agencies) {
            expect(under.has(a.id)).toBe(supervisingOffices(r, a.id).some((s) => s.id === o.id));
          }
        }
        // Every agency is under the root office o0: all offices descend from it.
        expect(agenciesUnder(r, 'o0').length).toBe(r.agencies.length);
      }),
    );
  });
});

describe('deadlines: 31 January (departments) and 31 March (governments), end of day in China', () => {
  const edges = [
    ['department', '2025-01-31T23:59:59+08:00', '2025-02-01T00:00:00+08:00'],
    ['government', '2025-03-31T23:59:59+08:00', '2025-04-01T00:00:00+08:00'],
  ] as const;
  for (const [kind, lastMinute, nextDay] of edges) {
    it(`${kind}: on time at 23:59, late at 00:00 the next day; overdue only after the deadline`, () => {
      const body = agency('x', ['city'], kind);
      expect(deadlineOf(body, 2024).getTime()).toBe(new Date(nextDay).getTime() - 1);
      const submitted = (at: string) =>
        agencyYearStatus(
          body,
          2024,
          { status: 'VALID', uploadedAt: at, errors: 0, warnings: 0, mainCodes: [], objectKey: 'k' },
          new Date(nextDay),
        ).timing;
      expect(submitted(new Date(lastMinute).toISOString())).toBe('ON_TIME');
      expect(submitted(new Date(nextDay).toISOString())).toBe('LATE');
      const missing = (now: string) => agencyYearStatus(body, 2024, null, new Date(now));
      expect(missing(lastMinute)).toMatchObject({ status: 'NOT_SUBMITTED', timing: 'OPEN', late: false });
      expect(missing(nextDay)).toMatchObject({ status: 'NOT_SUBMITTED', timing: 'OVERDUE', late: true });
    });
  }
});
