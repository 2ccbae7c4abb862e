import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIssueCode, severityOf } from '../../functions/report/index.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { CHECKED_ELSEWHERE, listFixtures } from '../support/fixtures.ts';

/**
 * The local chain (dynalite, s3rver, the event router, the Lambda handlers) over every fixture file:
 * one record per file with the right status, a message for each report that is not valid, nothing twice
 * for repeated uploads, and state that survives a restart.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'local-pipeline-'));
const fixtures = listFixtures();
const agencyOf = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const registry = { operators: [], offices: [], agencies: [] };
let pipeline: LocalPipeline;
const keys = new Map<string, string>();

beforeAll(async () => {
  pipeline = await LocalPipeline.start({ dir, registry });
  for (const f of fixtures) {
    keys.set(f.file, await pipeline.upload(agencyOf(f.name), path.basename(f.file), readFileSync(f.path)));
  }
}, 300_000);
afterAll(() => pipeline?.stop());

const expectedStatus = (f: (typeof fixtures)[number]) =>
  f.truth.expectedIssues.some((e) => isIssueCode(e.code) && severityOf(e.code) === 'error')
    ? 'INVALID'
    : 'VALID';

describe('every fixture through the local pipeline', () => {
  it('ends in one record per file with the status its truth file expects', async () => {
    const records = await pipeline.list();
    expect(records).toHaveLength(fixtures.length);
    for (const f of fixtures) {
      const record = await pipeline.record(keys.get(f.file) ?? '');
      expect(record?.agencyId).toBe(agencyOf(f.name));
      if (CHECKED_ELSEWHERE.has(f.file)) continue;
      expect(record?.status, f.file).toBe(expectedStatus(f));
    }
    expect(pipeline.router.deadLetters).toEqual([]);
  });

  it('sends one message per report that is not valid, to the operators (no agency is registered)', async () => {
    const invalid = (await pipeline.list()).filter((r) => r.status !== 'VALID');
    expect(invalid.length).toBeGreaterThan(40);
    expect(pipeline.deps.outbox.sent).toHaveLength(invalid.length);
    expect(new Set(pipeline.deps.outbox.sent.map((n) => n.topic))).toEqual(new Set(['operators']));
    const outbox = readFileSync(path.join(dir, 'outbox.jsonl'), 'utf8').trim().split('\n');
    expect(outbox).toHaveLength(invalid.length);
  });

  it('uploading the same files again gives nothing twice', async () => {
    const before = pipeline.deps.outbox.sent.length;
    for (const f of fixtures.slice(0, 12))
      await pipeline.upload(agencyOf(f.name), path.basename(f.file), readFileSync(f.path));
    expect(pipeline.deps.outbox.sent.length).toBe(before);
    expect(await pipeline.list()).toHaveLength(fixtures.length);
  });

  it('a restart keeps the records and still sends nothing twice', async () => {
    await pipeline.stop();
    pipeline = await LocalPipeline.start({ dir, registry });
    expect(await pipeline.list()).toHaveLength(fixtures.length);
    const invalid = fixtures.find((f) => f.file === 'real/hongze-2023.pdf');
    if (invalid === undefined) throw new Error('fixture missing');
    await pipeline.upload(agencyOf(invalid.name), path.basename(invalid.file), readFileSync(invalid.path));
    expect(pipeline.deps.outbox.sent).toEqual([]);
    // A changed file is a new version: a new record and a new message.
    await pipeline.upload(
      agencyOf(invalid.name),
      path.basename(invalid.file),
      readFileSync(
        fixtures.find((f) => f.file === 'synthetic/appeals-litigation-direct-total-broken.txt')?.path ?? '',
      ),
    );
    expect(pipeline.deps.outbox.sent).toHaveLength(1);
  }, 60_000);

  it('the stream consumer exported each report version as JSON lines', async () => {
    const exported = await pipeline.deps.bucket.list('exports/records/');
    expect(exported.length).toBeGreaterThan(fixtures.length);
  });
});
