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
  await page.waitForURL((u) => u.href.startsWith(back) && !u.searchParams.has('code'));
  await page.locator('#signed-in', { hasText: `（${account}）` }).waitFor();
}

const SESSION_KEY = 'report-pipeline.session';

/** The page's signed-in token (sign-in.js keeps it in the tab's sessionStorage). */
export const sessionToken = (page: Page): Promise<string> =>
  page.evaluate((key) => JSON.parse(sessionStorage.getItem(key) ?? '{}').idToken ?? '', SESSION_KEY);

/** Puts another token into the page's session without reloading it (the page keeps its state). */
export const replaceToken = (page: Page, idToken: string): Promise<void> =>
  page.evaluate(
    ([key, token]) => {
      const session = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      sessionStorage.setItem(key, JSON.stringify({ ...session, idToken: token }));
    },
    [SESSION_KEY, idToken] as const,
  );
