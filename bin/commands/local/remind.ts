import path from 'node:path';
import { messageOf } from '../../../functions/extract/index.ts';
import { isDay } from '../../../functions/pipeline/reminder-calendar.ts';
import { type ReminderMessage, sendReminders } from '../../../functions/pipeline/reminders.ts';
import { StateFolderError, startLocalDeps } from '../../../local/local-deps.ts';
import { WEBHOOKS_ENV, WebhooksFileError } from '../../../local/local-robots.ts';
import { parse, UsageError } from '../options.ts';

function parseOptions(args: string[]) {
  const { values, positionals } = parse(args, {
    today: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
    memory: { type: 'boolean' },
    dir: { type: 'string' },
  });
  const today = values.today;
  if (today === undefined || !isDay(today))
    throw new UsageError('--today takes a day, YYYY-MM-DD (China time)');
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  return {
    today,
    dryRun: values['dry-run'] === true,
    json: values.json === true,
    dir: values.memory === true ? null : (values.dir ?? '.local'),
  };
}

/**
 * `report-pipeline local remind --today YYYY-MM-DD [--dry-run] [--json] [--memory] [--dir D]`: the daily
 * reminders run as the schedule runs them, on the local store: what is due that day goes to the outbox
 * (`{dir}/outbox.jsonl`) and is printed; the reminder log in the local table makes a second run of the same
 * day send nothing. --dry-run prints what would be sent and records nothing.
 */
export async function remindCommand(args: string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(args);
  } catch (error) {
    process.stderr.write(`report-pipeline local remind: ${messageOf(error)}\n`);
    return 2;
  }
  let deps: Awaited<ReturnType<typeof startLocalDeps>>;
  try {
    // The group robots get the day's messages too, as on AWS (the same REPORT_PIPELINE_WEBHOOKS file).
    deps = await startLocalDeps({ dir: options.dir, webhooks: process.env[WEBHOOKS_ENV] ?? null });
  } catch (error) {
    if (!(error instanceof StateFolderError || error instanceof WebhooksFileError)) throw error;
    process.stderr.write(`report-pipeline local remind: ${error.message}\n`);
    return 2;
  }
  try {
    const run = await sendReminders(
      { registry: deps.registry, records: deps.records, log: deps.reminderLog, sender: deps.outbox },
      options.today,
      { dryRun: options.dryRun },
    );
    if (options.json) {
      for (const m of run.sent) process.stdout.write(`${JSON.stringify({ ...m, dryRun: options.dryRun })}\n`);
      return 0;
    }
    const verb = options.dryRun ? 'would send' : 'sent';
    for (const m of run.sent) {
      process.stdout.write(
        `\n== ${m.to.kind}-${m.to.id} (${m.type}) ==\n${m.subject}\n${m.message.replace(/^/gm, '  ')}\n`,
      );
    }
    const counts = (type: ReminderMessage['type']) => run.sent.filter((m) => m.type === type).length;
    process.stdout.write(
      `\n${options.today}: ${verb} ${run.sent.length} (reminders ${counts('reminder')}, overdue ${counts('overdue')}, digests ${counts('digest')}); already sent that day: ${run.alreadySent.length}\n`,
    );
    if (!options.dryRun && options.dir !== null)
      process.stdout.write(`Outbox: ${path.join(options.dir, 'outbox.jsonl')}\n`);
    return 0;
  } finally {
    await deps.stop();
  }
}
