import { Logger } from '@aws-lambda-powertools/logger';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoRecordStore } from '../../functions/adapters/dynamo-record-store.ts';
import { DynamoReminderLog } from '../../functions/adapters/dynamo-reminder-log.ts';
import { SnsReminderSender } from '../../functions/adapters/sns-reminder-sender.ts';
import { extractDocument } from '../../functions/extract/index.ts';
import { createRemindHandler } from '../../functions/handlers/remind-handler.ts';
import { chinaDay } from '../../functions/pipeline/china-time.ts';
import type { Registry } from '../../functions/pipeline/registry.ts';
import { phaseOf } from '../../functions/pipeline/reminder-calendar.ts';
import {
  type ReminderMessage,
  type ReminderSender,
  sendReminders,
} from '../../functions/pipeline/reminders.ts';
import { reminderPk, reminderSk } from '../../functions/pipeline/table-layout.ts';
import { checkDocument } from '../../functions/report/index.ts';
import { startDynalite } from '../support/local-aws.ts';
import { consistentAppeals, consistentRequests, renderReport } from '../support/report-builder.ts';
import { firstRevision } from '../support/stored.ts';

/**
 * Issue 14.3: reminders in the reporting season, overdue notices and office digests, once per day, on
 * dynalite (the submission look-up and the reminder log are the real adapters).
 */
const dept = { kind: 'department' as const };
const gov = { kind: 'government' as const };

describe('the season calendar (China time)', () => {
  it('a day ends at 24:00 in Beijing: 15:59:59 UTC is still the same day, 16:00 UTC the next', () => {
    expect(chinaDay(new Date('2025-01-31T15:59:59.999Z'))).toBe('2025-01-31');
    expect(chinaDay(new Date('2025-01-31T16:00:00Z'))).toBe('2025-02-01');
    expect(chinaDay(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
  });

  it('departments: reminders 15–31 January, overdue from 1 February', () => {
    expect(phaseOf(dept, '2025-01-14')).toEqual({ kind: 'none', year: 2024 });
    expect(phaseOf(dept, '2025-01-15')).toEqual({
      kind: 'reminder',
      year: 2024,
      deadline: '2025-01-31',
      daysLeft: 16,
    });
    expect(phaseOf(dept, '2025-01-31')).toMatchObject({ kind: 'reminder', daysLeft: 0 });
    expect(phaseOf(dept, '2025-02-01')).toEqual({
      kind: 'overdue',
      year: 2024,
      deadline: '2025-01-31',
      daysLate: 1,
      notify: true,
    });
  });

  it('governments: reminders 15–31 March, overdue from 1 April (a leap year changes nothing)', () => {
    expect(phaseOf(gov, '2025-03-14')).toEqual({ kind: 'none', year: 2024 });
    expect(phaseOf(gov, '2025-01-20')).toEqual({ kind: 'none', year: 2024 });
    expect(phaseOf(gov, '2025-03-15')).toMatchObject({
      kind: 'reminder',
      deadline: '2025-03-31',
      daysLeft: 16,
    });
    expect(phaseOf(gov, '2024-03-31')).toMatchObject({ kind: 'reminder', year: 2023, daysLeft: 0 });
    expect(phaseOf(gov, '2025-04-01')).toMatchObject({ kind: 'overdue', daysLate: 1, notify: true });
  });

  it('overdue notices daily for a week, then on Mondays, until 30 June', () => {
    expect(phaseOf(dept, '2025-02-07')).toMatchObject({ daysLate: 7, notify: true });
    expect(phaseOf(dept, '2025-02-08')).toMatchObject({ daysLate: 8, notify: false }); // a Saturday
    expect(phaseOf(dept, '2025-02-10')).toMatchObject({ daysLate: 10, notify: true }); // a Monday
    expect(phaseOf(dept, '2025-06-30')).toMatchObject({ kind: 'overdue', notify: true }); // a Monday
    expect(phaseOf(dept, '2025-07-01')).toEqual({ kind: 'none', year: 2024 });
    expect(phaseOf(dept, '2025-12-31')).toEqual({ kind: 'none', year: 2024 });
  });
});

// A city office over a county office; the county supervises two departments and its own government.
const registry: Registry = {
  operators: [],
  offices: [
    { id: 'city-office', name: '淮安市政务公开办', supervisors: ['city@x.cn'], supervisedBy: [] },
    {
      id: 'county-office',
      name: '清河区政务公开办',
      supervisors: ['county@x.cn'],
      supervisedBy: ['city-office'],
    },
  ],
  agencies: [
    {
      id: 'qinghe-edu',
      name: '清河区教育局',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['county-office'],
    },
    {
      id: 'qinghe-health',
      name: '清河区卫生健康委员会',
      kind: 'department',
      supervisors: [],
      supervisedBy: ['county-office'],
    },
    {
      id: 'qinghe-gov',
      name: '淮安市清河区人民政府',
      kind: 'government',
      supervisors: [],
      supervisedBy: ['city-office'],
    },
    {
      id: 'huaian-gov',
      name: '淮安市人民政府',
      kind: 'government',
      supervisors: [],
      supervisedBy: ['city-office'],
    },
  ],
};

/** A real 2024 report of the agency, through extraction and validation. */
async function reportOf(agencyId: string) {
  const body = renderReport({
    agency: '清河区教育局',
    year: 2024,
    requests: consistentRequests(
      Array.from({ length: 21 }, (_, r) => [r === 0 ? 2 : 0, 0, 0, 0, 0, 0]),
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
    ),
    appeals: consistentAppeals([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]),
  });
  const bytes = new TextEncoder().encode(body);
  const key = `incoming/${agencyId}/2024年报.txt`;
  const upload = {
    bucket: 'b',
    key,
    versionId: 'v1',
    sequencer: '01',
    eventTime: '2025-01-10T02:00:00Z',
    size: bytes.length,
  };
  return checkDocument({ file: key, bytes, agencyId, upload }, await extractDocument(bytes));
}

class Outbox implements ReminderSender {
  sent: ReminderMessage[] = [];
  failNext = 0;
  async send(m: ReminderMessage) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('SNS throttled');
    }
    this.sent.push(m);
  }
}

describe('reminders on dynalite', () => {
  let dynamo: Awaited<ReturnType<typeof startDynalite>>;
  let records: DynamoRecordStore;
  let log: DynamoReminderLog;
  let outbox: Outbox;
  beforeAll(async () => {
    dynamo = await startDynalite();
    records = new DynamoRecordStore(dynamo.db, dynamo.tableName);
    log = new DynamoReminderLog(dynamo.db, dynamo.tableName);
    await records.save(await reportOf('qinghe-edu'));
  });
  afterAll(() => dynamo.stop());
  beforeEach(() => {
    outbox = new Outbox();
  });
  const run = (today: string, dryRun = false) =>
    sendReminders({ registry, records, log, sender: outbox }, today, { dryRun });
  const summary = (ms: ReminderMessage[]) => ms.map((m) => `${m.type} ${m.to.kind}/${m.to.id}`);

  it('before 15 January nobody is reminded; from 15 January departments that have not submitted are', async () => {
    expect((await run('2025-01-14')).sent).toEqual([]);
    const first = await run('2025-01-15');
    expect(summary(first.sent)).toEqual(['reminder agency/qinghe-health']);
    const m = first.sent[0] as ReminderMessage;
    expect(m.subject).toBe('[年报提醒] 清河区卫生健康委员会 2024年度报告请于2025年1月31日前提交');
    expect(m.message).toContain('应于2025年1月31日前向社会公布（距截止还有 16 天）');
    expect(m.message).toContain('请在截止日前在网站公布，并通过上传页面提交报告');
    expect(m.attributes).toMatchObject({
      messageType: 'reminder',
      agencyId: 'qinghe-health',
      year: '2024',
      day: '2025-01-15',
    });
  });

  it('a run repeated the same day sends nothing new; a dry run shows what is left without recording', async () => {
    const again = await run('2025-01-15');
    expect(again.sent).toEqual([]);
    expect(summary(again.alreadySent)).toEqual(['reminder agency/qinghe-health']);
    const preview = await run('2025-01-16', true);
    expect(summary(preview.sent)).toEqual(['reminder agency/qinghe-health']);
    expect(outbox.sent).toEqual([]);
    expect(await log.recorded(preview.sent[0] as ReminderMessage)).toBe(false);
  });

  it('a failed publish releases its claim: the retry sends the message, once', async () => {
    outbox.failNext = 1;
    await expect(run('2025-01-17')).rejects.toThrow('SNS throttled');
    expect(outbox.sent).toEqual([]);
    expect(summary((await run('2025-01-17')).sent)).toEqual(['reminder agency/qinghe-health']);
    expect(summary((await run('2025-01-17')).sent)).toEqual([]);
    const item = await records.item(
      reminderPk({ kind: 'agency', id: 'qinghe-health' }),
      reminderSk('2025-01-17'),
    );
    expect(item?.sentAt).toBeDefined();
  });

  it('after the deadline: an overdue notice to the agency and a digest to each office above it', async () => {
    const { sent } = await run('2025-02-01');
    expect(summary(sent)).toEqual([
      'overdue agency/qinghe-health',
      'digest office/city-office',
      'digest office/county-office',
    ]);
    const [notice, city, county] = sent as [ReminderMessage, ReminderMessage, ReminderMessage];
    expect(notice.subject).toBe('[年报逾期] 清河区卫生健康委员会 2024年度报告已逾期 1 天');
    expect(notice.message).toContain('截止日期是2025年1月31日，已逾期 1 天');
    expect(notice.message).toContain('请尽快在网站公布，并通过上传页面提交报告');
    expect(notice.message).toContain('督查的政务公开工作主管部门同时收到逾期名单');
    expect(county.message).toContain(
      '1. 清河区卫生健康委员会（qinghe-health，部门）截止2025年1月31日，逾期 1 天，未提交',
    );
    expect(county.attributes).toMatchObject({
      messageType: 'digest',
      officeId: 'county-office',
      agencyIds: ['qinghe-health'],
    });
    expect(city.attributes.agencyIds).toEqual(['qinghe-health']);
  });

  it("governments' deadline is later: on 1 April they are overdue, and each digest lists all of the office's overdue agencies", async () => {
    const { sent } = await run('2025-04-01'); // a Tuesday: the department, 60 days late, is not notified today
    expect(summary(sent)).toEqual([
      'overdue agency/qinghe-gov',
      'overdue agency/huaian-gov',
      'digest office/city-office',
    ]);
    expect(sent[2]?.attributes.agencyIds).toEqual(['qinghe-health', 'qinghe-gov', 'huaian-gov']);
    expect(sent[2]?.subject).toBe('[年报督查] 淮安市政务公开办 2024年度报告逾期 3 家');
  });

  it('the handler takes the day from the scheduled time: 23:59 and 00:00 China time on the deadline', async () => {
    const handler = createRemindHandler({
      registry,
      records,
      log,
      sender: outbox,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    await handler({ scheduledTime: '2026-01-31T15:59:00Z' });
    await handler({ scheduledTime: '2026-01-31T16:00:00Z' });
    expect(outbox.sent.map((m) => `${m.type} ${m.day} ${m.to.id}`)).toEqual([
      'reminder 2026-01-31 qinghe-edu',
      'reminder 2026-01-31 qinghe-health',
      'overdue 2026-02-01 qinghe-edu',
      'overdue 2026-02-01 qinghe-health',
      'digest 2026-02-01 city-office',
      'digest 2026-02-01 county-office',
    ]);
    await expect(handler({ today: '2026-02-30' })).rejects.toThrow('not a day');
  });
});

describe('SnsReminderSender', () => {
  it("publishes on the owner's topic with filterable attributes", async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const sender = new SnsReminderSender(new SNSClient({ region: 'cn-north-1' }), {
      agency: 'arn:aws-cn:sns:cn-north-1:1:RP-agency-',
      office: 'arn:aws-cn:sns:cn-north-1:1:RP-office-',
    });
    await sender.send({
      to: { kind: 'office', id: 'city-office' },
      type: 'digest',
      day: '2025-02-01',
      year: 2024,
      subject: 's',
      message: 'm',
      attributes: {
        messageType: 'digest',
        year: '2024',
        day: '2025-02-01',
        officeId: 'city-office',
        agencyIds: ['a', 'b'],
        noticeId: 'n',
      },
    });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toMatchObject({
      TopicArn: 'arn:aws-cn:sns:cn-north-1:1:RP-office-city-office',
      MessageAttributes: {
        messageType: { DataType: 'String', StringValue: 'digest' },
        officeId: { DataType: 'String', StringValue: 'city-office' },
        agencyIds: { DataType: 'String.Array', StringValue: '["a","b"]' },
      },
    });
    sns.restore();
  });
});

describe('reminder properties', () => {
  /** The log's contract in memory: one claim per owner and day. */
  class MemoryLog {
    readonly claims = new Set<string>();
    key = (m: ReminderMessage) => `${m.to.kind}/${m.to.id}/${m.day}`;
    async claim(m: ReminderMessage) {
      if (this.claims.has(this.key(m))) return false;
      this.claims.add(this.key(m));
      return true;
    }
    async release(m: ReminderMessage) {
      this.claims.delete(this.key(m));
    }
    async markSent() {}
    async recorded(m: ReminderMessage) {
      return this.claims.has(this.key(m));
    }
  }

  it('any day, any submissions: one message per owner, only to agencies that have not submitted, digests list only overdue ones; a rerun sends nothing', async () => {
    const stored = await reportOf('qinghe-edu');
    const day = fc
      .integer({ min: Date.parse('2024-12-01T00:00:00Z'), max: Date.parse('2025-12-31T00:00:00Z') })
      .map((ms) => new Date(ms).toISOString().slice(0, 10));
    const submitted = fc.subarray(registry.agencies.map((a) => a.id));
    await fc.assert(
      fc.asyncProperty(day, submitted, async (today, ids) => {
        const records = {
          latest: async (agencyId: string, year: number) =>
            ids.includes(agencyId) && year === 2024 ? { ...firstRevision(stored) } : null,
        };
        const log = new MemoryLog();
        const outbox = new Outbox();
        const run = await sendReminders({ registry, records, log, sender: outbox }, today);
        const owners = run.sent.map((m) => `${m.to.kind}/${m.to.id}`);
        expect(new Set(owners).size).toBe(owners.length);
        for (const m of run.sent) {
          if (m.to.kind === 'agency') {
            expect(ids).not.toContain(m.to.id);
            const agency = registry.agencies.find((a) => a.id === m.to.id);
            expect(phaseOf(agency as (typeof registry.agencies)[number], today).kind).toBe(m.type);
          } else {
            expect(m.type).toBe('digest');
            for (const id of m.attributes.agencyIds ?? []) {
              expect(ids).not.toContain(id);
              const agency = registry.agencies.find((a) => a.id === id);
              expect(phaseOf(agency as (typeof registry.agencies)[number], today).kind).toBe('overdue');
            }
          }
        }
        expect((await sendReminders({ registry, records, log, sender: outbox }, today)).sent).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
