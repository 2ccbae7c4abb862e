import type { Agency, Office, Registry } from './registry.ts';

/**
 * The supervision tree of the registry: offices (政务公开办) supervise agencies and other offices, e.g. a
 * city's office supervises the county offices and the city government's own report; a county's office
 * supervises the county's departments and towns. An agency may have more than one supervising office.
 */

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
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    if (found.has(id)) continue;
    found.add(id);
    queue.push(...(tree.childOffices.get(id) ?? []));
  }
  return [...found].flatMap((id) => tree.offices.get(id) ?? []);
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
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
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
