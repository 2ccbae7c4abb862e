import type { ReportRecord } from '../report/index.ts';
import { mapConcurrently } from './concurrently.ts';
import type { Agency, Office, Registry } from './registry.ts';
import { type Phase, phaseOf } from './reminder-calendar.ts';
import { REPORT_TYPE_LABELS } from './report-types.ts';
import { agenciesUnder } from './supervision.ts';
import type { StoredRecord } from './table-layout.ts';

/**
 * The reporting season's reminders (see reminder-calendar.ts for the days): to each agency that has not
 * submitted its report for the year, on its own topic, a reminder before the deadline or an overdue notice
 * after it; and, on the days overdue notices go out, one digest per supervising office listing the
 * overdue agencies under it, on the office's topic. "Not submitted": no stored report for the year, or
 * only a file that could not be read (FAILED) — an INVALID report was submitted, its notice covers it.
 *
 * At most one message per agency (and per office) per day: each is claimed in the reminder log before it
 * is sent, so a run repeated the same day sends nothing new. A claim whose publish fails is released
 * (the retry sends it); a crash between claim and publish loses that day's message, never doubles it.
 */
export type ReminderOwner = { kind: 'agency' | 'office'; id: string };
export type ReminderType = 'reminder' | 'overdue' | 'digest';

export interface ReminderMessage {
  to: ReminderOwner;
  type: ReminderType;
  day: string;
  year: number;
  subject: string;
  message: string;
  /** SNS message attributes, for subscription filter policies. */
  attributes: {
    messageType: ReminderType;
    year: string;
    day: string;
    agencyId?: string;
    officeId?: string;
    /** A digest's overdue agencies. */
    agencyIds?: string[];
    /** The same for every attempt at this message: subscribers drop repeats by it. */
    noticeId: string;
  };
}

/** What the reminders need of the reports table: the latest report of an agency for a year, by key. */
export interface SubmissionLookup {
  latest(agencyId: string, year: number): Promise<StoredRecord | null>;
}

export interface ReminderLog {
  /** Writes the intent to send the owner's message of the day; false when one is already recorded. */
  claim(message: ReminderMessage): Promise<boolean>;
  /** Drops a claim whose message could not be sent, so that a retry sends it. */
  release(message: ReminderMessage): Promise<void>;
  markSent(message: ReminderMessage): Promise<void>;
  /** Whether the owner's message of the day is already recorded (for a dry run). */
  recorded(message: ReminderMessage): Promise<boolean>;
}

export interface ReminderSender {
  send(message: ReminderMessage): Promise<void>;
}

const KIND_NAMES: Record<Agency['kind'], string> = { department: '部门', government: '人民政府' };
const dateCn = (day: string) =>
  `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
const noticeId = (to: ReminderOwner, day: string) => `reminder#${to.kind}#${to.id}#${day}`;
/** SNS takes 256 KB with the attributes; a digest of thousands of agencies is cut well below. */
const MAX_MESSAGE_BYTES = 200 * 1024;

interface Outstanding {
  agency: Agency;
  phase: Phase & { year: number };
  /** The latest stored report when it is a file that could not be read. */
  failed: ReportRecord | null;
}

function agencyMessage(o: Outstanding, day: string): ReminderMessage | null {
  const { agency, phase, failed } = o;
  if (phase.kind === 'none' || (phase.kind === 'overdue' && !phase.notify)) return null;
  const to: ReminderOwner = { kind: 'agency', id: agency.id };
  const y = phase.year;
  const state =
    failed === null
      ? `系统中尚未收到贵单位的${y}年度报告。`
      : `系统收到的文件无法处理（${failed.failure?.code ?? 'FAILED'}：${failed.upload?.key ?? failed.source.file}），视为尚未提交。`;
  const upload = `在网站公布，并通过上传页面提交报告（${REPORT_TYPE_LABELS}）；已公布的，也请上传同一份报告以便核对。`;
  const base = { to, day, year: y };
  const attributes = { year: String(y), day, agencyId: agency.id, noticeId: noticeId(to, day) };
  if (phase.kind === 'reminder') {
    const left = phase.daysLeft === 0 ? '今天是截止日' : `距截止还有 ${phase.daysLeft} 天`;
    return {
      ...base,
      type: 'reminder',
      subject: `[年报提醒] ${agency.name} ${y}年度报告请于${dateCn(phase.deadline)}前提交`.slice(0, 99),
      message: [
        `${agency.name}：`,
        `按照《政府信息公开条例》第四十九条，${y}年度政府信息公开工作年度报告应于${dateCn(phase.deadline)}前向社会公布（${left}）。`,
        state,
        `请在截止日前${upload}`,
      ].join('\n'),
      attributes: { ...attributes, messageType: 'reminder' },
    };
  }
  return {
    ...base,
    type: 'overdue',
    subject: `[年报逾期] ${agency.name} ${y}年度报告已逾期 ${phase.daysLate} 天`.slice(0, 99),
    message: [
      `${agency.name}：`,
      `${y}年度政府信息公开工作年度报告的截止日期是${dateCn(phase.deadline)}，已逾期 ${phase.daysLate} 天。`,
      state,
      `请尽快${upload}`,
      ...((agency.supervisedBy ?? []).length > 0 ? ['督查的政务公开工作主管部门同时收到逾期名单。'] : []),
    ].join('\n'),
    attributes: { ...attributes, messageType: 'overdue' },
  };
}

function digest(office: Office, overdue: Outstanding[], day: string): ReminderMessage {
  const to: ReminderOwner = { kind: 'office', id: office.id };
  const year = overdue[0]?.phase.year ?? Number(day.slice(0, 4)) - 1;
  const lines = [
    `${office.name}：`,
    `截至${dateCn(day)}，所督查的单位中有 ${overdue.length} 家的${year}年度政府信息公开工作年度报告已逾期：`,
    '',
  ];
  let bytes = Buffer.byteLength(lines.join('\n'));
  let listed = 0;
  for (const o of overdue) {
    if (o.phase.kind !== 'overdue') continue;
    const what = o.failed === null ? '未提交' : '文件无法处理';
    const line = `${listed + 1}. ${o.agency.name}（${o.agency.id}，${KIND_NAMES[o.agency.kind]}）截止${dateCn(o.phase.deadline)}，逾期 ${o.phase.daysLate} 天，${what}`;
    if (bytes + Buffer.byteLength(line) + 1 > MAX_MESSAGE_BYTES - 400) break;
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
    listed++;
  }
  if (listed < overdue.length)
    lines.push(`……另有 ${overdue.length - listed} 家未列出，请在督查页面查看全部。`);
  lines.push('', '请督促上述单位尽快公布并上传年度报告；各单位已分别收到逾期通知。');
  return {
    to,
    type: 'digest',
    day,
    year,
    subject: `[年报督查] ${office.name} ${year}年度报告逾期 ${overdue.length} 家`.slice(0, 99),
    message: lines.join('\n'),
    attributes: {
      messageType: 'digest',
      year: String(year),
      day,
      officeId: office.id,
      agencyIds: overdue.slice(0, listed).map((o) => o.agency.id),
      noticeId: noticeId(to, day),
    },
  };
}

/** Looks up, `concurrency` at a time, whether each agency in its window has submitted. */
async function outstanding(
  registry: Registry,
  today: string,
  records: SubmissionLookup,
  concurrency: number,
): Promise<Map<string, Outstanding>> {
  const active = registry.agencies
    .map((agency) => ({ agency, phase: phaseOf(agency, today) }))
    .filter((a) => a.phase.kind !== 'none');
  const found = new Map<string, Outstanding>();
  await mapConcurrently(active, concurrency, async (a) => {
    const latest = await records.latest(a.agency.id, a.phase.year);
    if (latest === null || latest.record.status === 'FAILED')
      found.set(a.agency.id, { ...a, failed: latest?.record ?? null });
  });
  return found;
}

/** Every message due on `today` (China time), agencies in registry order, then offices' digests. */
export async function remindersDue(
  registry: Registry,
  today: string,
  records: SubmissionLookup,
  concurrency = 16,
): Promise<ReminderMessage[]> {
  const missing = await outstanding(registry, today, records, concurrency);
  const messages: ReminderMessage[] = [];
  const notifiedToday = new Set<string>();
  for (const agency of registry.agencies) {
    const o = missing.get(agency.id);
    const m = o === undefined ? null : agencyMessage(o, today);
    if (m === null) continue;
    messages.push(m);
    if (m.type === 'overdue') notifiedToday.add(agency.id);
  }
  for (const office of registry.offices ?? []) {
    const under = agenciesUnder(registry, office.id);
    // A digest goes out on the days overdue notices go out to agencies under the office, and lists all of
    // its overdue agencies (the ones notified weekly too).
    if (!under.some((a) => notifiedToday.has(a.id))) continue;
    const overdue = under
      .map((a) => missing.get(a.id))
      .filter((o): o is Outstanding => o !== undefined && o.phase.kind === 'overdue');
    messages.push(digest(office, overdue, today));
  }
  return messages;
}

export interface ReminderRun {
  /** Messages sent by this run (or, on a dry run, that would be sent). */
  sent: ReminderMessage[];
  /** Messages due today that an earlier run already recorded. */
  alreadySent: ReminderMessage[];
}

/**
 * Sends the day's messages, each claimed first, `concurrency` at a time (a season's first day is a message
 * to most departments). A failed publish releases its claim and the others still go; the first error is
 * thrown at the end, so the scheduler's retry sends what is left and only that.
 */
export async function sendReminders(
  deps: { registry: Registry; records: SubmissionLookup; log: ReminderLog; sender: ReminderSender },
  today: string,
  options: { dryRun?: boolean; concurrency?: number } = {},
): Promise<ReminderRun> {
  const due = await remindersDue(deps.registry, today, deps.records, options.concurrency);
  const run: ReminderRun = { sent: [], alreadySent: [] };
  const concurrency = options.concurrency ?? 16;
  if (options.dryRun) {
    const recorded = await mapConcurrently(due, concurrency, (m) => deps.log.recorded(m));
    due.forEach((m, i) => {
      (recorded[i] ? run.alreadySent : run.sent).push(m);
    });
    return run;
  }
  let failure: unknown = null;
  const outcomes = await mapConcurrently(due, concurrency, async (message) => {
    if (!(await deps.log.claim(message))) return 'already';
    try {
      await deps.sender.send(message);
    } catch (error) {
      await deps.log.release(message);
      failure ??= error;
      return 'failed';
    }
    await deps.log.markSent(message);
    return 'sent';
  });
  due.forEach((m, i) => {
    if (outcomes[i] === 'sent') run.sent.push(m);
    else if (outcomes[i] === 'already') run.alreadySent.push(m);
  });
  if (failure !== null) throw failure;
  return run;
}
