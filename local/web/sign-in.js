/**
 * The pages' sign-in (issue 25): OpenID Connect authorization code with PKCE against the issuer that
 * `config.json` names (functions/pages/site.ts PagesConfig; locally the provider of `local --serve`, on
 * AWS the province's identity platform, Keycloak or Cognito). The ID token is kept in this tab's
 * sessionStorage — never in localStorage or a cookie — and sent to the API as `Authorization: Bearer …`;
 * the API's JWT authorizer verifies it. A plain module without imports, served as it is.
 */
const SESSION = 'report-pipeline.session';
const PENDING = 'report-pipeline.sign-in';

let configPromise;
/** config.json: `{ apiUrl, issuer, clientId, claims }`. */
export const pagesConfig = () => {
  configPromise ??= fetch('/config.json').then((r) => {
    if (!r.ok) throw new Error(`config.json: ${r.status}`);
    return r.json();
  });
  return configPromise;
};

const discovery = async (issuer) => {
  const r = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!r.ok) throw new Error(`登录服务不可用（${r.status}）`);
  return r.json();
};

const base64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));
const redirectUri = () => `${location.origin}${location.pathname}`;

/** The JWT's payload, for showing who is signed in (the API verifies the token; the page only reads it). */
const payloadOf = (jwt) => {
  const part = jwt.split('.')[1] ?? '';
  const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
};

/** The signed-in session of this tab, or null (none, or its token has expired). */
export function session() {
  let stored = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(SESSION) ?? 'null');
  } catch {}
  if (stored === null || typeof stored.idToken !== 'string') return null;
  if (!(stored.exp * 1000 > Date.now())) {
    sessionStorage.removeItem(SESSION);
    return null;
  }
  return stored;
}

/** Leaves for the issuer's login page; the page comes back with a code that {@link completeSignIn} takes. */
export async function signIn() {
  const config = await pagesConfig();
  const endpoints = await discovery(config.issuer);
  const verifier = randomText();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = randomText();
  const nonce = randomText();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, nonce, search: location.search }));
  const url = new URL(endpoints.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    scope: 'openid profile',
    redirect_uri: redirectUri(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
    // Always the login form: a shared desk signs in as the account it names, not the last one.
    prompt: 'login',
  }).toString();
  location.assign(url.href);
}

/** Forgets this tab's token. */
export function signOut() {
  sessionStorage.removeItem(SESSION);
}

/**
 * On load: when the issuer sent the browser back with a code (or an error), exchanges it for the token
 * and restores the page's own address. Returns the session (or null); throws with a message to show.
 */
export async function completeSignIn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return session();
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  } catch {}
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', redirectUri() + (pending?.search ?? ''));
  if (params.has('error')) {
    throw new Error(`登录未完成：${params.get('error_description') ?? params.get('error')}`);
  }
  if (pending === null || params.get('state') !== pending.state) {
    throw new Error('登录回应与本页发起的登录不符，请重新登录。');
  }
  const config = await pagesConfig();
  const endpoints = await discovery(config.issuer);
  const answer = await fetch(endpoints.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const body = await answer.json().catch(() => ({}));
  if (!answer.ok || typeof body.id_token !== 'string') {
    throw new Error(`登录失败：${body.error_description ?? body.error ?? answer.status}`);
  }
  const claims = payloadOf(body.id_token);
  if (claims.nonce !== pending.nonce) throw new Error('登录回应与本页发起的登录不符，请重新登录。');
  const c = config.claims;
  const stored = {
    idToken: body.id_token,
    exp: claims.exp,
    name: claims.name ?? claims.sub,
    id: claims[c.agency] ?? claims[c.office] ?? claims.sub,
  };
  sessionStorage.setItem(SESSION, JSON.stringify(stored));
  return stored;
}

/** A request to the API (config.json's apiUrl, empty: this origin) with the token as Bearer. */
export async function apiFetch(path, init = {}) {
  const config = await pagesConfig();
  const token = session()?.idToken;
  const headers = { ...(init.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  return fetch(`${config.apiUrl.replace(/\/$/, '')}${path}`, { ...init, headers });
}

/**
 * Draws the sign-in bar into `element`: who is signed in with a 退出 button, or a 登录 button. Calls
 * `changed(session)` after sign-out. Returns the session after completing a sign-in in progress.
 */
export async function mountSignIn(element, changed = () => {}) {
  let current = null;
  let error = '';
  try {
    current = await completeSignIn();
  } catch (e) {
    error = e.message;
  }
  const draw = () => {
    element.replaceChildren();
    const text = document.createElement('span');
    text.id = 'signed-in';
    const button = document.createElement('button');
    button.type = 'button';
    if (current) {
      text.textContent = `已登录：${current.name}（${current.id}）`;
      button.id = 'sign-out';
      button.textContent = '退出';
      button.addEventListener('click', () => {
        signOut();
        current = null;
        draw();
        changed(null);
      });
    } else {
      text.textContent = '未登录';
      button.id = 'sign-in';
      button.textContent = '登录';
      button.addEventListener('click', () => {
        signIn().catch((e) => {
          error = e.message;
          draw();
        });
      });
    }
    element.append(text, ' ', button);
    if (error) {
      const alert = document.createElement('p');
      alert.id = 'sign-in-error';
      alert.setAttribute('role', 'alert');
      alert.textContent = error;
      element.append(alert);
    }
  };
  draw();
  return current;
}
