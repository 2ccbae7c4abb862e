import { AGENCY_ID } from '../pipeline/keys.ts';
import type { Registry } from '../pipeline/registry.ts';
import { findOffice } from '../pipeline/supervision.ts';
import { type ClaimNames, COGNITO_CLAIMS, SUPERVISORS_GROUP } from './claims.ts';

/**
 * Who is calling, from the verified token's claims (their names: claims.ts). Supervisors are their own
 * kind of user: members of the `supervisors` group whose immutable office claim names their office (the
 * stack declares the group with Cognito, lib/constructs/upload-api.ts; another issuer maps it).
 */

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
export function callerOffice(
  claims: Record<string, unknown> | undefined,
  registry: Registry,
  names: ClaimNames = COGNITO_CLAIMS,
): string | null {
  const office = claims?.[names.office];
  if (!groupsOf(claims?.[names.groups]).includes(SUPERVISORS_GROUP)) return null;
  if (typeof office !== 'string' || !AGENCY_ID.test(office)) return null;
  return findOffice(registry, office) === null ? null : office;
}
