import { chinaDay } from '../pipeline/china-time.ts';
import type { Registry } from '../pipeline/registry.ts';
import { isDay } from '../pipeline/reminder-calendar.ts';
import {
  type ReminderLog,
  type ReminderSender,
  type SubmissionLookup,
  sendReminders,
} from '../pipeline/reminders.ts';
import { count, type Instruments, instrumented, METRIC, publishWith } from './observability.ts';

/**
 * What the daily schedule passes: the time it fired (EventBridge Scheduler's `<aws.scheduler.scheduled-time>`;
 * a retry of one firing carries the same), or, for a run by hand, the China-time day itself.
 */
export interface RemindEvent {
  scheduledTime?: string;
  today?: string;
}

/** The reminders' Lambda handler: the day from the event, the day's messages sent once. */
export function createRemindHandler(
  deps: Instruments & {
    registry: Registry;
    records: SubmissionLookup;
    log: ReminderLog;
    sender: ReminderSender;
    now?: () => Date;
  },
) {
  return instrumented(deps, async (event: RemindEvent) => {
    const today =
      event.today ??
      chinaDay(event.scheduledTime ? new Date(event.scheduledTime) : (deps.now?.() ?? new Date()));
    if (!isDay(today)) throw new Error(`not a day: ${today} (from ${JSON.stringify(event)})`);
    const run = await sendReminders(deps, today);
    const counts = { reminder: 0, overdue: 0, digest: 0 };
    for (const m of run.sent) counts[m.type]++;
    deps.logger.info('reminders sent', { today, ...counts, alreadySent: run.alreadySent.length });
    for (const [type, n] of Object.entries(counts))
      publishWith(deps.metrics, { type }, [[METRIC.remindersSent, n]]);
    count(deps.metrics, METRIC.remindersAlreadySent, run.alreadySent.length);
    return { today, sent: run.sent.length, alreadySent: run.alreadySent.length };
  });
}
