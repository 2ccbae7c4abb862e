import { z } from 'zod';
import { AGENCY_ID } from './keys.ts';

/**
 * The agency registry (config/agencies.json): who may upload, what kind of body each is (a people's
 * government's own report is due later than a department's), and which supervisors are subscribed to
 * its topic. The CDK stack makes one SNS topic per agency from it; the parse step reads it to route.
 */
export const Agency = z.strictObject({
  id: z.string().regex(AGENCY_ID, 'agency id: lower-case letters, digits and hyphens'),
  name: z.string().min(1),
  kind: z.enum(['government', 'department']),
  supervisors: z.array(z.email()),
});
export type Agency = z.infer<typeof Agency>;

export const Registry = z
  .strictObject({
    operators: z.array(z.email()),
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

export function findAgency(registry: Registry, id: string | null): Agency | null {
  return id === null ? null : (registry.agencies.find((a) => a.id === id) ?? null);
}
