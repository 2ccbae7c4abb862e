import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

/** `report-pipeline status` on the store an earlier `report-pipeline local` run left, as separate processes. */
const root = path.join(import.meta.dirname, '..', '..');
const run = (...args: string[]) => runCli(args);

describe('report-pipeline status', () => {
  it('reads the local store: text per top office, JSON, CSV with BOM; usage errors exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-status-'));
    const inbox = path.join(dir, 'in');
    for (const [agency, file] of [
      ['licheng-kaiyuan', '开元街道2023年报.html'],
      ['qinghe-guangming', '2023年度报告.docx'],
    ] as const) {
      mkdirSync(path.join(inbox, agency), { recursive: true });
      copyFileSync(path.join(root, 'samples', agency, file), path.join(inbox, agency, file));
    }
    const store = path.join(dir, 'state');
    expect((await run('local', inbox, '--dir', store)).status).toBe(0);

    const textOut = await run('status', '--year', '2023', '--dir', store);
    expect(textOut.status).toBe(0);
    expect(textOut.stdout).toContain('淮安市政务公开办公室（huaian-office）2023年度：共 4 个机关');
    expect(textOut.stdout).toContain('泉州市鲤城区政务公开办公室（licheng-office）2023年度：共 1 个机关');
    expect(textOut.stdout).toMatch(/licheng-kaiyuan\s+鲤城区人民政府开元街道办事处\s+(VALID|INVALID)/);
    expect(textOut.stdout).toMatch(/huaian-gov\s+淮安市人民政府\s+NOT_SUBMITTED\s+-\s+逾期未提交/);

    // Uploaded today for 2023: late.
    const json = await run('status', '--year', '2023', '--office', 'qinghe-office', '--json', '--dir', store);
    const status = JSON.parse(json.stdout);
    expect(status.agencies).toMatchObject([{ agencyId: 'qinghe-guangming', timing: 'LATE', late: true }]);
    expect(['VALID', 'INVALID']).toContain(status.agencies[0].status);

    const csv = await run('status', '--year', '2023', '--office', 'licheng-office', '--csv', '--dir', store);
    expect(csv.stdout.startsWith('\uFEFF机关标识,机关名称,类别,状态')).toBe(true);
    expect(csv.stdout).toContain('licheng-kaiyuan,鲤城区人民政府开元街道办事处,部门,');

    expect((await run('status', '--dir', store)).status).toBe(2);
    const unknown = await run('status', '--year', '2023', '--office', 'nowhere', '--dir', store);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown office 'nowhere'");
  }, 120_000);
});
