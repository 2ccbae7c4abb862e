import { z } from 'zod';
import registryJson from '#registry' with { type: 'json' };
import { AGENCY_ID, AGENCY_ID_RULE } from './keys.ts';
import { validateTree } from './supervision.ts';

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
