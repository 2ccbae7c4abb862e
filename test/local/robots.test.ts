import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseRegistry } from '../../functions/pipeline/registry.ts';
import { readOutbox } from '../../local/local-notifier.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { LocalRobots, MAX_RECEIVES, readWebhooksFile, WebhooksFileError } from '../../local/local-robots.ts';
import { runCli } from '../support/cli.ts';
import { SECRETS, startRobotReceiver } from '../support/robot-receiver.ts';

/**
 * The local run posts to the group robots the registry names, through the deployed robots' subscriber
 * (functions/handlers/webhook-handler.ts), against a loopback receiver that checks signatures as the
 * platforms do; a robot that keeps failing is tried MAX_RECEIVES times and dead-lettered, as the queue does.
 */
const registry = parseRegistry({
  operators: [],
  offices: [
    {
      id: 'qinghe-office',
      name: '清江浦区政务公开办',
      supervisors: [],
      webhook: { robot: 'feishu', secret: 'qinghe-office' },
    },
  ],
  agencies: [
    {
      id: 'qinghe-edu',
      name: '清河区教育局',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['qinghe-office'],
      webhook: { robot: 'dingtalk', secret: 'qinghe-edu' },
    },
    {
      id: 'qinghe-jt',
      name: '清河区交通局',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['qinghe-office'],
    },
  ],
});
const broken = readFileSync(
  path.join(import.meta.dirname, '..', 'fixtures', 'synthetic', 'appeals-litigation-direct-total-broken.txt'),
);
const logger = new Logger({ logLevel: 'SILENT' });

let receiver: Awaited<ReturnType<typeof startRobotReceiver>>;
let webhooksFile: string;
beforeAll(async () => {
  receiver = await startRobotReceiver();
  webhooksFile = path.join(mkdtempSync(path.join(tmpdir(), 'robots-')), 'webhooks.json');
  writeFileSync(
    webhooksFile,
    JSON.stringify({
      'qinghe-edu': { url: receiver.urls.dingtalk, secret: SECRETS.dingtalk },
      'qinghe-office': { url: receiver.urls.feishu, secret: SECRETS.feishu },
    }),
  );
});
afterAll(() => receiver.stop());
beforeEach(() => {
  receiver.received.length = 0;
  receiver.script.length = 0;
});

describe('group robots on the local run', () => {
  it("an agency's notice reaches its robot, signed, and stays in the outbox; an agency without one posts nothing", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'robots-run-'));
    const pipeline = await LocalPipeline.start({ dir, registry, webhooks: webhooksFile });
    try {
      const key = await pipeline.upload('qinghe-edu', '年报.txt', broken);
      await pipeline.upload('qinghe-jt', '年报.txt', broken);
      await pipeline.deps.robots?.idle();
      expect((await pipeline.record(key))?.status).toBe('INVALID');
      // The receiver answers errcode 0 only to a fresh, correct DingTalk signature.
      expect(receiver.received.map((r) => r.robot)).toEqual(['dingtalk']);
      const text = JSON.stringify(receiver.received[0]?.body);
      expect(text).toContain(key);
      expect(pipeline.deps.robots?.deadLetters).toEqual([]);
      const outbox = readOutbox(path.join(dir, 'outbox.jsonl'));
      expect(outbox.map((e) => e.topic).sort()).toEqual(['agency-qinghe-edu', 'agency-qinghe-jt']);
    } finally {
      await pipeline.stop();
    }
  });

  it("an office's message (a reminders' digest) reaches its Feishu robot; a topic no robot owns posts nothing", async () => {
    const robots = new LocalRobots({
      registry,
      secrets: readWebhooksFile(webhooksFile),
      logger,
      deadLetterFile: null,
    });
    robots.post({
      topic: 'office-qinghe-office',
      subject: '[年报督查] 汇总',
      message: '2 个机关逾期',
      attributes: {},
    });
    robots.post({ topic: 'operators', subject: 'x', message: 'not a robot owner', attributes: {} });
    await robots.idle();
    expect(receiver.received.map((r) => r.robot)).toEqual(['feishu']);
    expect(JSON.stringify(receiver.received[0]?.body)).toContain('2 个机关逾期');
  });

  it('a robot that keeps failing is tried MAX_RECEIVES times, later each time, then dead-lettered to the state folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'robots-dlq-'));
    const deadLetterFile = path.join(dir, 'robots-dead-letter.jsonl');
    const robots = new LocalRobots({
      registry,
      secrets: readWebhooksFile(webhooksFile),
      logger,
      deadLetterFile,
      retryDelayMs: 1,
    });
    receiver.script.push(...Array.from({ length: MAX_RECEIVES }, () => ({ status: 503 })));
    robots.post({ topic: 'agency-qinghe-edu', subject: '年报校验', message: '有错误', attributes: {} });
    await robots.idle();
    expect(receiver.received).toHaveLength(MAX_RECEIVES);
    expect(robots.deadLetters).toMatchObject([{ topic: 'agency-qinghe-edu', receiveCount: MAX_RECEIVES }]);
    expect(JSON.parse(readFileSync(deadLetterFile, 'utf8'))).toMatchObject({ message: '有错误' });

    // One failure, then the robot answers: delivered on the second receive, nothing dead-lettered.
    receiver.received.length = 0;
    receiver.script.push({ status: 500 });
    robots.post({ topic: 'agency-qinghe-edu', subject: '年报校验', message: '第二次', attributes: {} });
    await robots.idle();
    expect(receiver.received).toHaveLength(2);
    expect(robots.deadLetters).toHaveLength(1);
  });

  it('a webhooks file that is not one stops the run with a clear error, before anything starts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'robots-bad-'));
    const bad = path.join(dir, 'webhooks.json');
    writeFileSync(bad, JSON.stringify({ 'qinghe-edu': { url: 'http://robots.example.com/send' } }));
    expect(() => readWebhooksFile(bad)).toThrow(WebhooksFileError);
    expect(() => readWebhooksFile(bad)).toThrow(/https URL/);
    expect(() => readWebhooksFile(path.join(dir, 'missing.json'))).toThrow(WebhooksFileError);
    const cli = await runCli(['local', '--memory', '--webhooks', bad]);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain('not a webhooks file');
  });
});
