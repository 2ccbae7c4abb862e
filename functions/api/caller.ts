import { AGENCY_ID } from '../pipeline/keys.ts';
import type { Registry } from '../pipeline/registry.ts';
import { findOffice } from '../pipeline/supervision.ts';

/**
 * Who is calling, from the verified token's claims. Supervisors are their own kind of user: members of the
 * `supervisors` group whose immutable `custom:officeId` names their office (the stack declares the group,
 * lib/constructs/upload-api.ts; `local --serve` mints the same claims for its development tokens).
 */
export const SUPERVISORS_GROUP = 'supervisors';
export const OFFICE_CLAIM = 'custom:officeId';
export const GROUPS_CLAIM = 'cognito:groups';

/**
 * The groups of a token. API Gateway's HTTP API passes an array claim as the string `[a b]`; a test or
 * the local server may pass the array itself.
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((g) => g !== '');
}

/** The caller's office, or null unless the token is a supervisor's naming a registered office. */
export function callerOffice(claims: Record<string, unknown> | undefined, registry: Registry): string | null {
  const office = claims?.[OFFICE_CLAIM];
  if (!groupsOf(claims?.[GROUPS_CLAIM]).includes(SUPERVISORS_GROUP)) return null;
  if (typeof office !== 'string' || !AGENCY_ID.test(office)) return null;
  return findOffice(registry, office) === null ? null : office;
}
