import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { fixturePath } from '../support/fixtures.ts';

/** `report-pipeline review` on the store an earlier `report-pipeline local` run left, as separate processes. */
const run = (...args: string[]) => runCli(args);

describe('report-pipeline review', () => {
  it('lists the findings, dismisses one, and lists it dismissed; usage errors exit 2', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-review-'));
    const inbox = path.join(dir, 'in', 'hongze-edu');
    mkdirSync(inbox, { recursive: true });
    copyFileSync(
      fixturePath('synthetic', 'requests-result-total-broken-social-welfare.pdf'),
      path.join(inbox, 'requests-result-total-broken-social-welfare.pdf'),
    );
    const store = path.join(dir, 'state');
    expect((await run('local', path.join(dir, 'in'), '--dir', store)).status).toBe(0);

    const listed = await run(
      'review',
      'list',
      '--agency',
      'hongze-edu',
      '--year',
      '2022',
      '--json',
      '--dir',
      store,
    );
    expect(listed.status).toBe(0);
    const before = JSON.parse(listed.stdout);
    expect(before).toMatchObject({
      agencyId: 'hongze-edu',
      year: 2022,
      status: 'INVALID',
      reviewStatus: 'PENDING_REVIEW',
    });
    const errors = before.issues.filter((i: { severity: string }) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);

    const base = ['--agency', 'hongze-edu', '--year', '2022', '--dir', store];
    for (const error of errors) {
      const out = await run(
        'review',
        'dismiss',
        ...base,
        '--finding',
        error.fingerprint,
        '--reason',
        '口径不同',
        '--office',
        'huaian-office',
      );
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      expect(out.stdout).toContain(`DISMISSED ${error.fingerprint}`);
    }
    const after = JSON.parse((await run('review', 'list', ...base, '--json')).stdout);
    expect(after.reviewStatus).toBe('ACCEPTED');
    for (const error of errors) {
      const shown = after.issues.find((i: { fingerprint: string }) => i.fingerprint === error.fingerprint);
      expect(shown.review).toMatchObject({
        decision: 'DISMISSED',
        reason: '口径不同',
        office: 'huaian-office',
      });
    }
    const textOut = await run('review', 'list', ...base);
    expect(textOut.stdout).toContain('审核：ACCEPTED（审核通过）');
    expect(textOut.stdout).toContain(`${errors[0].fingerprint}`);

    const fp = errors[0].fingerprint;
    const usage = [
      ['review', 'dismiss', ...base, '--finding', fp, '--reason', 'x', '--office', 'qinghe-office'],
      ['review', 'dismiss', ...base, '--finding', fp, '--reason', 'x', '--office', 'nowhere'],
      ['review', 'dismiss', ...base, '--finding', fp, '--office', 'huaian-office'],
      ['review', 'dismiss', ...base, '--finding', 'abc', '--reason', 'x', '--office', 'huaian-office'],
      ['review', 'approve', ...base],
      ['review', 'list', '--agency', 'hongze-edu', '--dir', store],
      ['review', 'list', ...base, '--office', 'huaian-office'],
    ];
    for (const args of usage) expect((await run(...args)).status, args.join(' ')).toBe(2);
    const unknown = await run(
      'review',
      'confirm',
      ...base,
      '--finding',
      'ffffffffffffffff',
      '--reason',
      'x',
      '--office',
      'huaian-office',
    );
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('没有问题 ffffffffffffffff');
  }, 180_000);
});
