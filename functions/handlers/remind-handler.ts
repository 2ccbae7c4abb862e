import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { chinaDay } from '../pipeline/china-time.ts';
import type { Registry } from '../pipeline/registry.ts';
import { isDay } from '../pipeline/reminder-calendar.ts';
import {
  type ReminderLog,
  type ReminderSender,
  type SubmissionLookup,
  sendReminders,
} from '../pipeline/reminders.ts';

/**
 * What the daily schedule passes: the time it fired (EventBridge Scheduler's `<aws.scheduler.scheduled-time>`;
 * a retry of one firing carries the same), or, for a run by hand, the China-time day itself.
 */
export interface RemindEvent {
  scheduledTime?: string;
  today?: string;
}

/** The reminders' Lambda handler: the day from the event, the day's messages sent once. */
export function createRemindHandler(deps: {
  registry: Registry;
  records: SubmissionLookup;
  log: ReminderLog;
  sender: ReminderSender;
  logger: Logger;
  now?: () => Date;
}) {
  return async (event: RemindEvent, context?: Context) => {
    if (context !== undefined) deps.logger.addContext(context);
    const today =
      event.today ??
      chinaDay(event.scheduledTime ? new Date(event.scheduledTime) : (deps.now?.() ?? new Date()));
    if (!isDay(today)) throw new Error(`not a day: ${today} (from ${JSON.stringify(event)})`);
    const run = await sendReminders(deps, today);
    const counts = { reminder: 0, overdue: 0, digest: 0 };
    for (const m of run.sent) counts[m.type]++;
    deps.logger.info('reminders sent', { today, ...counts, alreadySent: run.alreadySent.length });
    return { today, sent: run.sent.length, alreadySent: run.alreadySent.length };
  };
}
