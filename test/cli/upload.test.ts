import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { serve } from '../../local/serve.ts';
import { PASSWORD_ENV } from '../../local/sign-in-client.ts';
import { fixturePath } from '../support/fixtures.ts';
import { tokens } from '../support/sign-in.ts';

/** `report-pipeline upload` against the API served by `local --serve`, as a separate process. */
const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'report-pipeline.mjs');
let pipeline: LocalPipeline;
let url: string;
let close: () => Promise<void>;
let password: string;
/** Tokens from the local provider, signed in as a registry agency. */
let token: (account: string) => Promise<string>;

beforeAll(async () => {
  pipeline = await LocalPipeline.start({ dir: null });
  const served = await serve(pipeline.deps, 0);
  url = served.url;
  token = tokens(() => served);
  password = served.password;
  close = () => {
    served.server.closeAllConnections();
    return new Promise((resolve) => served.server.close(() => resolve()));
  };
}, 60_000);
afterAll(async () => {
  await close();
  await pipeline.stop();
});

const upload = async (...args: string[]) => uploadWith({}, ...args);
const uploadWith = async (env: Record<string, string>, ...args: string[]) => {
  try {
    const out = await promisify(execFile)(process.execPath, [bin, 'upload', ...args], {
      encoding: 'utf8',
      // The caller's own password variable, if any, never leaks into a case that has none.
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== PASSWORD_ENV)), ...env },
    });
    return { status: 0, ...out };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

it('uploads through the pre-signed POST, waits, prints the issues; exit 1 for an invalid report', async () => {
  const result = await upload(
    fixturePath('real', 'hongze-2023.pdf'),
    '--api',
    url,
    '--token',
    await token('hongze-gov'),
  );
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/uploaded as incoming\/hongze-gov\/2023\/[0-9a-f-]{36}-hongze-2023\.pdf/);
  expect(result.stdout).toContain('机关 洪泽区人民政府  年度 2023  状态 有错误 INVALID');
  expect(result.stdout).toContain('✗ APPEALS_GROUP_TOTAL  [第四部分 · 行政复议 · 总计]');
}, 60_000);

it('--json prints the result; a valid report exits 0', async () => {
  const result = await upload(
    fixturePath('real', 'huaian-2024.pdf'),
    '--api',
    url,
    '--token',
    await token('huaian-gov'),
    '--json',
  );
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ status: 'VALID', year: 2024, agency: '淮安市人民政府' });
}, 60_000);

it('a bad token or file type exits 2 with the reason', async () => {
  const bad = await upload(fixturePath('real', 'huaian-2024.pdf'), '--api', url, '--token', 'nope');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('API refused the upload (401)');
  const type = await upload(
    fixturePath('real', 'huaian-2024.truth.json'),
    '--api',
    url,
    '--token',
    await token('huaian-gov'),
  );
  expect(type.status).toBe(2);
  expect(type.stderr).toContain('only PDF, DOCX, HTML and TXT');
});

it('--sign-in ACCOUNT signs in to the local provider with the password of its environment, then uploads', async () => {
  const file = fixturePath('real', 'huaian-2024.pdf');
  const signedIn = await uploadWith(
    { [PASSWORD_ENV]: password },
    file,
    '--api',
    url,
    '--sign-in',
    'huaian-gov',
    '--json',
  );
  expect(signedIn.stderr).toMatch(/uploaded as incoming\/huaian-gov\//);
  expect(signedIn.status).toBe(0);
  expect(JSON.parse(signedIn.stdout)).toMatchObject({ status: 'VALID', agency: '淮安市人民政府' });

  const wrong = await uploadWith(
    { [PASSWORD_ENV]: `${password}x` },
    file,
    '--api',
    url,
    '--sign-in',
    'huaian-gov',
  );
  expect(wrong.status).toBe(2);
  expect(wrong.stderr).toContain('sign-in as huaian-gov refused');
  const none = await uploadWith({}, file, '--api', url, '--sign-in', 'huaian-gov');
  expect(none.status).toBe(2);
  expect(none.stderr).toContain(PASSWORD_ENV);
  const both = await upload(file, '--api', url, '--sign-in', 'huaian-gov', '--token', 't');
  expect(both.status).toBe(2);
  expect(both.stderr).toContain('either --token TOKEN or --sign-in ACCOUNT');
}, 90_000);
