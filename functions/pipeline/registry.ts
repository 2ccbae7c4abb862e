import { z } from 'zod';
import registryJson from '../../config/agencies.json' with { type: 'json' };
import { AGENCY_ID, AGENCY_ID_RULE } from './keys.ts';

/**
 * The agency registry (config/agencies.json): who may upload, what kind of body each is (a people's
 * government's own report is due later than a department's), and which supervisors are subscribed to
 * its topic. The CDK stack makes one SNS topic per agency from it; the parse step reads it to route.
 */
export const Agency = z.strictObject({
  id: z.string().regex(AGENCY_ID, `agency id: ${AGENCY_ID_RULE}`),
  name: z.string().min(1),
  kind: z.enum(['government', 'department']),
  supervisors: z.array(z.email()),
  /** The offices that supervise this agency (ids of `offices`). */
  supervisedBy: z.array(z.string()).optional(),
});
export type Agency = z.infer<typeof Agency>;

/** A supervising office (e.g. a county's 政务公开办): its own topic, subscribed by its supervisors. */
export const Office = z.strictObject({
  id: z.string().regex(AGENCY_ID, `office id: ${AGENCY_ID_RULE}`),
  name: z.string().min(1),
  supervisors: z.array(z.email()),
  /** The offices above this one. */
  supervisedBy: z.array(z.string()),
});
export type Office = z.infer<typeof Office>;

export const Registry = z
  .strictObject({
    operators: z.array(z.email()),
    offices: z.array(Office).optional(),
    agencies: z.array(Agency),
  })
  .refine(
    (r) => new Set(r.agencies.map((a) => a.id)).size === r.agencies.length,
    'agency ids must be unique',
  );
export type Registry = z.infer<typeof Registry>;

export function parseRegistry(json: unknown): Registry {
  return Registry.parse(json);
}

/**
 * The registry of this deployment, config/agencies.json, validated: the one loader of the parse Lambda
 * (which esbuild bundles the JSON into), the local run, the CDK app and the tests. A bad file fails here,
 * at start-up or synth, with zod's message naming the field.
 */
export function loadRegistry(): Registry {
  return parseRegistry(registryJson);
}

export function findAgency(registry: Registry, id: string | null): Agency | null {
  return id === null ? null : (registry.agencies.find((a) => a.id === id) ?? null);
}
