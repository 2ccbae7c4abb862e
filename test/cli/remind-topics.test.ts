import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { topicsCommand } from '../../bin/commands/topics.ts';
import { loadRegistry } from '../../functions/pipeline/registry.ts';
import { agenciesUnder } from '../../functions/pipeline/supervision.ts';
import { runCli } from '../support/cli.ts';
import { MemorySns } from '../support/memory-sns.ts';

const run = (...args: string[]) => runCli(args);

describe('report-pipeline local remind', () => {
  it('sends the day’s messages into the outbox once; a second run of the day sends nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rp-remind-'));
    const registry = loadRegistry();
    const departments = registry.agencies.filter((a) => a.kind === 'department');
    // Every office with an overdue department anywhere under it gets that day's digest.
    const offices = (registry.offices ?? []).filter((o) =>
      agenciesUnder(registry, o.id).some((a) => a.kind === 'department'),
    );
    expect(offices.length).toBeGreaterThan(0);
    const first = await run('local', 'remind', '--today', '2025-02-03', '--dir', dir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    // Nothing uploaded in this state folder: every department is 3 days late, governments not yet due.
    for (const a of departments) {
      expect(first.stdout).toContain(`== agency-${a.id} (overdue) ==`);
      expect(first.stdout).toContain(`[年报逾期] ${a.name} 2024年度报告已逾期 3 天`);
    }
    expect(first.stdout).toContain(
      `2025-02-03: sent ${departments.length + offices.length} (reminders 0, overdue ${departments.length}, digests ${offices.length}); already sent that day: 0`,
    );
    for (const o of offices) expect(first.stdout).toContain(`== office-${o.id} (digest) ==`);
    const outbox = readFileSync(path.join(dir, 'outbox.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(outbox.map((e) => e.topic).sort()).toEqual(
      [...departments.map((a) => `agency-${a.id}`), ...offices.map((o) => `office-${o.id}`)].sort(),
    );
    expect(outbox[0].attributes).toMatchObject({ messageType: 'overdue', year: '2024', day: '2025-02-03' });

    const again = await run('local', 'remind', '--today', '2025-02-03', '--dir', dir);
    expect(again.stdout).toContain(
      `sent 0 (reminders 0, overdue 0, digests 0); already sent that day: ${departments.length + offices.length}`,
    );
    const preview = await run(
      'local',
      'remind',
      '--today',
      '2025-03-16',
      '--dir',
      dir,
      '--dry-run',
      '--json',
    );
    const lines = preview.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      lines
        .filter((m) => m.type === 'reminder')
        .map((m) => m.to.id)
        .sort(),
    ).toEqual(
      loadRegistry()
        .agencies.filter((a) => a.kind === 'government')
        .map((a) => a.id)
        .sort(),
    );
    expect(readFileSync(path.join(dir, 'outbox.jsonl'), 'utf8').trim().split('\n')).toHaveLength(
      departments.length + offices.length,
    );
  }, 120_000);

  it('a bad day is a usage error', async () => {
    const bad = await run('local', 'remind', '--today', '2025-02-30');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--today takes a day');
  });
});

describe('report-pipeline topics sync', () => {
  const out: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    out.length = 0;
  });
  const capture = () =>
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
  const key = ['--key-arn', 'arn:aws-cn:kms:cn-north-1:123456789012:key/abc'];

  it('prints the plan on a dry run and changes nothing; applies it otherwise; then has nothing to do', async () => {
    const sns = new MemorySns();
    const registry = loadRegistry();
    const prefixes: string[] = [];
    const adminFor = (region: string, arnPrefix: string) => {
      prefixes.push(`${region} ${arnPrefix}`);
      return sns;
    };
    capture();
    expect(await topicsCommand(['sync', ...key, '--dry-run'], adminFor)).toBe(0);
    expect(prefixes).toEqual(['cn-north-1 arn:aws-cn:sns:cn-north-1:123456789012:']);
    expect(sns.topics.size).toBe(0);
    expect(out.join('')).toContain(`create        ReportPipeline-agency-${registry.agencies[0]?.id}`);
    expect(out.join('')).toContain('Plan (dry run, nothing changed): create');
    out.length = 0;
    expect(await topicsCommand(['sync', ...key], adminFor)).toBe(0);
    expect(sns.topics.size).toBe(registry.agencies.length + (registry.offices?.length ?? 0));
    out.length = 0;
    expect(await topicsCommand(['sync', ...key, '--delete-removed'], adminFor)).toBe(0);
    expect(out.join('')).toContain('Applied 0 change(s): nothing to do');
  });

  it("subscribes the robots' queue to the topics whose owner names a webhook, and refuses to sync without it", async () => {
    const base = loadRegistry();
    const [robot, other] = base.agencies;
    if (robot === undefined || other === undefined) throw new Error('the sample registry has two agencies');
    const registry = {
      ...base,
      agencies: base.agencies.map((a) =>
        a.id === robot.id ? { ...a, webhook: { robot: 'wecom' as const, secret: 'wecom-main' } } : a,
      ),
    };
    const sns = new MemorySns();
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    capture();
    // Without the queue the robot would get nothing, silently: refused, naming the option and the robot.
    expect(await topicsCommand(['sync', ...key], () => sns, registry)).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toContain('--webhook-queue-arn');
    expect(String(err.mock.calls[0]?.[0])).toContain(robot.id);
    expect(sns.topics.size).toBe(0);
    // A queue of another region (or partition, or account) is not the stack's.
    const queue = 'arn:aws-cn:sqs:cn-north-1:123456789012:ReportPipeline-WebhookQueue-1';
    const elsewhere = queue.replace('cn-north-1', 'cn-northwest-1');
    expect(await topicsCommand(['sync', ...key, '--webhook-queue-arn', elsewhere], () => sns, registry)).toBe(
      2,
    );

    const withQueue = ['sync', ...key, '--webhook-queue-arn', queue];
    expect(await topicsCommand(withQueue, () => sns, registry)).toBe(0);
    const sqs = (id: string) =>
      sns.topics
        .get(`ReportPipeline-agency-${id}`)
        ?.subscriptions.filter((s) => s.protocol === 'sqs')
        .map((s) => s.endpoint);
    expect(sqs(robot.id)).toEqual([queue]);
    expect(sqs(other.id)).toEqual([]);
    out.length = 0;
    expect(await topicsCommand(withQueue, () => sns, registry)).toBe(0);
    expect(out.join('')).toContain('Applied 0 change(s): nothing to do');
  });

  it('needs the key ARN', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await topicsCommand(['sync'])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toContain('--key-arn');
  });
});
