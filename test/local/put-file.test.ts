import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { putFile } from '../../bin/commands/local/put-file.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';

/** A file the local store cannot take still ends in a record of its own, and nothing throws. */
describe('putFile', () => {
  it('a store that refuses the file gives a FAILED record (our fault, INTERNAL_ERROR), not a throw', async () => {
    const pipeline = await LocalPipeline.start({
      dir: null,
      registry: { operators: [], offices: [], agencies: [] },
    });
    await pipeline.stop(); // its S3 and table are gone: every write now fails
    const file = path.join(
      import.meta.dirname,
      '..',
      'fixtures',
      'synthetic',
      'appeals-litigation-direct-total-broken.txt',
    );
    const outcome = await putFile(pipeline, {
      file,
      agencyId: 'qinghe-edu',
      name: 'appeals-litigation-direct-total-broken.txt',
    });
    expect(outcome.stored).toBe(false);
    expect(outcome.record).toMatchObject({ status: 'FAILED', failure: { code: 'INTERNAL_ERROR' } });
    expect(outcome.record?.source.file).toBe(file);
  }, 60_000);
});
