/**
 * `report-pipeline`: the command-line face of the pipeline. Each command returns its exit code and is
 * imported only when it runs: `--help` loads nothing else, `check` never loads the AWS SDK.
 */
export const USAGE = `report-pipeline — 政府信息公开工作年度报告 ingestion and validation

Usage:
  report-pipeline check FILE|DIR... [--json] [--agency ID] [--html OUT.html]
                                            Extract, parse and validate reports. Prints per file the
                                            agency, year, status and every issue with its location;
                                            --json prints one record per line ({"file": …, …record}).
                                            --agency sets the uploading agency id on the records.
                                            --html also writes one self-contained page with each
                                            report's tables as read and its findings' cells marked.
  report-pipeline local [FILE|DIR ...] [--agency ID] [--json] [--memory] [--dir D]
                                            Run the whole pipeline on this machine (dynalite, in-process
                                            S3, the Lambda handlers) on the files given, by default the
                                            samples/ folder. DIR/{agencyId}/file gives each file's agency.
                                            Prints each file's record and the notifications sent.
  report-pipeline local --list              Show the records stored in .local/ by earlier runs.
  report-pipeline local --watch DIR         Process every file dropped under DIR/{agencyId}/.
  report-pipeline local --serve [--port N]  Serve the upload API and its pages on localhost (default
                                            port 8787); sign in at its OpenID Connect provider with the
                                            password printed at start.
  report-pipeline local ... --webhooks FILE Also post each notice to the group robots the registry
                                            names (FILE: {secretName: {url, secret}}; or set
                                            REPORT_PIPELINE_WEBHOOKS).
  report-pipeline status --year Y [--office ID] [--json|--csv] [--dir D]
                                            The year's status for a supervising office from the local
                                            store (default .local): every agency under it, NOT_SUBMITTED
                                            / FAILED / INVALID / VALID, upload time, on time or late,
                                            error and warning counts, main codes. Without --office: each
                                            office at the top of the tree. --csv: UTF-8 with BOM.
  report-pipeline stats --year Y [--query NAME] [--office ID] [--csv|--json] [--dir D | --data DIR]
                                            The analytics dataset's saved queries on DuckDB (default
                                            indicators: 实质公开率, 复议纠错率 …) over the local run's
                                            Parquet exports, or --data: a copy of the deployed dataset.
  report-pipeline stats --summary --office ID --year Y [--html OUT] [--csv|--json]
                                            The office's 汇总 tables: 二、三、四 summed over every body
                                            under it (latest valid or reviewed report each), the bodies
                                            left out and why, the sums' arithmetic checked.
  report-pipeline review list --agency ID --year Y [--json] [--dir D]
                                            The findings of the agency's latest upload for the year in
                                            the local store, each with its fingerprint and the latest
                                            reviewer's decision; the review status; fixed findings.
  report-pipeline review confirm|dismiss --agency ID --year Y --finding FP --reason TEXT --office OFFICE
                [--dir D]                   Record an office's decision on one finding (the office must
                                            supervise the agency). Kept for every later upload of the
                                            agency-year with the same finding; dismissed ones are not
                                            notified again.
  report-pipeline local remind --today YYYY-MM-DD [--dry-run] [--json]
                                            Run the daily reminders of the reporting season on the local
                                            store for that China-time day: prints what is sent (into
                                            .local/outbox.jsonl); a second run of a day sends nothing.
  report-pipeline topics sync --key-arn ARN [--webhook-queue-arn ARN] [--stack NAME] [--dry-run]
                             [--delete-removed] [--json]
                                            Create and update the SNS topics of the registry's agencies
                                            and offices, their e-mail subscriptions and the robots'
                                            queue (needed when the registry names robots); prints the plan.
  report-pipeline upload FILE --api URL (--token TOKEN | --sign-in ACCOUNT) [--year Y] [--json]
                                            Upload through the API's pre-signed POST, with a progress
                                            bar, then wait for the result and print it. --sign-in: as
                                            ACCOUNT at local --serve's provider, the password from
                                            REPORT_PIPELINE_LOCAL_PASSWORD.
  report-pipeline extract FILE [--json]     Extract a report file (PDF, DOCX, HTML, TXT) into lines and
                                            table cells. Text: one line per line, cells separated by tabs.
  report-pipeline --help                    Show this help.

Extraction limits (all commands that read files):
  --max-mb N        largest file accepted, in MB (default 50)
  --max-pages N     most PDF pages read (default 500)
  --timeout-s N     time budget per file, in seconds (default 60)

Exit codes: 0 success (check: every report valid), 1 a report is invalid, 2 a file failed
(unreadable, not extractable) or bad usage.
On failure the code and a one-line reason go to stderr, e.g. "FILE_ENCRYPTED: PDF 已加密…".
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    case 'check':
      // One extraction worker starts before check's own code is loaded: its start-up (Node, pdf.js)
      // overlaps the CLI's. check takes it over, and starts more only when there is more than one file.
      (await import('../functions/extract/pool.ts')).prestartWorkers();
      return (await import('./commands/check.ts')).checkCommand(rest);
    case 'extract':
      (await import('../functions/extract/pool.ts')).prestartWorkers();
      return (await import('./commands/extract.ts')).extractCommand(rest);
    case 'local':
      // `local remind` is a command of its own on the local store (the season's reminders), not a mode of
      // the local run.
      return rest[0] === 'remind'
        ? (await import('./commands/local/remind.ts')).remindCommand(rest.slice(1))
        : (await import('./commands/local.ts')).localCommand(rest);
    case 'review':
      return (await import('./commands/review.ts')).reviewCommand(rest);
    case 'stats':
      return (await import('./commands/stats.ts')).statsCommand(rest);
    case 'status':
      return (await import('./commands/status.ts')).statusCommand(rest);
    case 'topics':
      return (await import('./commands/topics.ts')).topicsCommand(rest);
    case 'upload':
      return (await import('./commands/upload.ts')).uploadCommand(rest);
    default:
      process.stderr.write(`report-pipeline: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}
