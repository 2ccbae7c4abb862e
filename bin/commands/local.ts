import { stat } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../../functions/extract/index.ts';
import { AGENCY_ID, AGENCY_ID_RULE } from '../../functions/pipeline/keys.ts';
import { type LocalDeps, StateFolderError, startLocalDeps } from '../../local/local-deps.ts';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { WEBHOOKS_ENV, WebhooksFileError } from '../../local/local-robots.ts';
import { runBatch } from './local/batch.ts';
import { listRecords } from './local/list.ts';
import { serveApi } from './local/serve.ts';
import { type Upload, uploadsFrom } from './local/uploads.ts';
import { watchFolder } from './local/watch.ts';
import { parse, UsageError } from './options.ts';

export const SAMPLES_DIR = path.join(import.meta.dirname, '..', '..', 'samples');

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
    webhooks: { type: 'string' },
  });
  const port = Number(values.port ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port takes a port number');
  const agency = values.agency ?? null;
  if (agency !== null && !AGENCY_ID.test(agency))
    throw new UsageError(`--agency takes an agency id of ${AGENCY_ID_RULE}, got '${agency}'`);
  return {
    inputs: positionals,
    agency,
    json: values.json === true,
    memory: values.memory === true,
    dir: values.dir ?? '.local',
    list: values.list === true,
    watch: values.watch ?? null,
    serve: values.serve === true,
    port,
    webhooks: values.webhooks ?? process.env[WEBHOOKS_ENV] ?? null,
  };
}

/** How many sent notices `--serve` and `--watch` keep in memory (issue 22 N9). */
const RETAINED_NOTICES = 100;

/**
 * `report-pipeline local [FILE|DIR ...] [--agency ID] [--json] [--memory] [--dir D] [--list] [--watch DIR]
 * [--serve [--port N]] [--webhooks FILE]`: the whole pipeline on this machine. This file only reads the options, starts the
 * local adapters (local/local-deps.ts) and the pipeline on them, and hands one mode (bin/commands/local/:
 * batch, list, watch, serve) what it uses.
 */
export async function localCommand(args: string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  let uploads: Upload[] = [];
  try {
    options = parseOptions(args);
    if (options.watch !== null && !(await stat(options.watch).catch(() => null))?.isDirectory()) {
      throw new UsageError(`--watch takes an existing folder; ${options.watch} is none`);
    }
    if (!options.list && options.watch === null && !options.serve) {
      uploads = await uploadsFrom(options.inputs.length > 0 ? options.inputs : [SAMPLES_DIR], options.agency);
    }
  } catch (error) {
    process.stderr.write(`report-pipeline local: ${messageOf(error)}\n`);
    return 2;
  }
  let deps: LocalDeps;
  try {
    deps = await startLocalDeps({ dir: options.memory ? null : options.dir, webhooks: options.webhooks });
  } catch (error) {
    if (!(error instanceof StateFolderError || error instanceof WebhooksFileError)) throw error;
    process.stderr.write(`report-pipeline local: ${error.message}\n`);
    return 2;
  }
  const pipeline = new LocalPipeline(deps);
  try {
    if (options.list) return await listRecords(pipeline, options.json);
    // Uploads an earlier run stored but did not finish (it was killed) are finished before anything new.
    const resumed = await pipeline.resume();
    if (resumed > 0) process.stderr.write(`resumed ${resumed} unfinished upload(s) from an earlier run\n`);
    // The modes that run until stopped keep only the latest notices in memory (the outbox keeps all).
    if (options.watch !== null || options.serve) deps.outbox.retain(RETAINED_NOTICES);
    if (options.watch !== null) return await watchFolder(pipeline, deps.outbox, options.watch, options.json);
    if (options.serve) return await serveApi(deps, options.port);
    const stateNote = options.memory
      ? 'State kept in memory only.'
      : `State kept in ${options.dir} (report-pipeline local --list).`;
    return await runBatch(pipeline, deps.outbox, uploads, { json: options.json, stateNote });
  } finally {
    await pipeline.stop();
    await deps.stop();
  }
}
