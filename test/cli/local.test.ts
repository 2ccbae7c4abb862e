import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportRecord } from '../../functions/report/index.ts';
import { bin, runCli } from '../support/cli.ts';

/** `report-pipeline local` (what `npm start` runs) as a user runs it: a separate process on the samples. */
const run = (...args: string[]) => runCli(['local', ...args]);

describe('report-pipeline local', () => {
  it('runs the samples: a table of records, then the notifications per agency; state persists', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-local-'));
    const first = await run('--dir', dir);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/文件 file\s+机关 agency\s+年度 year\s+状态 status\s+问题 codes/);
    expect(first.stdout).toMatch(/淮安市人民政府 \(huaian-gov\)\s+2024\s+合格 VALID/);
    expect(first.stdout).toMatch(/— \(qinghe-guangming\)\s+—\s+无法读取 FAILED\s+FILE_CORRUPT/);
    expect(first.stdout).toContain('通知 notifications sent: 4');
    expect(first.stdout).toContain('== agency-hongze-gov (1) ==');
    expect(first.stdout).toContain('== operators (1) ==');

    const again = await run('--dir', dir);
    expect(again.stdout).toContain('通知 notifications sent: 0');
    const list = await run('--dir', dir, '--list', '--json');
    const records = list.stdout
      .trim()
      .split('\n')
      .map((l) => ReportRecord.parse(JSON.parse(l)));
    expect(records).toHaveLength(7);
  }, 120_000);

  it('--json prints one record per file; --agency names the agency of loose files', async () => {
    const sample = path.join(
      import.meta.dirname,
      '..',
      'fixtures',
      'synthetic',
      'appeals-litigation-direct-total-broken.txt',
    );
    const result = await run('--memory', '--json', '--agency', 'qinghe-guangming', sample);
    expect(result.status).toBe(0);
    const [line] = result.stdout.trim().split('\n');
    const { file, ...record } = JSON.parse(line ?? '');
    expect(file).toBe(sample);
    expect(ReportRecord.parse(record).issues.map((i) => i.code)).toContain('APPEALS_GROUP_TOTAL');
    expect(record.upload.key).toBe('incoming/qinghe-guangming/appeals-litigation-direct-total-broken.txt');
  }, 60_000);

  it('refuses a file whose agency it cannot tell, with exit 2', async () => {
    // A loose file's agency is its folder's name; "Reports 2023" is no agency id.
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'rp-local-')), 'Reports 2023');
    mkdirSync(dir);
    const file = path.join(dir, 'appeals-litigation-direct-total-broken.txt');
    copyFileSync(
      path.join(
        import.meta.dirname,
        '..',
        'fixtures',
        'synthetic',
        'appeals-litigation-direct-total-broken.txt',
      ),
      file,
    );
    const result = await run('--memory', file);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot tell the agency');
  });

  it('a file over the upload limit gets its own FILE_TOO_LARGE record without being read; the batch goes on', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-local-big-'));
    mkdirSync(path.join(dir, 'huaian-gov'));
    // Sparse: 60 MB on paper, nothing on disk. Read whole it would be held in memory before any check.
    const big = path.join(dir, 'huaian-gov', 'a-big.pdf');
    const handle = openSync(big, 'w');
    ftruncateSync(handle, 60 * 1024 * 1024);
    closeSync(handle);
    const good = path.join(dir, 'huaian-gov', 'b-good.pdf');
    copyFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'real', 'huaian-2024.pdf'), good);
    const result = await run('--memory', '--json', dir);
    expect(result.status).toBe(1);
    const [first, second] = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first).toMatchObject({ file: big, status: 'FAILED', stored: false });
    expect(first.failure.code).toBe('FILE_TOO_LARGE');
    expect(first.source.bytes).toBe(60 * 1024 * 1024);
    expect(second).toMatchObject({ file: good, status: 'VALID' });
  }, 60_000);

  it('--watch DIR processes a file dropped under DIR/{agencyId}/, and stops on Ctrl-C', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-watch-'));
    mkdirSync(path.join(dir, 'huaian-gov'));
    const child = spawn(process.execPath, [bin, 'local', '--memory', '--watch', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const until = async (test: () => boolean) => {
      for (let i = 0; i < 300 && !test(); i++) await new Promise((r) => setTimeout(r, 100));
    };
    await until(() => stderr.includes('watching'));
    copyFileSync(
      path.join(import.meta.dirname, '..', 'fixtures', 'real', 'huaian-2024.pdf'),
      path.join(dir, 'huaian-gov', '年报.pdf'),
    );
    await until(() => stdout.includes('VALID'));
    expect(stdout).toMatch(/淮安市人民政府 \(huaian-gov\)\s+2024\s+合格 VALID/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 60_000);
});
