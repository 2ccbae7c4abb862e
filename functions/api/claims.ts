/**
 * Which token claims carry who the caller is. The API's JWT authorizer passes the token's claims on; the
 * handler reads the agency (uploaders), the office and the groups (supervisors) under these names. With
 * the Cognito user pool they are Cognito's; with any other OpenID Connect issuer (`-c oidcIssuer=…`) the
 * defaults below, or what `-c oidcAgencyClaim / oidcOfficeClaim / oidcGroupsClaim` name. The stack passes
 * the names to the API function's environment (functions/env-names.ts), the local run uses the same.
 */
export interface ClaimNames {
  /** The uploader's agency id (a registry agency). */
  agency: string;
  /** The supervisor's office id (a registry office). */
  office: string;
  /** The caller's groups: a supervisor is in {@link SUPERVISORS_GROUP}. */
  groups: string;
}

export const COGNITO_CLAIMS = {
  agency: 'custom:agencyId',
  office: 'custom:officeId',
  groups: 'cognito:groups',
} as const satisfies ClaimNames;

/** The defaults for another issuer: plain names any provider can map a user attribute to. */
export const OIDC_CLAIMS = {
  agency: 'agency_id',
  office: 'office_id',
  groups: 'groups',
} as const satisfies ClaimNames;

/** The group whose members, with an office claim, are supervisors. */
export const SUPERVISORS_GROUP = 'supervisors';
