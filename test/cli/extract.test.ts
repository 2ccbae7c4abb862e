import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../support/fixtures.ts';

/** The CLI as a user runs it: a separate Node process, real files, exit codes and streams. */
const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'report-pipeline.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('report-pipeline extract', () => {
  it('prints the text rendering with tab-separated table cells', () => {
    const result = run('extract', fixturePath('synthetic', 'requests-balance-broken.txt'));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('一、本年新收政府信息公开申请数量\t0\t1\t1\t0\t0\t0\t2');
  });

  it('prints the structure with --json', () => {
    const result = run('extract', fixturePath('real', 'huaian-2024.pdf'), '--json');
    expect(result.status).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.format).toBe('pdf');
    expect(doc.pages).toHaveLength(6);
    expect(doc.pages[0].lines[0].cells[0]).toMatchObject({ text: '淮安市人民政府' });
  });

  it('exits 2 with the code and a one-line reason on stderr, and error.code in --json', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-'));
    const empty = path.join(dir, 'empty.pdf');
    writeFileSync(empty, '');
    const plain = run('extract', empty);
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/^FILE_EMPTY: .+\n$/);
    const json = run('extract', empty, '--json');
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout).error.code).toBe('FILE_EMPTY');
  });

  it('has --help and rejects bad usage with exit 2', () => {
    expect(run('--help').stdout).toContain('report-pipeline extract FILE');
    expect(run('extract').status).toBe(2);
    expect(run('frobnicate').status).toBe(2);
    expect(run('extract', 'x.pdf', '--max-mb', 'lots').stderr).toContain('--max-mb');
  });
});
