import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildZip } from '../support/zip-writer.ts';
import { jsonLines, runLocal, startLocal } from './local-run.ts';

/**
 * `report-pipeline local` on the files agencies really have: every file ends in one record (the ones it
 * cannot read as UNSUPPORTED_TYPE), long Chinese names, one name in two year folders; and a sentence,
 * never a stack trace, for the mistakes a user makes.
 */
const fixture = (name: string) => path.join(import.meta.dirname, '..', 'fixtures', name);
const OLE = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(2048, 0)]);
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(512, 1)]);
const LONG = `${'淮安市人民政府办公室'.repeat(6)}关于政府信息公开工作年度报告.pdf`; // 70 characters, 210+ bytes

describe('report-pipeline local: every file ends in one record', () => {
  it('unsupported types, no extension, a trailing space, a long name and one name in two folders', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'rp-files-'));
    const agency = path.join(root, 'huaian-gov');
    const other = path.join(root, 'qinghe-edu');
    mkdirSync(agency);
    for (const year of ['2023', '2024']) mkdirSync(path.join(other, year), { recursive: true });
    copyFileSync(
      fixture('synthetic/appeals-litigation-direct-total-broken.txt'),
      path.join(other, '2023', '年报.txt'),
    );
    copyFileSync(fixture('synthetic/clean-single-request.txt'), path.join(other, '2024', '年报.txt'));
    copyFileSync(fixture('synthetic/clean-single-request.txt'), path.join(other, '年报'));
    copyFileSync(fixture('real/huaian-2024.pdf'), path.join(agency, LONG));
    copyFileSync(fixture('real/huaian-2024.pdf'), path.join(agency, '年报.pdf '));
    writeFileSync(path.join(agency, '旧版.doc'), OLE);
    writeFileSync(path.join(agency, 'wps版.wps'), OLE);
    writeFileSync(
      path.join(agency, '统计.xlsx'),
      buildZip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }]),
    );
    writeFileSync(path.join(agency, '扫描.png'), PNG);
    // Word's lock file beside an open document: no one's upload.
    writeFileSync(path.join(agency, '~$年报.docx'), Buffer.alloc(162, 0));
    // --memory leaves nothing in the temporary folder.
    const tmp = mkdtempSync(path.join(tmpdir(), 'rp-tmp-'));

    const result = await runLocal(['--memory', '--json', root], { ...process.env, TMPDIR: tmp });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const byFile = new Map(jsonLines(result.stdout).map((r) => [path.relative(root, r.file), r]));
    expect([...byFile.keys()].sort()).toEqual(
      [
        ...['2023/年报.txt', '2024/年报.txt', '年报'].map((f) => `qinghe-edu/${f}`),
        ...[LONG, '年报.pdf ', '旧版.doc', 'wps版.wps', '统计.xlsx', '扫描.png'].map(
          (f) => `huaian-gov/${f}`,
        ),
      ].sort(),
    );
    for (const name of ['旧版.doc', 'wps版.wps', '统计.xlsx', '扫描.png']) {
      expect(byFile.get(`huaian-gov/${name}`)).toMatchObject({
        status: 'FAILED',
        failure: { code: 'UNSUPPORTED_TYPE' },
      });
    }
    expect(byFile.get(`huaian-gov/${LONG}`)).toMatchObject({ status: 'VALID', year: 2024 });
    expect(byFile.get('huaian-gov/年报.pdf ')).toMatchObject({ status: 'VALID' });
    // No extension: the content decides (a text report is read as one).
    expect(byFile.get('qinghe-edu/年报')?.source.format).toBe('text');
    const [y2023, y2024] = ['2023', '2024'].map((y) => byFile.get(`qinghe-edu/${y}/年报.txt`));
    expect(y2023.upload.key).toBe('incoming/qinghe-edu/2023/年报.txt');
    expect(y2024.upload.key).toBe('incoming/qinghe-edu/2024/年报.txt');
    expect(y2023.source.sha256).not.toBe(y2024.source.sha256);
    expect(
      readdirSync(tmp).filter((f) => f.startsWith('report-pipeline-') && !f.includes('compile-cache')),
    ).toEqual([]);
  }, 180_000);
});

describe('report-pipeline local: a sentence for each mistake, never a stack trace', () => {
  const oneSentence = (stderr: string) => {
    expect(stderr).toMatch(/^report-pipeline local: .+\n$/);
    expect(stderr).not.toMatch(/\n\s+at /);
  };

  it('a --dir that is a file; a --watch folder that does not exist', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rp-bad-')), 'state');
    writeFileSync(file, 'not a folder');
    const badDir = await runLocal(['--dir', file, '--list']);
    expect(badDir.status).toBe(2);
    oneSentence(badDir.stderr);
    expect(badDir.stderr).toContain('state folder');
    const noWatch = await runLocal(['--memory', '--watch', path.join(file, 'nowhere')]);
    expect(noWatch.status).toBe(2);
    oneSentence(noWatch.stderr);
  }, 60_000);

  it('--list while --serve holds the state; --serve on a port in use', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-held-'));
    const serving = startLocal(['--dir', dir, '--serve', '--port', '0']);
    try {
      expect(await serving.until(() => serving.out.stdout.includes('upload page'))).toBe(true);
      const list = await runLocal(['--dir', dir, '--list']);
      expect(list.status).toBe(2);
      oneSentence(list.stderr);
      expect(list.stderr).toContain('in use by another report-pipeline local');
    } finally {
      serving.child.kill('SIGINT');
      expect(await serving.exited).toBe(0);
    }
    // Once it has stopped, the state is free again.
    expect((await runLocal(['--dir', dir, '--list'])).status).toBe(0);

    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const busy = await runLocal(['--memory', '--serve', '--port', String(port)]);
      expect(busy.status).toBe(2);
      oneSentence(busy.stderr);
      expect(busy.stderr).toContain(`port ${port} is in use`);
    } finally {
      blocker.close();
    }
  }, 90_000);
});
