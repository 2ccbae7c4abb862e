import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Signs in to the local run's OpenID Connect provider (local/oidc.ts) as a browser does, over HTTP: the
 * authorization request with PKCE, the login form, the redirects with their cookies, the code exchanged at
 * the token endpoint. Returns the ID token the pages send as `Authorization: Bearer …`. No token is made
 * here: every one comes from the running provider. Used by `report-pipeline upload --sign-in` and the
 * tests; it knows only the local provider's login form (a deployed stack's sign-in is the pages').
 */
/**
 * Fixes the local sign-in's password across restarts (a demo, a script), and is where
 * `upload --sign-in` reads it; without it `local --serve` makes a fresh one per run.
 */
export const PASSWORD_ENV = 'REPORT_PIPELINE_LOCAL_PASSWORD';

export interface SignInTarget {
  url: string;
  issuer: string;
  clientId: string;
  password: string;
}

/** The token endpoint's answer, as far as it is used: the ID token. */
const TokenAnswer = z.object({ id_token: z.string() });

const cookieJar = () => {
  const jar = new Map<string, string>();
  return {
    take: (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = pair?.indexOf('=') ?? -1;
        if (pair && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
      }
    },
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
  };
};

/** The provider's answer to a sign-in with this account and password: the login page's status on failure. */
export async function signInFlow(
  target: SignInTarget,
  account: string,
  password = target.password,
): Promise<{ idToken: string } | { status: number; body: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = `${target.url}/`;
  const state = randomBytes(8).toString('hex');
  const auth = new URL(`${target.issuer}/auth`);
  auth.search = new URLSearchParams({
    client_id: target.clientId,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();
  const jar = cookieJar();
  const get = async (location: string) => {
    const res = await fetch(new URL(location, target.url), {
      redirect: 'manual',
      headers: { cookie: jar.header() },
    });
    jar.take(res);
    return res;
  };
  let res = await get(auth.href);
  const interaction = res.headers.get('location') ?? '';
  res = await get(interaction);
  const page = await res.text();
  const action = /<form id="login" method="post" action="([^"]+)"/.exec(page)?.[1];
  if (action === undefined) return { status: res.status, body: page };
  res = await fetch(new URL(action.replaceAll('&amp;', '&'), target.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ account, password }).toString(),
  });
  jar.take(res);
  if (res.status !== 303 && res.status !== 302) return { status: res.status, body: await res.text() };
  // Back to the authorization endpoint, which now redirects to the page with the code.
  let location = res.headers.get('location') ?? '';
  const atPage = (l: string) => {
    const u = new URL(l, target.url);
    return `${u.origin}${u.pathname}` === redirectUri;
  };
  for (let hops = 0; hops < 5 && !atPage(location); hops++) {
    res = await get(location);
    location = res.headers.get('location') ?? '';
  }
  const back = new URL(location, target.url);
  const code = back.searchParams.get('code');
  if (code === null || back.searchParams.get('state') !== state) {
    return { status: res.status, body: `no code in ${location}` };
  }
  const token = await fetch(`${target.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: target.clientId,
      code_verifier: verifier,
    }).toString(),
  });
  const body: unknown = await token.json().catch(() => null);
  const tokens = TokenAnswer.safeParse(body);
  if (!tokens.success) return { status: token.status, body: JSON.stringify(body) };
  return { idToken: tokens.data.id_token };
}

/** An ID token for the account (a registry agency or office id), signed in through the local provider. */
export async function signIn(target: SignInTarget, account: string): Promise<string> {
  const out = await signInFlow(target, account);
  if ('idToken' in out) return out.idToken;
  throw new Error(`sign-in as ${account} failed: ${out.status} ${out.body.slice(0, 300)}`);
}
