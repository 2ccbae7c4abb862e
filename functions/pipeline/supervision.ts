import { deadlineFor } from './cross-year.ts';
import type { Agency, Office, Registry } from './registry.ts';

export type { Office } from './registry.ts';

/**
 * The supervision tree of the registry: offices (政务公开办) supervise agencies and other offices, e.g. a
 * city's office supervises the county offices and the city government's own report; a county's office
 * supervises the county's departments and towns. An agency may have more than one supervising office.
 */

export class RegistryTreeError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`agency registry: ${problems.join('; ')}`);
    this.problems = problems;
    this.name = 'RegistryTreeError';
  }
}

/**
 * Checks the tree at start-up: ids unique across offices and agencies, every `supervisedBy` naming a
 * registered office, every agency with at least one supervising office, and no office above itself.
 * Throws one error listing every problem with the ids involved.
 */
export function validateTree(registry: Registry): void {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const { id } of [...registry.offices, ...registry.agencies]) seen.set(id, (seen.get(id) ?? 0) + 1);
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  if (duplicated.length > 0) problems.push(`ids registered more than once: ${duplicated.join(', ')}`);

  const offices = new Set(registry.offices.map((o) => o.id));
  const agencies = new Set(registry.agencies.map((a) => a.id));
  for (const body of [...registry.offices, ...registry.agencies]) {
    for (const parent of body.supervisedBy) {
      if (offices.has(parent)) continue;
      problems.push(
        agencies.has(parent)
          ? `${body.id} is supervised by ${parent}, which is an agency, not an office`
          : `${body.id} is supervised by unknown office ${parent}`,
      );
    }
  }
  const orphans = registry.agencies.filter((a) => a.supervisedBy.length === 0).map((a) => a.id);
  if (orphans.length > 0) problems.push(`agencies with no supervising office: ${orphans.join(', ')}`);
  for (const cycle of officeCycles(registry)) problems.push(`supervision cycle: ${cycle.join(' → ')}`);
  if (problems.length > 0) throw new RegistryTreeError(problems);
}

/** Each cycle among offices once, as the path that closes it (a → b → a). */
function officeCycles(registry: Registry): string[][] {
  const parents = new Map(registry.offices.map((o) => [o.id, o.supervisedBy]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[][] = [];
  const visit = (id: string, path: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'open') {
      cycles.push([...path.slice(path.indexOf(id)), id]);
      return;
    }
    state.set(id, 'open');
    for (const parent of parents.get(id) ?? []) visit(parent, [...path, id]);
    state.set(id, 'done');
  };
  for (const office of registry.offices) visit(office.id, []);
  return cycles;
}

interface Tree {
  offices: Map<string, Office>;
  agencies: Map<string, Agency>;
  /** Office id → the offices it supervises directly. */
  childOffices: Map<string, string[]>;
  /** Office id → the agencies it supervises directly. */
  childAgencies: Map<string, string[]>;
}

// Built once per registry object: a province's registry is walked for every status request.
const trees = new WeakMap<Registry, Tree>();
function treeOf(registry: Registry): Tree {
  let tree = trees.get(registry);
  if (tree !== undefined) return tree;
  const push = (map: Map<string, string[]>, key: string, value: string) => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
  };
  tree = {
    offices: new Map(registry.offices.map((o) => [o.id, o])),
    agencies: new Map(registry.agencies.map((a) => [a.id, a])),
    childOffices: new Map(),
    childAgencies: new Map(),
  };
  for (const o of registry.offices) for (const p of o.supervisedBy) push(tree.childOffices, p, o.id);
  for (const a of registry.agencies) for (const p of a.supervisedBy) push(tree.childAgencies, p, a.id);
  trees.set(registry, tree);
  return tree;
}

export function findOffice(registry: Registry, id: string): Office | null {
  return treeOf(registry).offices.get(id) ?? null;
}

/** The office and every office below it (each once, the office itself first). */
export function officesUnder(registry: Registry, officeId: string): Office[] {
  const tree = treeOf(registry);
  const found = new Set<string>();
  const queue = tree.offices.has(officeId) ? [officeId] : [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (found.has(id)) continue;
    found.add(id);
    queue.push(...(tree.childOffices.get(id) ?? []));
  }
  return [...found].map((id) => tree.offices.get(id) as Office);
}

/** Every agency the office supervises, directly or through the offices below it, in registry order. */
export function agenciesUnder(registry: Registry, officeId: string): Agency[] {
  const tree = treeOf(registry);
  const ids = new Set<string>();
  for (const office of officesUnder(registry, officeId)) {
    for (const id of tree.childAgencies.get(office.id) ?? []) ids.add(id);
  }
  return registry.agencies.filter((a) => ids.has(a.id));
}

/** The offices supervising an agency, directly or above (nearest first); empty for an unknown agency. */
export function supervisingOffices(registry: Registry, agencyId: string): Office[] {
  const tree = treeOf(registry);
  const found = new Set<string>();
  const queue = [...(tree.agencies.get(agencyId)?.supervisedBy ?? [])];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (found.has(id)) continue;
    found.add(id);
    queue.push(...(tree.offices.get(id)?.supervisedBy ?? []));
  }
  return [...found].flatMap((id) => tree.offices.get(id) ?? []);
}

/** Whether the office supervises the agency, directly or through offices below it. */
export function supervises(registry: Registry, officeId: string, agencyId: string): boolean {
  return supervisingOffices(registry, agencyId).some((o) => o.id === officeId);
}

/**
 * When the agency's report on `year` is due (条例第四十九条): 31 January of the next year for a
 * department, 31 March for a people's government's own report, end of that day in China. The rule itself
 * lives with the lateness check in cross-year.ts.
 */
export function deadlineOf(agency: Pick<Agency, 'kind'>, year: number): Date {
  return deadlineFor(year, agency.kind);
}
