import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OIDC_CLAIMS } from '../../functions/api/claims.ts';
import type { PagesConfig } from '../../functions/pages/site.ts';
import { loginPage } from '../../local/login-page.ts';
import { ID_TOKEN_TTL_SECONDS, PAGES_CLIENT_ID } from '../../local/oidc.ts';
import { startServed } from '../support/served.ts';
import { signIn, signInFlow } from '../support/sign-in.ts';

/**
 * The sign-in of `local --serve` end to end (issue 25): the embedded OpenID Connect provider
 * (oidc-provider) with the registry's agencies and offices as accounts, authorization code + PKCE over
 * HTTP, and the API refusing with 401 what API Gateway's JWT authorizer refuses — a token of another
 * issuer (another provider, really running), unsigned, tampered, expired.
 */
let served: Awaited<ReturnType<typeof startServed>>;
let other: Awaited<ReturnType<typeof startServed>>;
beforeAll(async () => {
  [served, other] = await Promise.all([startServed(), startServed()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([served?.stop(), other?.stop()]);
});

const get = (path: string, token: string) =>
  fetch(`${served.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
const payload = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the local provider', () => {
  it('publishes discovery and keys under URL/oidc, and config.json names it for the pages', async () => {
    const discovery = (await (
      await fetch(`${served.served.issuer}/.well-known/openid-configuration`)
    ).json()) as {
      issuer: string;
      jwks_uri: string;
      code_challenge_methods_supported: string[];
    };
    expect(discovery.issuer).toBe(`${served.url}/oidc`);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kty: string; d?: string }[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA' });
    expect(jwks.keys[0]?.d).toBeUndefined();
    const config = (await (await fetch(`${served.url}/config.json`)).json()) as PagesConfig;
    expect(config).toEqual({
      apiUrl: '',
      issuer: discovery.issuer,
      clientId: PAGES_CLIENT_ID,
      claims: OIDC_CLAIMS,
    });
  });

  it('signs an agency in with code + PKCE: its ID token carries agency_id and the API answers', async () => {
    const token = await signIn(served.served, 'huaian-gov');
    const claims = payload(token);
    expect(claims).toMatchObject({
      iss: served.served.issuer,
      aud: PAGES_CLIENT_ID,
      sub: 'huaian-gov',
      agency_id: 'huaian-gov',
      name: '淮安市人民政府',
    });
    expect(claims.office_id).toBeUndefined();
    expect(Number(claims.exp) - Number(claims.iat)).toBe(ID_TOKEN_TTL_SECONDS);
    expect((await get('/uploads?year=2024', token)).status).toBe(200);
    // An agency is no supervisor.
    expect((await get('/supervision/2024', token)).status).toBe(403);
  });

  it('signs an office in: office_id and the supervisors group, and the supervisor routes answer', async () => {
    const token = await signIn(served.served, 'huaian-office');
    expect(payload(token)).toMatchObject({ office_id: 'huaian-office', groups: ['supervisors'] });
    expect(payload(token).agency_id).toBeUndefined();
    const answer = await get('/supervision/2024', token);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { officeName: string }).officeName).toBe('淮安市政务公开办公室');
  });

  it('refuses a wrong password and an account the registry does not have, on the login page', async () => {
    const wrong = await signInFlow(served.served, 'huaian-gov', 'not-the-password');
    expect(wrong).toMatchObject({ status: 401 });
    expect('body' in wrong && wrong.body).toContain('账号或口令不正确');
    expect(await signInFlow(served.served, 'nobody-gov')).toMatchObject({ status: 401 });
    // The other run's password is not this run's.
    expect(await signInFlow(served.served, 'huaian-gov', other.served.password)).toMatchObject({
      status: 401,
    });
  });

  it('requires PKCE: an authorization request without a code challenge gets no login page', async () => {
    const auth = new URL(`${served.served.issuer}/auth`);
    auth.search = new URLSearchParams({
      client_id: PAGES_CLIENT_ID,
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: `${served.url}/`,
      state: 's',
    }).toString();
    const res = await fetch(auth, { redirect: 'manual' });
    const location = res.headers.get('location') ?? '';
    expect(location).not.toContain('/oidc/interaction/');
    expect(new URL(location).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a redirect URI that is not one of the pages', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const auth = new URL(`${served.served.issuer}/auth`);
    auth.search = new URLSearchParams({
      client_id: PAGES_CLIENT_ID,
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: 'http://evil.example/',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const res = await fetch(auth, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('the local API refuses what the JWT authorizer refuses (401)', () => {
  it('a token of another issuer: another provider, running, with its own key', async () => {
    const foreign = await signIn(other.served, 'huaian-gov');
    expect(payload(foreign).iss).toBe(other.served.issuer);
    expect((await get('/uploads?year=2024', foreign)).status).toBe(401);
  });

  it('an unsigned token (alg none) with the right claims, and a tampered payload', async () => {
    const token = await signIn(served.served, 'hongze-gov');
    const [, body, signature] = token.split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect((await get('/uploads?year=2024', `${none}.${body}.`)).status).toBe(401);
    const [header] = token.split('.');
    const changed = Buffer.from(JSON.stringify({ ...payload(token), agency_id: 'huaian-gov' })).toString(
      'base64url',
    );
    expect((await get('/uploads?year=2024', `${header}.${changed}.${signature}`)).status).toBe(401);
    expect((await get('/uploads?year=2024', token)).status).toBe(200);
  });

  it('an expired token: the same token, an hour and a minute later', async () => {
    const token = await signIn(served.served, 'qinghe-guangming');
    expect((await get('/uploads?year=2024', token)).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + (ID_TOKEN_TTL_SECONDS + 60) * 1000);
      const answer = await get('/uploads?year=2024', token);
      expect(answer.status).toBe(401);
      await expect(answer.json()).resolves.toEqual({ message: 'Unauthorized' });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the login page', () => {
  it('escapes what it shows', () => {
    const html = loginPage({
      action: '/oidc/interaction/x"y/login',
      accounts: [{ id: 'a-gov', name: '<script>alert(1)</script>', kind: 'agency' }],
      chosen: 'a-gov',
      error: '<b>错误</b>',
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;错误&lt;/b&gt;');
    expect(html).toContain('action="/oidc/interaction/x&quot;y/login"');
    expect(html).toContain('<option value="a-gov" selected>');
    expect(html).toContain('lang="zh-CN"');
  });
});
