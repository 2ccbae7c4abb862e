import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../functions/pipeline/notification.ts';
import { LocalNotifier, readOutbox } from '../../local/local-notifier.ts';

/**
 * The local SNS after a kill between publishing and marking the notice sent: the next run's repeat (flagged
 * possibleDuplicate, same noticeId) is dropped when the outbox holds it, sent when a kill tore its line.
 */
const notice = (noticeId: string, possibleDuplicate: boolean): Notification => ({
  subject: '[年报校验] 淮安市人民政府 2024 有错误',
  message: '政府信息公开工作年度报告校验未通过',
  attributes: {
    agencyId: 'huaian-gov',
    year: '2024',
    status: 'INVALID',
    codes: [],
    noticeId,
    possibleDuplicate,
  },
});
const topic = { kind: 'agency', agencyId: 'huaian-gov' } as const;

describe('the local outbox after a kill', () => {
  it('a reclaimed notice already in the outbox is not sent again; a new one is', async () => {
    const outbox = path.join(mkdtempSync(path.join(tmpdir(), 'outbox-')), 'outbox.jsonl');
    await new LocalNotifier(outbox).publish(topic, notice('k#v#0', false));
    // The next run (a new process) finds the claim without the mark and sends again, flagged.
    const next = new LocalNotifier(outbox);
    await next.publish(topic, notice('k#v#0', true));
    await next.publish(topic, notice('k#w#0', false));
    expect(readOutbox(outbox).map((m) => m.attributes.noticeId)).toEqual(['k#v#0', 'k#w#0']);
    expect(next.sent.map((m) => m.attributes.noticeId)).toEqual(['k#w#0']);
  });

  it('a line torn by a kill is not sent: the repeat goes out, on a line of its own', async () => {
    const outbox = path.join(mkdtempSync(path.join(tmpdir(), 'outbox-')), 'outbox.jsonl');
    await new LocalNotifier(outbox).publish(topic, notice('k#v#0', false));
    appendFileSync(outbox, '{"topic":"agency-huaian-gov","at":"2026-11-30T23:00:00Z","subject":"[年报');
    const next = new LocalNotifier(outbox);
    await next.publish(topic, notice('k#x#0', true));
    expect(readOutbox(outbox).map((m) => m.attributes.noticeId)).toEqual(['k#v#0', 'k#x#0']);
    expect(
      readFileSync(outbox, 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    ).toHaveLength(3);
  });
});
