import { distinctCodes, type ReportRecord, STATUS_NAMES } from '../../../functions/report/index.ts';
import type { LocalNotifier } from '../../../local/local-notifier.ts';
import { renderTable } from '../table.ts';

/** How `local` shows records and the messages sent: one table row per file, messages by topic. */
export const HEADER = ['文件 file', '机关 agency', '年度 year', '状态 status', '问题 codes'];

const codesOf = (r: ReportRecord) => distinctCodes(r.issues).join(' ');

export const row = (file: string, r: ReportRecord | null, agencyId: string): string[] =>
  r === null
    ? [file, agencyId, '', '未完成', 'no record (dead-lettered)']
    : [
        file,
        `${r.agency ?? '—'} (${r.agencyId ?? agencyId})`,
        String(r.year ?? '—'),
        `${STATUS_NAMES[r.status]} ${r.status}`,
        codesOf(r),
      ];

export const table = (rows: string[][]): string => `${renderTable(HEADER, rows)}\n`;

export function printNotifications(outbox: LocalNotifier, from: number): void {
  const sent = outbox.sent.slice(from);
  process.stdout.write(`\n通知 notifications sent: ${sent.length}\n`);
  const byTopic = Map.groupBy(sent, (n) => n.topic);
  for (const [topic, list] of byTopic) {
    process.stdout.write(`\n== ${topic} (${list.length}) ==\n`);
    for (const n of list) process.stdout.write(`${n.subject}\n${n.message.replace(/^/gm, '  ')}\n`);
  }
}

/** Waits for Ctrl-C (or a TERM), for the modes that run until stopped. */
export const untilStopped = (): Promise<void> =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
