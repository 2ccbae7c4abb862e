import { watch } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LocalStack } from '../../functions/local/local-stack.ts';
import { devToken, serve } from '../../functions/local/serve.ts';
import { AGENCY_ID } from '../../functions/pipeline/keys.ts';
import { distinctCodes, type ReportRecord, STATUS_NAMES } from '../../functions/report/index.ts';
import { parse, UsageError } from './options.ts';
import { REPORT_FILE, reportFilesIn } from './report-files.ts';
import { renderTable } from './table.ts';

export const SAMPLES_DIR = path.join(import.meta.dirname, '..', '..', 'samples');

interface Upload {
  file: string;
  agencyId: string;
}

/** Files to upload: DIR/{agencyId}/… gives each file's agency, unless --agency names it. */
async function uploadsFrom(args: readonly string[], agency: string | null): Promise<Upload[]> {
  const uploads: Upload[] = [];
  for (const arg of args) {
    const info = await stat(arg).catch(() => null);
    if (info === null) throw new UsageError(`no such file or directory: ${arg}`);
    if (info.isDirectory()) {
      for (const file of await reportFilesIn(arg)) {
        const name = path.basename(file);
        const first = path.relative(arg, file).split(path.sep)[0] ?? '';
        // DIR/{agencyId}/…; a file right inside DIR takes DIR's own name (samples/huaian-gov/x.pdf).
        const candidate = first === name ? path.basename(path.resolve(arg)) : first;
        const agencyId = agency ?? (AGENCY_ID.test(candidate) ? candidate : null);
        if (agencyId === null) {
          throw new UsageError(
            `cannot tell the agency of ${file}: put it under ${arg}/{agencyId}/ or use --agency`,
          );
        }
        uploads.push({ file, agencyId });
      }
    } else {
      const parent = path.basename(path.dirname(path.resolve(arg)));
      const agencyId = agency ?? (AGENCY_ID.test(parent) ? parent : null);
      if (agencyId === null) throw new UsageError(`cannot tell the agency of ${arg}: use --agency ID`);
      uploads.push({ file: arg, agencyId });
    }
  }
  return uploads.sort((a, b) => a.file.localeCompare(b.file));
}

const codesOf = (r: ReportRecord) => distinctCodes(r.issues).join(' ');
const row = (file: string, r: ReportRecord | null, agencyId: string) =>
  r === null
    ? [file, agencyId, '', '未完成', 'no record (dead-lettered)']
    : [
        file,
        `${r.agency ?? '—'} (${r.agencyId ?? agencyId})`,
        String(r.year ?? '—'),
        `${STATUS_NAMES[r.status]} ${r.status}`,
        codesOf(r),
      ];
const HEADER = ['文件 file', '机关 agency', '年度 year', '状态 status', '问题 codes'];

function printNotifications(stack: LocalStack, from: number): void {
  const sent = stack.notifier.sent.slice(from);
  process.stdout.write(`\n通知 notifications sent: ${sent.length}\n`);
  const byTopic = Map.groupBy(sent, (n) => n.topic);
  for (const [topic, list] of byTopic) {
    process.stdout.write(`\n== ${topic} (${list.length}) ==\n`);
    for (const n of list) process.stdout.write(`${n.subject}\n${n.message.replace(/^/gm, '  ')}\n`);
  }
}

/**
 * `report-pipeline local [FILE|DIR ...] [--agency ID] [--json] [--memory] [--dir D] [--list] [--watch DIR]`:
 * the whole pipeline on this machine. Exit 1 when a file did not end in a record.
 */
export async function localCommand(args: string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  let uploads: Upload[] = [];
  try {
    options = parseOptions(args);
    if (!options.list && options.watch === null && !options.serve) {
      uploads = await uploadsFrom(options.inputs.length > 0 ? options.inputs : [SAMPLES_DIR], options.agency);
    }
  } catch (error) {
    process.stderr.write(`report-pipeline local: ${(error as Error).message}\n`);
    return 2;
  }
  const stack = await LocalStack.start({ dir: options.memory ? null : options.dir });
  try {
    if (options.list) {
      const records = await stack.list();
      if (options.json) for (const r of records) process.stdout.write(`${JSON.stringify(r)}\n`);
      else
        process.stdout.write(
          `${renderTable(
            HEADER,
            records.map((r) => row(r.upload?.key ?? r.source.file, r, '')),
          )}\n`,
        );
      return 0;
    }
    if (options.watch !== null) return await watchFolder(stack, options.watch, options.json);
    if (options.serve) return await serveApi(stack, options.port);

    let missing = 0;
    const rows: string[][] = [];
    const sentBefore = stack.notifier.sent.length;
    for (const upload of uploads) {
      const key = await stack.upload(
        upload.agencyId,
        path.basename(upload.file),
        await readFile(upload.file),
      );
      const record = await stack.record(key);
      if (record === null) missing++;
      if (options.json)
        process.stdout.write(
          `${JSON.stringify({ file: upload.file, ...(record ?? { key, status: null }) })}\n`,
        );
      rows.push(row(path.relative(process.cwd(), upload.file) || upload.file, record, upload.agencyId));
    }
    if (!options.json) {
      process.stdout.write(`${renderTable(HEADER, rows)}\n`);
      printNotifications(stack, sentBefore);
      process.stdout.write(
        `\n${options.memory ? 'State kept in memory only.' : `State kept in ${options.dir} (report-pipeline local --list).`}\n`,
      );
    }
    return missing > 0 ? 1 : 0;
  } finally {
    await stack.stop();
  }
}

function parseOptions(args: string[]) {
  const { values, positionals } = parse(args, {
    agency: { type: 'string' },
    json: { type: 'boolean' },
    memory: { type: 'boolean' },
    dir: { type: 'string' },
    list: { type: 'boolean' },
    watch: { type: 'string' },
    serve: { type: 'boolean' },
    port: { type: 'string' },
  });
  const port = Number((values.port as string | undefined) ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number');
  const agency = (values.agency as string | undefined) ?? null;
  if (agency !== null && !AGENCY_ID.test(agency))
    throw new UsageError(`--agency: not an agency id: '${agency}'`);
  return {
    inputs: positionals,
    agency,
    json: values.json === true,
    memory: values.memory === true,
    dir: (values.dir as string | undefined) ?? '.local',
    list: values.list === true,
    watch: (values.watch as string | undefined) ?? null,
    serve: values.serve === true,
    port,
  };
}

/** --serve: the upload API and web page on localhost until Ctrl-C. */
async function serveApi(stack: LocalStack, port: number): Promise<number> {
  const { server, url } = await serve(stack, port);
  process.stdout.write(
    `upload page and API: ${url}\n` +
      `development tokens (Authorization: Bearer …):\n${stack.registry.agencies
        .map((a) => `  ${devToken(a.id)}  ${a.name}`)
        .join('\n')}\n` +
      `e.g. npx report-pipeline upload report.pdf --api ${url} --token ${devToken(stack.registry.agencies[0]?.id ?? 'agency')}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
  return 0;
}

/** --watch DIR: the folder is the bucket; a file dropped under DIR/{agencyId}/ is processed. Ctrl-C stops. */
async function watchFolder(stack: LocalStack, dir: string, json: boolean): Promise<number> {
  process.stderr.write(`watching ${dir}: drop report files under ${dir}/{agencyId}/ (Ctrl-C to stop)\n`);
  const pending = new Map<string, NodeJS.Timeout>();
  let chain = Promise.resolve();
  const handle = (file: string) => {
    chain = chain.then(async () => {
      const uploads = await uploadsFrom([file], null).catch((e: Error) => {
        process.stderr.write(`${e.message}\n`);
        return [];
      });
      for (const upload of uploads) {
        const sent = stack.notifier.sent.length;
        const key = await stack.upload(
          upload.agencyId,
          path.basename(upload.file),
          await readFile(upload.file),
        );
        const record = await stack.record(key);
        if (json) process.stdout.write(`${JSON.stringify({ file: upload.file, ...record })}\n`);
        else {
          process.stdout.write(`${renderTable(HEADER, [row(upload.file, record, upload.agencyId)])}\n`);
          printNotifications(stack, sent);
        }
      }
    });
  };
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (name === null || !REPORT_FILE.test(name)) return;
    const file = path.join(dir, name);
    clearTimeout(pending.get(file));
    pending.set(
      file,
      setTimeout(() => {
        pending.delete(file);
        stat(file)
          .then((s) => s.isFile() && handle(file))
          .catch(() => {});
      }, 300),
    );
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  watcher.close();
  await chain;
  return 0;
}
