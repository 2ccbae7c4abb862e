/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_TYPE_LABELS, reportTypesForPage } from '../../functions/pipeline/report-types.ts';
import { sampleSpec } from '../report/helpers.ts';
import { replaceToken, sessionAccount, sessionToken, signInAs } from '../support/browser-sign-in.ts';
import { CHROMIUM, launchChromium, pageTestsCanRun } from '../support/chromium.ts';
import { fixturePath } from '../support/fixtures.ts';
import { report } from '../support/report-builder.ts';
import { startServed } from '../support/served.ts';

/**
 * The agencies' upload page served by `local --serve`, driven in Debian's Chromium by playwright-core
 * against the whole local pipeline: several files, drag and drop, the report view with the findings' cells
 * marked (checked by the cells' data attributes, not pixels), keyboard focus, the agency's earlier uploads,
 * the declared-year warning, and a 375-px phone. Screenshots of each state go to test-output/screenshots/.
 */
const available = pageTestsCanRun('the upload page test');
const SHOTS = path.join(import.meta.dirname, '..', '..', 'test-output', 'screenshots');
const synthetic = (n: string) => fixturePath('synthetic', `${n}.html`);
/** The file name the page shows for a fixture (a FIXTURES_DIR copy may keep the former names). */
const shown = (n: string) => path.basename(synthetic(n));
// One agency per scenario, so that the cross-year checks between scenarios' reports stay out of the way.
const TOKEN = 'licheng-kaiyuan';
const OTHER = { arithmetic: 'qinghe-guangming', layout2019: 'huaian-gov' };

let url: string;
let stop: () => Promise<void>;
let token: (account: string) => Promise<string>;
let password: string;
let browser: Browser;
let report2019: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!available) return;
  mkdirSync(SHOTS, { recursive: true });
  // A 2019 report on the 2019 template, its 行政许可 处理决定数量 left blank.
  report2019 = path.join(mkdtempSync(path.join(tmpdir(), 'page-')), '2019年度报告.txt');
  writeFileSync(
    report2019,
    report('2019', sampleSpec({ year: 2019, rowSet: '2019' }), (row, column) =>
      row === 'licensing' && column === 2 ? null : 1,
    ),
  );
  let served: Awaited<ReturnType<typeof startServed>>['served'];
  ({ url, stop, token, served } = await startServed());
  password = served.password;
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  if (!available) return;
  await browser?.close();
  await stop?.();
  // No JavaScript error on any page of this file.
  expect(pageErrors).toEqual([]);
});

async function openPage(viewport = { width: 1100, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** Chooses files (or drops them), uploads them and waits until every new line has a final status. */
async function upload(
  page: Page,
  year: number,
  files: string[],
  how: 'choose' | 'drop' = 'choose',
  account = TOKEN,
) {
  // Signed in as the page's agency through the login page; another scenario's agency gets its token from
  // the provider into the same page, which keeps the earlier scenarios' views (a new sign-in reloads it).
  await signInAs(page, TOKEN, password);
  if ((await sessionAccount(page)) !== account) await replaceToken(page, await token(account));
  await page.fill('#year', String(year));
  const before = await page.locator('li.upload').count();
  if (how === 'choose') {
    await page.setInputFiles('#file', files);
    await page.click('#submit');
  } else {
    const payload = files.map((f) => ({ name: path.basename(f), bytes: [...readFileSync(f)] }));
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: 'text/html' }));
      return dt;
    }, payload);
    await page.dispatchEvent('#drop', 'drop', { dataTransfer });
  }
  await page.waitForFunction(
    (n) => document.querySelectorAll('li.upload[data-status]').length >= n,
    before + files.length,
    { timeout: 120_000 },
  );
}

/** The marked cells of one upload's view, as `table row column severity`. */
const marked = (page: Page, file: string) =>
  page.$$eval(`li.upload[data-file="${file}"] td.rv-marked`, (cells) =>
    cells
      .map((c) => {
        const d = (c as HTMLElement).dataset;
        return `${d.table} ${d.row ?? d.group} ${d.column} ${d.severity}`;
      })
      .sort(),
  );

describe.runIf(available || process.env.CI)('the upload page', () => {
  let page: Page;

  it('serves the accepted types; no sign-in, a wrong type and a refused token get clear messages', async () => {
    expect(available, `no Chromium at ${CHROMIUM}: apt-get install chromium`).toBe(true);
    page = await openPage();
    await expect(page.title()).resolves.toBe('政府信息公开工作年度报告上传');
    // The accepted types are the pipeline's one list, served to the page.
    await expect(page.getAttribute('#file', 'accept')).resolves.toBe(reportTypesForPage().accept);
    await expect(page.textContent('#types')).resolves.toBe(REPORT_TYPE_LABELS);
    // Not signed in: the page says so, and sends nothing.
    await page.fill('#year', '2023');
    await page.setInputFiles('#file', synthetic('clean-single-request'));
    await page.click('#submit');
    await page.locator('#status', { hasText: '请先登录' }).waitFor();
    await signInAs(page, TOKEN, password);
    await page.fill('#year', '2023');
    await page.setInputFiles('#file', {
      name: '年报.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from('PK'),
    });
    await page.click('#submit');
    await page.locator('li.upload[data-file="年报.xlsx"] .state', { hasText: '不支持的文件类型' }).waitFor();

    // A token the API refuses (here: its signature broken) is said as a sign-in to renew.
    await replaceToken(page, `${await sessionToken(page)}x`);
    await page.setInputFiles('#file', synthetic('clean-single-request'));
    await page.click('#submit');
    await page
      .locator(`li.upload[data-file="${shown('clean-single-request')}"] .state`, { hasText: '登录已失效' })
      .waitFor();
    await page.close();
  }, 60_000);

  it('a blank cell: the cell is marked red, stays blank, and its finding links to it', async () => {
    page = await openPage();
    await upload(page, 2021, [synthetic('cell-missing-new-received')]);
    const item = page.locator(`li.upload[data-file="${shown('cell-missing-new-received')}"]`);
    await expect(item.getAttribute('data-status')).resolves.toBe('INVALID');
    await expect(marked(page, shown('cell-missing-new-received'))).resolves.toEqual([
      'requests newReceived research error',
    ]);
    const cell = item.locator('td[data-row="newReceived"][data-column="research"]');
    // Visibly blank: no text of its own (the tooltip is a child element, shown on hover and focus).
    const ownText = (td: Element) =>
      [...td.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent)
        .join('');
    await expect(cell.evaluate(ownText)).resolves.toBe('');
    // The list under the table links to the cell, and the next step is in plain words.
    const link = item.locator('.rv-findings a[href$="-requests-newReceived-research"]');
    await link.click();
    await expect(cell.evaluate((td) => td === document.activeElement)).resolves.toBe(true);
    await expect(page.locator('.rv-marked:focus .rv-tip').isVisible()).resolves.toBe(true);
    await expect(item.locator('.next').textContent()).resolves.toContain('修改报告');
    await page.screenshot({ path: path.join(SHOTS, 'blank-cell.png'), fullPage: true });
  }, 150_000);

  it('an arithmetic error: the total that does not add up is marked, the left-out row amber', async () => {
    await upload(
      page,
      2022,
      [synthetic('appeals-litigation-direct-total-broken')],
      'choose',
      OTHER.arithmetic,
    );
    await expect(marked(page, shown('appeals-litigation-direct-total-broken'))).resolves.toEqual([
      'appeals litigationDirect total error',
      'proactive regulations  warning',
    ]);
    const total = page.locator(
      `li.upload[data-file="${shown('appeals-litigation-direct-total-broken')}"] td[data-group="litigationDirect"][data-column="total"]`,
    );
    await expect(total.evaluate((td) => td.firstChild?.textContent)).resolves.toBe('5');
    await total.scrollIntoViewIfNeeded();
    await total.focus();
    await page.screenshot({ path: path.join(SHOTS, 'arithmetic.png') });
  }, 150_000);

  it('a 2019 report in the 2019 layout, its blank cell marked', async () => {
    await upload(page, 2019, [report2019], 'choose', OTHER.layout2019);
    const item = page.locator('li.upload[data-file="2019年度报告.txt"]');
    await expect(marked(page, '2019年度报告.txt')).resolves.toEqual(['proactive licensing decisions error']);
    await expect(item.locator('table.rv-proactive').getAttribute('data-template')).resolves.toBe('2019');
    const headers = await item.locator('table.rv-proactive th').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['本年新制作数量', '上一年项目数量', '采购项目数量']));
    await expect(item.locator('tr[data-row="otherTotal2019"]').count()).resolves.toBe(1);
    await expect(item.locator('tr[data-row="otherNoCorrection"]').count()).resolves.toBe(0);
    await item.locator('table.rv-proactive').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'layout-2019.png') });
  }, 150_000);

  it('keyboard focus reaches every marked cell', async () => {
    const ids = await page.$$eval('td.rv-marked', (cells) => cells.map((c) => c.id));
    expect(ids.length).toBe(4);
    const reached = new Set<string>();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    for (let i = 0; i < 300 && reached.size < ids.length; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.id ?? '');
      if (ids.includes(id)) reached.add(id);
    }
    expect([...reached].sort()).toEqual([...ids].sort());
  }, 60_000);

  it('several files dropped at once: a line each; the declared year checked; the earlier uploads listed', async () => {
    // clean-single-request states 2023: uploaded as 2021 it gets DECLARED_YEAR_MISMATCH; the other is a 2021 report.
    await upload(
      page,
      2021,
      [synthetic('cell-missing-other-no-correction'), synthetic('clean-single-request')],
      'drop',
    );
    const lines = page.locator(
      `li.upload[data-file="${shown('clean-single-request')}"], li.upload[data-file="${shown('cell-missing-other-no-correction')}"]`,
    );
    await expect(lines.count()).resolves.toBe(2);
    await expect(
      lines.locator('progress').evaluateAll((ps) => ps.map((p) => (p as HTMLProgressElement).value)),
    ).resolves.toEqual([100, 100]);
    const mismatch = page.locator(`li.upload[data-file="${shown('clean-single-request')}"]`);
    await expect(mismatch.getAttribute('data-status')).resolves.toBe('VALID');
    await expect(mismatch.locator('.rv-findings').first().textContent()).resolves.toContain(
      'DECLARED_YEAR_MISMATCH',
    );
    await expect(marked(page, shown('cell-missing-other-no-correction'))).resolves.toEqual([
      'proactive regulations  warning',
      'requests otherNoCorrection commercial error',
    ]);
    // The API says the same, and the key keeps the declared year.
    const id = await mismatch.getAttribute('data-upload');
    const api: { key: string; year: number; issues: unknown[] } = await (
      await fetch(`${url}/uploads/${id}`, { headers: { authorization: `Bearer ${await token(TOKEN)}` } })
    ).json();
    expect(api.key).toMatch(/^incoming\/licheng-kaiyuan\/2021\//);
    expect(api.year).toBe(2023);
    expect(api.issues).toContainEqual(
      expect.objectContaining({
        code: 'DECLARED_YEAR_MISMATCH',
        severity: 'warning',
        expected: 2021,
        actual: 2023,
      }),
    );
    // Earlier uploads for 2021: the three of this year, with status and what to do next.
    await page.locator('#earlier-list li').nth(2).waitFor();
    const earlier = await page.$$eval('#earlier-list li', (items) =>
      items
        .map((li) => `${li.querySelector('.name')?.textContent} ${(li as HTMLElement).dataset.status}`)
        .sort(),
    );
    expect(earlier).toEqual(
      [
        `${shown('clean-single-request')} VALID`,
        `${shown('cell-missing-other-no-correction')} INVALID`,
        `${shown('cell-missing-new-received')} INVALID`,
      ].sort(),
    );
    // When each was uploaded, in Beijing time as every page, the CSV and the CLI write it.
    const when = await page.$$eval('#earlier-list li .when', (spans) => spans.map((s) => s.textContent));
    const beijing = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    for (const w of when) expect(w).toMatch(new RegExp(`^${beijing} \\d{2}:\\d{2}$`));
    await expect(
      page.locator('#earlier-list li[data-status="INVALID"] .next').first().textContent(),
    ).resolves.toContain('重新上传');
    await page.locator('#earlier').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'several-files.png'), fullPage: true });
    await page.close();
  }, 200_000);

  it('works on a 375-px phone: no horizontal scroll outside the tables', async () => {
    const phone = await openPage({ width: 375, height: 740 });
    await signInAs(phone, TOKEN, password);
    await phone.fill('#year', '2021');
    await phone.locator('#year').dispatchEvent('change');
    await phone.locator('#earlier[data-year="2021"] #earlier-list li').nth(2).waitFor();
    await phone.locator('#earlier-list li[data-status="INVALID"] button.show').first().click();
    await phone.locator('#earlier-list .rv').first().waitFor();
    const widths = await phone.evaluate(() => ({
      page: document.scrollingElement?.scrollWidth ?? 0,
      viewport: window.innerWidth,
      // Anything wider than the screen must sit inside a table's own scroll box.
      outside: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((e) => e.closest('.rv-scroll') === null)
        .map((e) => e.tagName),
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.viewport);
    expect(widths.outside).toEqual([]);
    await expect(phone.locator('#earlier-list .rv').count()).resolves.toBe(1);
    await phone.screenshot({ path: path.join(SHOTS, 'phone.png'), fullPage: true });
    await phone.close();
  }, 60_000);
});
