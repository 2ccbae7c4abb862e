import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../support/fixtures.ts';
import { markedCells } from '../support/view-cells.ts';

/** `report-pipeline check --html OUT.html`: the report view of each file in one page a reviewer can send. */
const bin = path.join(import.meta.dirname, '..', '..', 'bin', 'report-pipeline.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
const fixture = (...p: string[]) => fixturePath(...p);

describe('report-pipeline check --html', () => {
  it('writes one self-contained page with every file, its findings cells marked', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'check-html-')), 'review.html');
    const missing = fixture('synthetic', 'no-such-file.pdf');
    const result = run(
      'check',
      fixture('synthetic', 'cell-missing-new-received.html'),
      fixture('synthetic', 'appeals-litigation-direct-total-broken.html'),
      missing,
      '--html',
      out,
    );
    // The exit code and the text output are those of check without --html.
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('状态 有错误 INVALID');
    expect(result.stderr).toContain(`wrote ${out}`);
    const html = readFileSync(out, 'utf8');
    // Self-contained: the style inlined, no script, nothing fetched.
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(html).toContain('.rv-marked');
    const [first, second, third] = html.split('<div class="report"').slice(1);
    expect(markedCells(first ?? '')).toEqual(['requests newReceived research error']);
    expect(markedCells(second ?? '')).toEqual([
      'appeals litigationDirect total error',
      'proactive regulations  warning',
    ]);
    expect(third).toContain('cannot read');
    // Ids are kept apart between reports, and each finding links to its cell.
    expect(html).toContain('<a href="#r1-requests-newReceived-research">');
    expect(html).toContain('<a href="#r2-appeals-litigationDirect-total">');
  });

  it('refuses an empty --html path as bad usage', () => {
    const result = run('check', fixture('synthetic', 'cell-missing-new-received.html'), '--html', '');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--html');
  });
});
