/// <reference lib="dom" />
import type { Page } from 'playwright-core';

/**
 * Signs a page in through the local provider's login page, as a person does: 登录 on the page, the
 * account chosen and the password typed on the provider's page, back on the page with the code exchanged
 * (local/web/sign-in.js). Signs out first when another account is signed in; nothing when this one is.
 */
export async function signInAs(page: Page, account: string, password: string): Promise<void> {
  const bar = page.locator('#signed-in');
  await bar.waitFor();
  if ((await bar.textContent())?.includes(`（${account}）`)) return;
  if ((await page.locator('#sign-out').count()) > 0) await page.click('#sign-out');
  const back = page.url().split('?')[0] ?? page.url();
  await page.click('#sign-in');
  await page.waitForURL(/\/oidc\/interaction\//);
  await page.selectOption('#account', account);
  await page.fill('#password', password);
  await page.click('#login-submit');
  // Back on the page, signed in: the bar names the account once the code has been exchanged, and the
  // page's own address is restored (no code left in it).
  await page.locator('#signed-in', { hasText: `（${account}）` }).waitFor({ timeout: 60_000 });
  const at = new URL(page.url());
  if (`${at.origin}${at.pathname}` !== back || at.searchParams.has('code')) {
    throw new Error(`signed in as ${account}, but on ${page.url()}`);
  }
}

const SESSION_KEY = 'report-pipeline.session';

/** The account the page's session is for (sign-in.js keeps it with the token). */
export const sessionAccount = (page: Page): Promise<string> =>
  page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '{}').id ?? '', SESSION_KEY);

/** The page's signed-in token (sign-in.js keeps it in the tab's sessionStorage). */
export const sessionToken = (page: Page): Promise<string> =>
  page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '{}').idToken ?? '', SESSION_KEY);

/**
 * Puts another token (from the local provider) into the page's session without reloading the page, as
 * sign-in.js stores one: the page keeps what it shows (a sign-in through the login page would reload it).
 */
export const replaceToken = (page: Page, idToken: string): Promise<void> =>
  page.evaluate(
    ([key, token]) => {
      const session = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
      const claims = JSON.parse(
        new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))),
      );
      const id = claims.agency_id ?? claims.office_id ?? claims.sub;
      sessionStorage.setItem(
        key,
        JSON.stringify({ ...session, idToken: token, id, name: claims.name, exp: claims.exp }),
      );
    },
    [SESSION_KEY, idToken] as const,
  );
