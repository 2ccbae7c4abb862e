import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { serve } from '../../local/serve.ts';
import { signInAs } from '../support/browser-sign-in.ts';
import { CHROMIUM, launchChromium, pageTestsCanRun } from '../support/chromium.ts';
import { uploadRecord } from '../support/submissions.ts';

/**
 * The supervisor page's charts (local/web/charts.js, ECharts from node_modules through the local server) in
 * Debian's Chromium at a phone's width: four figures with Chinese labels, the numbers of the stored uploads,
 * each chart reachable with Tab and stepped with the arrow keys, nothing wider than the screen, and a
 * screenshot in test-output/screenshots/.
 */
const available = pageTestsCanRun('the supervisor charts test');

let pipeline: LocalPipeline;
let url: string;
/** The local sign-in's password of this run. */
let password: string;
let close: () => Promise<void>;
let browser: Browser;
const requests: string[] = [];

beforeAll(async () => {
  if (!available) return;
  pipeline = await LocalPipeline.start({ dir: null });
  const store = pipeline.deps.plainRecords;
  // huaian-office, 2024: one government valid on 20 March, one government invalid after its deadline, a
  // department (under hongze-office) unreadable, qinghe-guangming nothing. Earlier years: one valid each.
  await uploadRecord(store, 'huaian-gov', 2024, '2025-03-20T10:00:00+08:00', 'valid');
  await uploadRecord(store, 'hongze-gov', 2024, '2025-04-01T09:00:00+08:00', 'invalid');
  await uploadRecord(store, 'hongze-edu', 2024, '2025-01-10T10:00:00+08:00', 'failed');
  await uploadRecord(store, 'huaian-gov', 2023, '2024-03-01T10:00:00+08:00', 'valid');
  await uploadRecord(store, 'hongze-gov', 2022, '2023-03-01T10:00:00+08:00', 'valid');
  const served = await serve(pipeline.deps, 0);
  url = served.url;
  password = served.password;
  close = () => {
    served.server.closeAllConnections();
    return new Promise((resolve) => served.server.close(() => resolve()));
  };
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  if (!available) return;
  await browser?.close();
  await close?.();
  await pipeline?.stop();
});

const cells = (page: import('playwright-core').Page, id: string) =>
  page.$$eval(`#${id}-table tbody tr`, (trs) =>
    trs.map((tr) => [...tr.children].map((td) => td.textContent)),
  );

it.runIf(available || process.env.CI)(
  'draws the four charts at 375 px with Chinese labels, keyboard reachable, from local files only',
  async () => {
    expect(available, `no Chromium at ${CHROMIUM}: apt-get install chromium`).toBe(true);
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${url}/supervisor.html`);
    await signInAs(page, 'huaian-office', password);
    await page.fill('#year', '2024');
    await page.click('#load');
    await page.waitForSelector('#chart-years svg', { timeout: 30_000 });
    await page.waitForSelector('#chart-years-table tbody tr', { state: 'attached' });

    // Every chart drawn as SVG, labelled in Chinese by ECharts' own description.
    for (const id of ['chart-progress', 'chart-offices', 'chart-codes', 'chart-years']) {
      await expect(page.locator(`#${id} svg`).count()).resolves.toBe(1);
      await expect(page.getAttribute(`#${id}`, 'aria-label')).resolves.toMatch(/[\u4e00-\u9fa5]/);
      const box = await page.locator(`#${id}`).boundingBox();
      expect(box?.width).toBeGreaterThan(250);
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375);
    }
    await expect(page.textContent('#chart-offices svg')).resolves.toMatch(
      /合格[\s\S]*有错误[\s\S]*无法读取[\s\S]*未提交/,
    );

    // The numbers: two of the four bodies uploaded in 2024 by 20 March (10 January, 20 March), the third on 1 April.
    await expect(cells(page, 'chart-progress')).resolves.toEqual([
      ['2025-01-10', '1'],
      ['2025-03-20', '2'],
      ['2025-04-01', '3'],
    ]);
    const progress = await page.textContent('#chart-progress svg');
    expect(progress).toContain('部门截止');
    expect(progress).toContain('人民政府截止');
    // The two governments are supervised by huaian-office itself; hongze-edu and qinghe-guangming sit
    // under the district offices.
    await expect(cells(page, 'chart-offices')).resolves.toEqual([
      ['本级直属', '1', '1', '0', '0'],
      ['淮安市洪泽区政务公开办公室', '0', '0', '1', '0'],
      ['淮安市清江浦区政务公开办公室', '0', '0', '0', '1'],
    ]);
    const codes = await cells(page, 'chart-codes');
    expect(codes.map((r) => r[1])).toContain('REQUESTS_BALANCE');
    expect(codes.find((r) => r[1] === 'REQUESTS_BALANCE')?.[0]).toMatch(/[\u4e00-\u9fa5]/);
    // The 汇总 of each year: only valid (or accepted) reports count. sampleSpec: (3 + 1 granted) ÷ 6 handled.
    await expect(cells(page, 'chart-years')).resolves.toEqual([
      ['2020', '0/4', '—', '—'],
      ['2021', '0/4', '—', '—'],
      ['2022', '1/4', '66.7%', '0.0%'],
      ['2023', '1/4', '66.7%', '0.0%'],
      ['2024', '1/4', '66.7%', '0.0%'],
    ]);

    // Keyboard: Tab reaches a chart; → shows its first point's tooltip.
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'chart-progress'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('chart-progress');
    await page.keyboard.press('ArrowRight');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('#chart-progress')?.textContent ?? ''))
      .toMatch(/已提交/);

    // Nothing came from anywhere but the local server (no CDN).
    expect(requests.filter((r) => !r.startsWith(url))).toEqual([]);
    expect(requests).toContain(`${url}/vendor/echarts.esm.min.mjs`);

    mkdirSync('test-output/screenshots', { recursive: true });
    await page.locator('#charts').screenshot({ path: 'test-output/screenshots/supervisor-charts-375.png' });
    await context.close();
  },
  90_000,
);
