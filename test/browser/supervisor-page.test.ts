import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CODES, isIssueCode } from '../../functions/report/codes.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { serve } from '../../local/serve.ts';
import { signInAs } from '../support/browser-sign-in.ts';
import { CHROMIUM, launchChromium, pageTestsCanRun } from '../support/chromium.ts';
import { uploadRecord } from '../support/submissions.ts';

/**
 * The supervisor page served by `local --serve` with a supervisor signed in through the local provider, in Debian's Chromium: the year's
 * counts and table for the office's subtree (the deployment registry), the filters, an agency's findings,
 * the CSV download, the refusal of an agency's token, and a 375-px phone. Screenshots go to
 * test-output/screenshots/.
 */
const available = pageTestsCanRun('the supervisor page test');
const SHOTS = path.join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');

let pipeline: LocalPipeline;
let url: string;
/** The local sign-in's password of this run. */
let password: string;
let close: () => Promise<void>;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  pipeline = await LocalPipeline.start({ dir: null });
  const store = pipeline.deps.plainRecords;
  // Under huaian-office for 2024: a government on time, a government a minute late with errors, a
  // department whose file could not be read; qinghe-guangming submitted nothing.
  await uploadRecord(store, 'huaian-gov', 2024, '2025-03-20T10:00:00+08:00', 'valid');
  await uploadRecord(store, 'hongze-gov', 2024, '2025-04-01T00:00:00+08:00', 'invalid');
  await uploadRecord(store, 'hongze-edu', 2024, '2025-01-10T10:00:00+08:00', 'failed');
  // Another root office's agency: never on huaian-office's page.
  await uploadRecord(store, 'licheng-kaiyuan', 2024, '2025-01-10T10:00:00+08:00', 'valid');
  const served = await serve(pipeline.deps, 0);
  url = served.url;
  password = served.password;
  close = () => {
    served.server.closeAllConnections();
    return new Promise((resolve) => served.server.close(() => resolve()));
  };
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);
afterAll(async () => {
  if (!available) return;
  await browser?.close();
  await close?.();
  await pipeline?.stop();
});

it.runIf(available || process.env.CI)(
  "shows the office's year: counts, badges, filters, an agency's findings and the CSV",
  async () => {
    expect(available, `no Chromium at ${CHROMIUM}: apt-get install chromium`).toBe(true);
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${url}/supervisor.html`);
    await signInAs(page, 'huaian-office', password);
    await page.fill('#year', '2024');
    await page.click('#load');
    await page.waitForSelector('#agencies tbody tr[data-agency]');
    await expect(page.textContent('#heading')).resolves.toBe('淮安市政务公开办公室 2024年度');
    const count = (key: string) => page.textContent(`[data-count="${key}"] b`);
    await expect(count('total')).resolves.toBe('4');
    await expect(count('VALID')).resolves.toBe('1');
    await expect(count('INVALID')).resolves.toBe('1');
    await expect(count('FAILED')).resolves.toBe('1');
    await expect(count('NOT_SUBMITTED')).resolves.toBe('1');
    await expect(count('late')).resolves.toBe('2');
    const rows = () =>
      page.$$eval('#agencies tbody tr[data-agency]', (trs) =>
        trs.map((tr) => tr.getAttribute('data-agency')),
      );
    await expect(rows()).resolves.toEqual(['huaian-gov', 'hongze-gov', 'hongze-edu', 'qinghe-guangming']);
    const row = (id: string) => page.textContent(`tr[data-agency="${id}"]`);
    await expect(row('hongze-gov')).resolves.toMatch(
      /淮安市洪泽区人民政府[\s\S]*有错误[\s\S]*2025-04-01 00:00[\s\S]*逾期提交/,
    );
    await expect(row('qinghe-guangming')).resolves.toMatch(/未提交[\s\S]*逾期未提交/);
    await expect(page.textContent('tr[data-agency="hongze-edu"] .badge')).resolves.toBe('无法读取');

    await page.click('button[data-filter="not-submitted"]');
    await expect(rows()).resolves.toEqual(['qinghe-guangming']);
    await page.click('button[data-filter="late"]');
    await expect(rows()).resolves.toEqual(['hongze-gov', 'qinghe-guangming']);
    await page.click('button[data-filter="invalid"]');
    await expect(rows()).resolves.toEqual(['hongze-gov']);

    await page.click('button.agency[data-agency="hongze-gov"]');
    await page.waitForSelector('#findings-list li');
    const findings = await page.$$eval('#findings-list li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(findings.some((f) => f.includes('REQUESTS_BALANCE'))).toBe(true);
    expect(findings.every((f) => /[\u4e00-\u9fff]/.test(f))).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'supervisor.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    expect(download.suggestedFilename()).toBe('报送情况-huaian-office-2024.csv');
    const bytes = readFileSync((await download.path()) as string);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^机关标识,机关名称,类别,状态,/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([
      'huaian-gov',
      'hongze-gov',
      'hongze-edu',
      'qinghe-guangming',
    ]);
    expect(lines[1]).toContain('淮安市人民政府,人民政府,合格,VALID');

    // Signed in as an agency, the page is refused: it says why, and shows no table.
    await signInAs(page, 'hongze-edu', password);
    await page.fill('#year', '2024');
    await page.click('#load');
    await page.waitForSelector('#message:not(:empty)');
    await expect(page.textContent('#message')).resolves.toContain('仅限政务公开监督机构使用');
    await expect(page.isHidden('#result')).resolves.toBe(true);
    await context.close();
  },
  60_000,
);

/** Elements reaching past the screen's right edge that are not inside a table's own scroll box. */
const overflowing = (page: Page) =>
  page.evaluate(() => ({
    page: document.scrollingElement?.scrollWidth ?? 0,
    viewport: window.innerWidth,
    outside: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((e) => e.closest('.rv-scroll') === null)
      .map((e) => `${e.tagName}${e.id ? `#${e.id}` : ''}`),
  }));

it.runIf(available || process.env.CI)(
  'reads on a 375-px phone: agencies as cards, no page-wide scroll, main problems in Chinese with their codes',
  async () => {
    expect(available, `no Chromium at ${CHROMIUM}: apt-get install chromium`).toBe(true);
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(`${url}/supervisor.html`);
    await signInAs(page, 'huaian-office', password);
    await page.fill('#year', '2024');
    await page.click('#load');
    await page.waitForSelector('#agencies tbody tr[data-agency]');
    const table = await overflowing(page);
    expect(table.page).toBeLessThanOrEqual(table.viewport);
    expect(table.outside).toEqual([]);
    // Every control within the screen's width.
    for (const control of [
      '#sign-out',
      '#year',
      '#load',
      '#csv',
      'button[data-filter="invalid"]',
      'button.agency',
    ]) {
      const box = await page.locator(control).first().boundingBox();
      expect(box, control).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), control).toBeLessThanOrEqual(375);
    }
    // Each value is labelled with its column's name (the header row is for screen readers only here).
    await expect(page.textContent('tr[data-agency="hongze-gov"] td[data-label="状态"]')).resolves.toContain(
      '有错误',
    );

    // 主要问题: each code's meaning from the codes catalogue (served as the page vocabulary), the code beside it.
    const main = await page.$$eval('tr[data-agency="hongze-gov"] td.codes li', (lis) =>
      lis.map((li) => ({ code: li.getAttribute('data-code') ?? '', text: li.textContent ?? '' })),
    );
    expect(main.map((m) => m.code)).toContain('REQUESTS_BALANCE');
    for (const { code, text } of main) {
      expect(isIssueCode(code), code).toBe(true);
      if (!isIssueCode(code)) continue;
      expect(text).toBe(`${CODES[code].meaning} ${code}`);
    }
    const failed = await page.textContent('tr[data-agency="hongze-edu"] td.codes li');
    expect(failed).toBe(`${CODES.FILE_ENCRYPTED.meaning} FILE_ENCRYPTED`);
    await page.screenshot({ path: path.join(SHOTS, 'supervisor-phone.png'), fullPage: true });

    // An agency's findings and its tables: still nothing wider than the screen outside a table's scroll box.
    await page.click('button.agency[data-agency="hongze-gov"]');
    await page.waitForSelector('#findings-list li');
    await page.waitForSelector('#report-view .rv-scroll');
    const findings = await overflowing(page);
    expect(findings.page).toBeLessThanOrEqual(findings.viewport);
    expect(findings.outside).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'supervisor-phone-findings.png'), fullPage: true });
    await page.close();
  },
  60_000,
);
