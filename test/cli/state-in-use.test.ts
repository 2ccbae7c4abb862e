import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { runCli } from '../support/cli.ts';

/**
 * `status`, `review` and `local remind` while another run (`--serve`) holds the state folder: each says
 * so and exits 2, with no stack trace (issue 22: they died on LevelDB's lock).
 */
describe('commands on a state folder another run holds', () => {
  it('status, review and local remind are told it is in use', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-held-'));
    const pipeline = await LocalPipeline.start({ dir });
    try {
      for (const args of [
        ['status', '--year', '2023', '--dir', dir],
        ['review', 'list', '--dir', dir, '--agency', 'huaian-gov', '--year', '2023'],
        ['local', 'remind', '--dir', dir, '--today', '2024-01-20'],
      ]) {
        const out = await runCli(args);
        expect({ args, status: out.status }).toEqual({ args, status: 2 });
        expect(out.stderr).not.toMatch(/\n\s+at /);
        expect(out.stderr).toMatch(/report-pipeline (status|review|local remind): the state in .* is in use/);
      }
    } finally {
      await pipeline.stop();
    }
  }, 120_000);
});
