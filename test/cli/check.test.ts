import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../functions/pipeline/registry.ts';
import { ReportRecord } from '../../functions/report/index.ts';
import { fixturePath } from '../support/fixtures.ts';

/** `report-pipeline check` as a user runs it: a separate process, real fixture files, exit codes. */
const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'report-pipeline.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const fixture = (...p: string[]) => fixturePath(...p);
const agency = { name: '淮安市人民政府', kind: 'government', supervisors: [], supervisedBy: ['test-office'] };
const offices = [{ id: 'test-office', name: '测试政务公开办', supervisors: [] }];

describe('report-pipeline check', () => {
  it('prints agency, year, status and each issue with its location; exit 1 when invalid', () => {
    const result = run('check', fixture('real', 'hongze-2023.pdf'));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('机关 洪泽区人民政府  年度 2023  状态 有错误 INVALID');
    expect(result.stdout).toContain(
      '✗ APPEALS_GROUP_TOTAL  [第四部分 · 行政复议 · 总计]  第四部分表格"行政复议"：结果维持、结果纠正、其他结果、尚未审结之和（11）不等于总计（0）',
    );
    expect(result.stdout).toContain('⚠ TEMPLATE_OUTDATED  [第三部分 · （六）其他处理]');
  });

  it('exits 0 when every report is valid', () => {
    const result = run(
      'check',
      fixture('real', 'huaian-2024.pdf'),
      fixture('synthetic', 'clean-single-request.docx'),
    );
    expect(result.status).toBe(0);
    expect(result.stdout.match(/状态 合格 VALID/g)).toHaveLength(2);
  });

  it('--json prints one record per line with the file as given and the tables at the top level', () => {
    const file = fixture('synthetic', 'requests-result-total-broken-social-welfare.html');
    const result = run(
      'check',
      file,
      fixture('seeds', 'seed-huajie-2023-untitled-pipe-table.txt'),
      '--json',
      '--agency',
      'qinghe-edu',
    );
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0] ?? '');
    expect(first.file).toBe(file);
    const { file: _file, ...record } = first;
    expect(ReportRecord.parse(record)).toBeTruthy();
    expect(first.agencyId).toBe('qinghe-edu');
    expect(first.requests.resultTotal.socialWelfare).toBe(0);
    expect(first.issues).toContainEqual(
      expect.objectContaining({ code: 'REQUESTS_RESULT_TOTAL', row: 'resultTotal', column: 'socialWelfare' }),
    );
    const second = JSON.parse(lines[1] ?? '');
    expect(second.status).toBe('VALID');
    expect(second.proactive.regulations).toBeNull();
    expect(second.proactive.penalties).toBe(365);
  });

  it('a file that cannot be extracted is FAILED with its code, exit 2 even beside valid ones', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-check-'));
    const broken = path.join(dir, 'broken.pdf');
    writeFileSync(broken, '%PDF-1.7\n1 0 obj garbage');
    const result = run('check', fixture('real', 'huaian-2024.pdf'), broken, '--json');
    expect(result.status).toBe(2);
    const records = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => r.status)).toEqual(['VALID', 'FAILED']);
    expect(records[1].failure.code).toBe('FILE_CORRUPT');
    expect(records[1].issues[0]).toMatchObject({ code: 'FILE_CORRUPT', severity: 'error' });
  });

  it('checks the report files in a directory, and reports a missing file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-dir-'));
    mkdirSync(path.join(dir, 'a'));
    copyFileSync(
      fixture('synthetic', 'clean-three-applicant-kinds.txt'),
      path.join(dir, 'a', 'clean-three-applicant-kinds.txt'),
    );
    copyFileSync(
      fixture('synthetic', 'clean-three-applicant-kinds.truth.json'),
      path.join(dir, 'a', 'clean-three-applicant-kinds.truth.json'),
    );
    const result = run('check', dir, path.join(dir, 'missing.pdf'));
    expect(result.status).toBe(2);
    expect(result.stdout).toContain(path.join(dir, 'a', 'clean-three-applicant-kinds.txt'));
    expect(result.stdout).not.toContain('truth.json');
    expect(result.stderr).toContain('cannot read');
    // What the folder holds besides reports is named on stderr, never checked, never silently passed over.
    expect(result.stderr).toContain(
      `${dir}: 1 file(s) not checked, not of a report type (PDF、DOCX、HTML、TXT): ${path.join('a', 'clean-three-applicant-kinds.truth.json')}`,
    );
  });

  it('says which files of a folder it skipped, and refuses a folder without a report', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-dir-'));
    copyFileSync(
      fixture('synthetic', 'appeals-litigation-direct-total-broken.txt'),
      path.join(dir, 'appeals-litigation-direct-total-broken.txt'),
    );
    for (const name of ['a.doc', 'b.xlsx', 'c.wps', 'd.png', 'e.zip', 'f.ofd', '~$004.docx', '.DS_Store'])
      writeFileSync(path.join(dir, name), 'x');
    const result = run('check', dir);
    expect(result.stdout).toContain(path.join(dir, 'appeals-litigation-direct-total-broken.txt'));
    // Lock files and hidden files are no one's report and are not named.
    expect(result.stderr).toContain(
      `${dir}: 6 file(s) not checked, not of a report type (PDF、DOCX、HTML、TXT): a.doc, b.xlsx, c.wps, d.png, e.zip and 1 more`,
    );
    const empty = mkdtempSync(path.join(tmpdir(), 'rp-empty-'));
    writeFileSync(path.join(empty, 'notes.doc'), 'x');
    const refused = run('check', empty);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`${empty} holds no report file (PDF、DOCX、HTML、TXT)`);
  });

  it('rejects bad usage with exit 2', () => {
    expect(run('check').status).toBe(2);
    expect(run('check', 'x.pdf', '--agency', '../etc').stderr).toContain('--agency');
  });

  it('--agency takes exactly the ids the registry takes', () => {
    const file = fixture('synthetic', 'appeals-litigation-direct-total-broken.txt');
    // Upper case and underscores were once accepted here and refused by the registry and the keys.
    for (const id of ['Huaian_Gov', 'huaian-']) {
      const result = run('check', file, `--agency=${id}`);
      expect(result.status, id).toBe(2);
      expect(result.stderr).toContain('lower-case letters, digits and hyphens');
    }
    for (const id of ['Huaian_Gov', 'huaian_gov', '-huaian', 'huaian-', 'a'.repeat(65)]) {
      expect(() => parseRegistry({ operators: [], offices, agencies: [{ ...agency, id }] }), id).toThrow();
    }
    expect(run('check', file, '--agency', 'huaian-gov').status).not.toBe(2);
    expect(
      parseRegistry({ operators: [], offices, agencies: [{ ...agency, id: 'huaian-gov' }] }),
    ).toBeTruthy();
  });

  it('refuses a file over --max-mb as FILE_TOO_LARGE from its size, and goes on with the next', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-big-'));
    const big = path.join(dir, 'big.txt');
    const bytes = Buffer.alloc(3 * 1024 * 1024, '政府信息公开\n');
    writeFileSync(big, bytes);
    const result = run('check', big, fixture('real', 'huaian-2024.pdf'), '--max-mb', '1', '--json');
    expect(result.status).toBe(2);
    const [first, second] = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first.failure.code).toBe('FILE_TOO_LARGE');
    expect(first.failure.message).toContain('超过上限 1.0 MB');
    expect(first.source).toMatchObject({
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(second.status).toBe('VALID');
  });
});
