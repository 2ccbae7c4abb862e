import { z } from 'zod';
import registryJson from '#registry' with { type: 'json' };
import { AGENCY_ID, AGENCY_ID_RULE } from './keys.ts';

/**
 * The agency registry (config/agencies.json): who may upload, what kind of body each is (a people's
 * government's own report is due later than a department's), which supervisors are subscribed to its
 * topic, and the supervision tree: the offices (政务公开办) and which office(s) supervise each agency and
 * each office. Offices and agencies share one id namespace and the agency-id rule.
 */
const Id = z.string().regex(AGENCY_ID, `id: ${AGENCY_ID_RULE}`);

/**
 * A group robot that also receives the owner's notices (企业微信 wecom, 钉钉 dingtalk, 飞书 feishu):
 * `secret` names the Secrets Manager secret (under the stack's `{stack}/webhooks/` prefix) that holds
 * `{"url": …, "secret": …}`; the registry, which is committed and bundled, never holds the URL itself.
 */
export const Webhook = z.strictObject({
  robot: z.enum(['wecom', 'dingtalk', 'feishu']),
  secret: z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,200}$/, 'secret: a Secrets Manager secret name'),
});
export type Webhook = z.infer<typeof Webhook>;

export const Agency = z.strictObject({
  id: Id,
  name: z.string().min(1),
  kind: z.enum(['government', 'department']),
  supervisors: z.array(z.email()),
  /** The offices that supervise this agency directly (at least one; checked by validateTree). */
  supervisedBy: z.array(Id).default([]),
  webhook: Webhook.optional(),
});
export type Agency = z.infer<typeof Agency>;

/** A supervising office: its own people (subscribed to its topic) and the offices above it. */
export const Office = z.strictObject({
  id: Id,
  name: z.string().min(1),
  supervisors: z.array(z.email()),
  /** The offices above this one; empty for a root office (e.g. a city's or a province's). */
  supervisedBy: z.array(Id).default([]),
  webhook: Webhook.optional(),
});
export type Office = z.infer<typeof Office>;

export const Registry = z.strictObject({
  operators: z.array(z.email()),
  offices: z.array(Office).default([]),
  agencies: z.array(Agency),
});
export type Registry = z.infer<typeof Registry>;

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

/** The registry, its fields checked by zod and its tree by validateTree: a bad file fails with the ids. */
export function parseRegistry(json: unknown): Registry {
  const registry = Registry.parse(json);
  validateTree(registry);
  return registry;
}

/**
 * The registry of this deployment, config/agencies.json, validated: the one loader of the parse Lambda
 * (which esbuild bundles the JSON into), the local run, the CDK app and the tests. A bad file fails here,
 * at start-up or synth, with zod's message naming the field or the tree's naming the ids.
 */
export function loadRegistry(): Registry {
  return parseRegistry(registryJson);
}

export function findAgency(registry: Registry, id: string | null): Agency | null {
  return id === null ? null : (registry.agencies.find((a) => a.id === id) ?? null);
}
