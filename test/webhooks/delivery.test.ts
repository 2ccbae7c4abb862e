import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookHandler } from '../../functions/handlers/webhook-handler.ts';
import { parseRegistry } from '../../functions/pipeline/registry.ts';
import type { WebhookSecret } from '../../functions/webhooks/robots.ts';
import { type Received, SECRETS, startRobotReceiver } from '../support/robot-receiver.ts';
import { sqsRecord } from '../support/s3-event.ts';

/**
 * The group-robot subscriber against a real HTTP receiver on loopback that checks signatures as the
 * platforms do. Redelivery is SQS's: here a loop that hands failed messages back with a higher receive
 * count and moves them to a dead-letter list at the queue's limit (5, lib/constructs/queues.ts).
 */
const PREFIX = 'arn:aws-cn:sns:cn-north-1:123456789012:Test-';
const registry = parseRegistry({
  operators: ['ops@example.gov.cn'],
  offices: [
    {
      id: 'huaian-office',
      name: '淮安市政务公开办',
      supervisors: [],
      webhook: { robot: 'dingtalk', secret: 'huaian-office' },
    },
    {
      id: 'qinghe-office',
      name: '清江浦区政务公开办',
      supervisors: [],
      supervisedBy: ['huaian-office'],
      webhook: { robot: 'feishu', secret: 'qinghe-office' },
    },
  ],
  agencies: [
    {
      id: 'huaian-gov',
      name: '淮安市人民政府',
      kind: 'government',
      supervisors: [],
      supervisedBy: ['huaian-office'],
      webhook: { robot: 'wecom', secret: 'huaian-gov' },
    },
    {
      id: 'qinghe-edu',
      name: '清河区教育局',
      kind: 'department',
      supervisors: ['b@example.gov.cn'],
      supervisedBy: ['qinghe-office'],
    },
  ],
});

let receiver: Awaited<ReturnType<typeof startRobotReceiver>>;
let secrets: Record<string, WebhookSecret>;
beforeAll(async () => {
  receiver = await startRobotReceiver();
  secrets = {
    'huaian-gov': { url: receiver.urls.wecom },
    'huaian-office': { url: receiver.urls.dingtalk, secret: SECRETS.dingtalk },
    'qinghe-office': { url: receiver.urls.feishu, secret: SECRETS.feishu },
  };
});
afterAll(() => receiver.stop());
beforeEach(() => {
  receiver.received.length = 0;
  receiver.script.length = 0;
});

const handler = (timeoutMs = 2000) =>
  createWebhookHandler({
    registry,
    secrets: { get: async (name) => secrets[name] ?? Promise.reject(new Error(`no secret ${name}`)) },
    prefixes: { agency: `${PREFIX}agency-`, office: `${PREFIX}office-` },
    timeoutMs,
    logger: new Logger({ serviceName: 'test', logLevel: 'SILENT' }),
  });

const notification = (topic: string, subject: string, message: string) =>
  JSON.stringify({
    Type: 'Notification',
    TopicArn: `${PREFIX}${topic}`,
    Subject: subject,
    Message: message,
    MessageAttributes: {},
  });

/** SQS's redelivery: failures come back with a higher receive count until the limit, then dead-letter. */
async function drain(run: ReturnType<typeof handler>, bodies: string[], maxReceiveCount = 5) {
  let queue: SQSRecord[] = bodies.map(sqsRecord);
  const deadLetters: SQSRecord[] = [];
  const delivered: string[] = [];
  while (queue.length > 0) {
    const event: SQSEvent = { Records: queue };
    const failed = new Set((await run(event)).batchItemFailures.map((f) => f.itemIdentifier));
    delivered.push(...queue.filter((r) => !failed.has(r.messageId)).map((r) => r.messageId));
    queue = [];
    for (const record of event.Records.filter((r) => failed.has(r.messageId))) {
      const count = Number(record.attributes.ApproximateReceiveCount);
      if (count >= maxReceiveCount) deadLetters.push(record);
      else
        queue.push({
          ...record,
          attributes: { ...record.attributes, ApproximateReceiveCount: String(count + 1) },
        });
    }
  }
  return { delivered, deadLetters };
}

describe('notices to group robots', () => {
  it('each owner’s robot gets the notice in its own format, signed where it must be, accepted by the receiver', async () => {
    const { delivered, deadLetters } = await drain(handler(), [
      notification(
        'agency-huaian-gov',
        '[年报校验] 淮安市人民政府 2024 校验未通过',
        '问题：错误 1 项\n1. 表三 合计不符',
      ),
      notification('office-huaian-office', '[年报督查] 逾期未报', '逾期未报送：2 个单位'),
      notification('office-qinghe-office', '[年报督查] 逾期未报', '逾期未报送：1 个单位'),
    ]);
    expect(deadLetters).toEqual([]);
    expect(delivered).toHaveLength(3);
    const by = (robot: Received['robot']) => receiver.received.filter((r) => r.robot === robot);
    expect(by('wecom')[0]?.body).toMatchObject({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('1. 表三 合计不符') },
    });
    expect(by('dingtalk')[0]?.url.searchParams.get('sign')).toBeTruthy();
    expect(by('dingtalk')[0]?.body).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '[年报督查] 逾期未报' },
    });
    expect(by('feishu')[0]?.body).toMatchObject({ msg_type: 'interactive', sign: expect.any(String) });
    expect(receiver.received).toHaveLength(3);
  });

  it('a topic whose owner names no webhook is dropped (its e-mail subscribers have it), not retried', async () => {
    const { delivered, deadLetters } = await drain(handler(), [notification('agency-qinghe-edu', 's', 'm')]);
    expect([delivered.length, deadLetters.length, receiver.received.length]).toEqual([1, 0, 0]);
  });

  it('a 5xx is retried by redelivery and the second attempt goes through', async () => {
    receiver.script.push({ status: 502 });
    const { delivered, deadLetters } = await drain(handler(), [notification('agency-huaian-gov', 's', 'm')]);
    expect(deadLetters).toEqual([]);
    expect(delivered).toHaveLength(1);
    expect(receiver.received).toHaveLength(2);
  });

  it('a robot that does not answer in time counts as failed and is retried', async () => {
    receiver.script.push({ hangMs: 1500 });
    const { delivered } = await drain(handler(200), [notification('office-qinghe-office', 's', 'm')]);
    expect(delivered).toHaveLength(1);
    expect(receiver.received).toHaveLength(2);
  });

  it('a robot that keeps failing: five attempts, then the message waits in the dead-letter queue', async () => {
    receiver.script.push(...Array.from({ length: 10 }, () => ({ status: 503 })));
    const { delivered, deadLetters } = await drain(handler(), [
      notification('office-huaian-office', 's', 'm'),
    ]);
    expect(delivered).toEqual([]);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.attributes.ApproximateReceiveCount).toBe('5');
    expect(receiver.received).toHaveLength(5);
  });

  it('a wrong signing secret is refused by the receiver and never reported as delivered', async () => {
    secrets['huaian-office'] = { url: receiver.urls.dingtalk, secret: 'SECwrong' };
    try {
      const { delivered, deadLetters } = await drain(handler(), [
        notification('office-huaian-office', 's', 'm'),
      ]);
      expect(delivered).toEqual([]);
      expect(deadLetters).toHaveLength(1);
    } finally {
      secrets['huaian-office'] = { url: receiver.urls.dingtalk, secret: SECRETS.dingtalk };
    }
  });

  it('a message that is no SNS notice is dropped, not retried', async () => {
    const { delivered, deadLetters } = await drain(handler(), ['{"hello":1}']);
    expect([delivered.length, deadLetters.length]).toEqual([1, 0]);
  });
});
