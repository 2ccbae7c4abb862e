import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import { type ClaimNames, OIDC_CLAIMS, SUPERVISORS_GROUP } from '../functions/api/claims.ts';
import type { Registry } from '../functions/pipeline/registry.ts';
import { readBody } from './http-answer.ts';
import { loginPage } from './login-page.ts';

/**
 * The local run's sign-in (issue 25): `oidc-provider`, a certified OpenID Connect provider, mounted at
 * {@link OIDC_PATH} of the local API's server, so the pages sign in locally exactly as they do against
 * the province's identity platform on AWS — authorization code with PKCE, an ID token signed with a key
 * of this run, verified by the API against the provider's JWKS (local/token-verifier.ts). The accounts are
 * the registry's agencies and offices, nothing else: no user store of its own to drift from it.
 */
export const OIDC_PATH = '/oidc';
/** The client the pages sign in with: public (no secret in a browser), PKCE required. */
export const PAGES_CLIENT_ID = 'report-pipeline-pages';
/** The pages that sign in, relative to the server's URL: each is its own redirect URI. */
export const SIGN_IN_PAGES = ['/', '/index.html', '/supervisor.html'] as const;
/** The claim names the local provider issues and the local API reads: the documented OIDC defaults. */
export const LOCAL_CLAIMS: ClaimNames = OIDC_CLAIMS;
/** How long an ID token is good for: an hour, as Cognito's and most providers' defaults. */
export const ID_TOKEN_TTL_SECONDS = 60 * 60;

/** One registry entry as an account: its id is the user name, its claims what the API reads. */
export interface LocalAccount {
  id: string;
  name: string;
  kind: 'agency' | 'office';
  claims: Record<string, string | string[]>;
}

/** The registry's agencies (an agency claim) and offices (an office claim and the supervisors group). */
export function registryAccounts(registry: Registry): Map<string, LocalAccount> {
  const agencies = registry.agencies.map(
    (a): LocalAccount => ({
      id: a.id,
      name: a.name,
      kind: 'agency',
      claims: { [LOCAL_CLAIMS.agency]: a.id },
    }),
  );
  const offices = registry.offices.map(
    (o): LocalAccount => ({
      id: o.id,
      name: o.name,
      kind: 'office',
      claims: { [LOCAL_CLAIMS.office]: o.id, [LOCAL_CLAIMS.groups]: [SUPERVISORS_GROUP] },
    }),
  );
  return new Map([...agencies, ...offices].map((a) => [a.id, a]));
}

/** A fresh per-run password: 18 random bytes, base64url (24 characters), printed at start. */
export const newPassword = (): string => randomBytes(18).toString('base64url');

/** Compares in constant time (through fixed-length digests, so the length leaks nothing either). */
const samePassword = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );

export interface LocalIdentity {
  issuer: string;
  clientId: string;
  /** Answers a request under {@link OIDC_PATH}; false when the path is not the provider's. */
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

/**
 * The provider for a server at `baseUrl` (`http://HOST:PORT`), its issuer `baseUrl/oidc`. Every account
 * signs in with `password` (one per run, see docs/local-run.md). Keys, cookie keys and sessions live in
 * memory for the run: a restart signs everyone out, which is what a local stand-in should do.
 */
export async function startIdentity(
  baseUrl: string,
  registry: Registry,
  password: string,
): Promise<LocalIdentity> {
  const issuer = `${baseUrl}${OIDC_PATH}`;
  const accounts = registryAccounts(registry);
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = {
    ...(await exportJWK(privateKey)),
    alg: 'RS256',
    use: 'sig',
    kid: randomBytes(8).toString('hex'),
  };
  const scopeClaims = ['name', LOCAL_CLAIMS.agency, LOCAL_CLAIMS.office, LOCAL_CLAIMS.groups];
  const configuration: Configuration = {
    clients: [
      {
        client_id: PAGES_CLIENT_ID,
        client_name: '政府信息公开年度报告校验',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: SIGN_IN_PAGES.map((p) => `${baseUrl}${p}`),
        post_logout_redirect_uris: SIGN_IN_PAGES.map((p) => `${baseUrl}${p}`),
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // The ID token carries the caller's claims (as a Cognito ID token carries custom attributes): the
    // pages send it as the Bearer token, its audience is the client id the JWT authorizer accepts.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], profile: scopeClaims },
    scopes: ['openid', 'profile'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    ttl: {
      IdToken: ID_TOKEN_TTL_SECONDS,
      AccessToken: ID_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
    interactions: { url: (_ctx, interaction) => `${OIDC_PATH}/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const account = accounts.get(id);
      if (account === undefined) return undefined;
      return { accountId: id, claims: () => ({ sub: id, name: account.name, ...account.claims }) };
    },
    // Browsers on the pages' own origin only (the token endpoint is fetched by the page).
    clientBasedCORS: (_ctx, origin) => origin === baseUrl,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = loginPage({
        error: `登录出错：${out.error}${out.error_description ? `（${out.error_description}）` : ''}`,
      });
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  const interaction = new RegExp(`^${OIDC_PATH}/interaction/([A-Za-z0-9_-]+)(/login)?$`);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const target = req.url ?? '/';
    const pathname = target.split('?')[0] ?? '/';
    if (pathname !== OIDC_PATH && !pathname.startsWith(`${OIDC_PATH}/`)) return false;
    const step = interaction.exec(pathname);
    if (step !== null) {
      await login(req, res, step[2] !== undefined);
      return true;
    }
    // Mounted as under a prefix: the provider reads its mount path from `originalUrl`.
    Object.assign(req, { originalUrl: target, url: target.slice(OIDC_PATH.length) || '/' });
    await callback(req, res);
    return true;
  };

  /** The login page (GET) and its form (POST …/login): a registry id and the run's password. */
  const login = async (req: IncomingMessage, res: ServerResponse, submitted: boolean): Promise<void> => {
    const html = (status: number, body: string): void => {
      res
        .writeHead(status, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'x-frame-options': 'DENY',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        })
        .end(body);
    };
    let details: Awaited<ReturnType<typeof provider.interactionDetails>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return html(400, loginPage({ error: '登录已过期或无效，请回到原页面重新登录。' }));
    }
    const action = `${OIDC_PATH}/interaction/${details.uid}/login`;
    const list = [...accounts.values()];
    if (!submitted || req.method !== 'POST') return html(200, loginPage({ action, accounts: list }));
    const form = new URLSearchParams((await readBody(req, 16 * 1024)).toString('utf8'));
    const id = form.get('account') ?? '';
    const account = accounts.get(id);
    if (account === undefined || !samePassword(form.get('password') ?? '', password)) {
      return html(401, loginPage({ action, accounts: list, chosen: id, error: '账号或口令不正确。' }));
    }
    // Signing in to the pages' own client grants what it asked for: there is no third party to consent to.
    const clientId = String(details.params.client_id);
    // A grant of the session's previous account (signed out, another signed in) is not this one's.
    const previous = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const grant =
      previous !== undefined && previous.accountId === id && previous.clientId === clientId
        ? previous
        : new provider.Grant({ accountId: id, clientId });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: id }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };

  return { issuer, clientId: PAGES_CLIENT_ID, handle };
}
