import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenVerifier } from '../../local/token-verifier.ts';

/**
 * The local API's JWT checks (local/token-verifier.ts), against an issuer this test runs: a discovery
 * document and a JWKS over HTTP, as any provider publishes them, and tokens signed with its key. Each
 * thing API Gateway's JWT authorizer refuses is refused; a sound token gives the claims as the authorizer
 * passes them (strings; an array as `[a b]`).
 */
let server: Server;
let issuer: string;
let key: CryptoKey;
let otherKey: CryptoKey;
const AUDIENCE = 'report-pipeline-pages';
const KID = 'test-key';

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  key = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  server = createServer((req, res) => {
    if (req.url === '/issuer/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    } else if (req.url === '/issuer/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/issuer`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const now = () => Math.floor(Date.now() / 1000);
const claims = { sub: 'huaian-office', office_id: 'huaian-office', groups: ['supervisors'] };

function signed(
  overrides: { iss?: string; aud?: string; exp?: number; nbf?: number; noExp?: boolean } = {},
  signingKey: CryptoKey = key,
) {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setIssuer(overrides.iss ?? issuer)
    .setAudience(overrides.aud ?? AUDIENCE)
    .setIssuedAt();
  if (!overrides.noExp) jwt.setExpirationTime(overrides.exp ?? now() + 600);
  if (overrides.nbf !== undefined) jwt.setNotBefore(overrides.nbf);
  return jwt.sign(signingKey);
}

describe('the local JWT authorizer', () => {
  it('passes a sound token on, its claims as API Gateway passes them', async () => {
    const verify = tokenVerifier(issuer, AUDIENCE);
    await expect(verify.verify(await signed())).resolves.toMatchObject({
      sub: 'huaian-office',
      office_id: 'huaian-office',
      groups: '[supervisors]',
      aud: AUDIENCE,
      iss: issuer,
    });
    // A token already valid (nbf in the past) is sound too.
    await expect(verify.verify(await signed({ nbf: now() - 60 }))).resolves.not.toBeNull();
  });

  it.each([
    ['another issuer', () => signed({ iss: 'http://127.0.0.1:1/other' })],
    ['a wrong audience', () => signed({ aud: 'another-client' })],
    ['an expired token', () => signed({ exp: now() - 1 })],
    ['a token not yet valid (nbf)', () => signed({ nbf: now() + 600 })],
    ['a token without exp', () => signed({ noExp: true })],
    ['a token signed by another key', () => signed({}, otherKey)],
    [
      'an unsigned token (alg none)',
      async () =>
        new UnsecuredJWT(claims).setIssuer(issuer).setAudience(AUDIENCE).setExpirationTime('10m').encode(),
    ],
    ['something that is no JWT', async () => 'dev-huaian-gov'],
    ['an empty token', async () => ''],
  ])('refuses %s', async (_what, make) => {
    await expect(tokenVerifier(issuer, AUDIENCE).verify(await make())).resolves.toBeNull();
  });

  it('refuses a sound signature whose payload was changed', async () => {
    const [header, , signature] = (await signed()).split('.');
    const payload = Buffer.from(
      JSON.stringify({
        ...claims,
        office_id: 'licheng-office',
        iss: issuer,
        aud: AUDIENCE,
        exp: now() + 600,
      }),
    ).toString('base64url');
    await expect(
      tokenVerifier(issuer, AUDIENCE).verify(`${header}.${payload}.${signature}`),
    ).resolves.toBeNull();
  });
});
