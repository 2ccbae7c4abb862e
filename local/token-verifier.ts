import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';

/**
 * The local API's stand-in for API Gateway's JWT authorizer: the same checks, made with `jose`. The
 * issuer's signing keys come from its discovery document's `jwks_uri` (fetched, cached, refetched for an
 * unknown `kid`, as API Gateway does); a token passes only when its signature verifies against them and
 * `iss`, `aud`, `exp` and `nbf` are right. Anything else — another issuer, another audience, expired, not
 * yet valid, unsigned (`alg: none`), signed by another key, not a JWT at all — is null, and the server
 * answers 401 as the authorizer does, before the function sees the request.
 */
export interface TokenVerifier {
  verify: (token: string) => Promise<Record<string, string> | null>;
}

/** The asymmetric algorithms API Gateway's JWT authorizer accepts (never `none`, never HMAC). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512'];

/**
 * Claims as API Gateway passes them to the function: every value a string, an array as `[a b]`
 * (functions/api/caller.ts reads that form), an object as its JSON.
 */
export function authorizerClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value),
    ]),
  );
}

export function tokenVerifier(issuer: string, audience: string | string[]): TokenVerifier {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const jwks = async () => {
    if (keys) return keys;
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (!res.ok) throw new Error(`issuer ${issuer}: discovery answered ${res.status}`);
    const discovery: unknown = await res.json();
    const uri =
      typeof discovery === 'object' && discovery !== null && 'jwks_uri' in discovery
        ? discovery.jwks_uri
        : undefined;
    if (typeof uri !== 'string') throw new Error(`issuer ${issuer}: discovery names no jwks_uri`);
    keys = createRemoteJWKSet(new URL(uri));
    return keys;
  };
  return {
    verify: async (token) => {
      if (token === '') return null;
      const keySet = await jwks();
      try {
        const { payload } = await jwtVerify(token, keySet, {
          issuer,
          audience,
          algorithms: ALGORITHMS,
          requiredClaims: ['exp'],
        });
        return authorizerClaims(payload);
      } catch {
        return null;
      }
    },
  };
}
