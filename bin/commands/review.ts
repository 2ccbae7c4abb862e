import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { decideFinding } from '../../functions/api/review.ts';
import { reviewedReport } from '../../functions/api/reviewed-report.ts';
import { messageOf } from '../../functions/extract/index.ts';
import { findAgency, loadRegistry, type Registry } from '../../functions/pipeline/registry.ts';
import { REVIEW_STATUS_LABELS } from '../../functions/pipeline/review.ts';
import { FINGERPRINT, REASON_MAX } from '../../functions/pipeline/review-decision.ts';
import { findOffice, supervises } from '../../functions/pipeline/supervision.ts';
import { openLocalTable, StateFolderError } from '../../local/local-deps.ts';
import { parse, reportYearOption, UsageError } from './options.ts';
import { renderTable } from './table.ts';

/**
 * `report-pipeline review list|confirm|dismiss` on the local store: the same decision and view modules as
 * the API (functions/api/review.ts), for scripted reviews of the agency's latest upload for a year.
 */
function parseOptions(args: string[], registry: Registry) {
  const [action, ...rest] = args;
  if (action !== 'list' && action !== 'confirm' && action !== 'dismiss') {
    throw new UsageError(`expected list, confirm or dismiss, got '${action ?? ''}'`);
  }
  const { values, positionals } = parse(rest, {
    agency: { type: 'string' },
    year: { type: 'string' },
    json: { type: 'boolean' },
    dir: { type: 'string' },
    finding: { type: 'string' },
    reason: { type: 'string' },
    office: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const agency = String(values.agency ?? '');
  if (findAgency(registry, agency) === null) throw new UsageError(`--agency: unknown agency '${agency}'`);
  const year = reportYearOption(values.year);
  const options = {
    action,
    agency,
    year,
    json: values.json === true,
    dir: values.dir ?? '.local',
    finding: values.finding ?? '',
    reason: (values.reason ?? '').trim(),
    office: values.office ?? '',
  };
  if (action === 'list') {
    for (const flag of ['finding', 'reason', 'office'] as const)
      if (values[flag] !== undefined) throw new UsageError(`--${flag} is for confirm and dismiss`);
    return options;
  }
  if (!FINGERPRINT.test(options.finding))
    throw new UsageError('--finding takes a finding fingerprint (16 hex characters, see review list)');
  if (options.reason === '' || options.reason.length > REASON_MAX)
    throw new UsageError(`--reason takes the reason, 1–${REASON_MAX} characters`);
  if (findOffice(registry, options.office) === null)
    throw new UsageError(`--office: unknown office '${options.office}'`);
  if (!supervises(registry, options.office, agency))
    throw new UsageError(`--office ${options.office} does not supervise ${agency}`);
  return options;
}

function text(view: Awaited<ReturnType<typeof reviewedReport>>, objectKey: string, status: string): string {
  const state =
    view.reviewStatus === null ? '-' : `${view.reviewStatus}（${REVIEW_STATUS_LABELS[view.reviewStatus]}）`;
  const rows = view.issues.map((i) => [
    i.fingerprint,
    i.severity,
    i.code,
    i.review === null ? '-' : `${i.review.decision} ${i.review.office}`,
    i.message,
  ]);
  const fixed = view.fixed.map((f) => `  已更正 ${f.fingerprint} ${f.code}（${f.review.reason}）`);
  return [
    `${objectKey}  ${status}  审核：${state}`,
    renderTable(['finding', 'severity', 'code', 'review', 'message'], rows),
    ...fixed,
    '',
  ].join('\n');
}

export async function reviewCommand(args: string[]): Promise<number> {
  const registry = loadRegistry();
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(args, registry);
  } catch (error) {
    process.stderr.write(`report-pipeline review: ${messageOf(error)}\n`);
    return 2;
  }
  const tableDir = path.join(options.dir, 'dynamodb');
  if (!existsSync(tableDir)) {
    process.stderr.write(
      `report-pipeline review: no local store in ${options.dir} (run report-pipeline local first)\n`,
    );
    return 2;
  }
  let table: Awaited<ReturnType<typeof openLocalTable>>;
  try {
    table = await openLocalTable(tableDir);
  } catch (error) {
    if (!(error instanceof StateFolderError)) throw error;
    process.stderr.write(`report-pipeline review: ${error.message}\n`);
    return 2;
  }
  try {
    const { records, reviews } = table;
    const submission = await table.submissions.latestSubmission(options.agency, options.year);
    const record = submission === null ? null : await records.current(submission.objectKey);
    if (submission === null || record === null) {
      process.stderr.write(
        `report-pipeline review: no ${options.year} report of ${options.agency} in ${options.dir}\n`,
      );
      return 1;
    }
    const key = submission.objectKey;
    if (options.action === 'list') {
      const view = await reviewedReport(key, record, reviews);
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ agencyId: options.agency, year: options.year, objectKey: key, status: record.status, ...view })}\n`
          : text(view, key, record.status),
      );
      return 0;
    }
    const outcome = await decideFinding(
      {
        office: options.office,
        reviewer: `cli:${userInfo().username}`,
        key,
        fingerprint: options.finding,
        decision: options.action === 'confirm' ? 'CONFIRMED' : 'DISMISSED',
        reason: options.reason,
      },
      { registry, records, reviews },
    );
    if (!outcome.ok) {
      process.stderr.write(`report-pipeline review: ${outcome.message}\n`);
      return 1;
    }
    const { decision, answer } = outcome;
    process.stdout.write(
      `${decision.decision} ${decision.fingerprint} ${decision.code}（${key}）；审核状态 ${answer.reviewStatus ?? '-'}\n`,
    );
    return 0;
  } finally {
    await table.stop();
  }
}
