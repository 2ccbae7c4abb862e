/**
 * The fault run (`npm run faults [-- --kills N --files M --seed S]`): `report-pipeline local` over M files,
 * killed with SIGKILL (by pid) N times at random points, then run once more to the end. Then it counts,
 * from the state folder and the outbox, what a crash may cost:
 * - lost records: files without a current record of their own bytes;
 * - duplicate records: more than one version item for one file's bytes, or records of no file;
 * - duplicate messages: outbox messages sharing a noticeId (one record revision announced twice);
 * - lost messages: records that need a message and have none in the outbox.
 * All must be 0. `reclaimed` counts the notices found claimed but not marked sent after a kill (the
 * window of docs/guarantees.md): each was sent at most once, the outbox deciding.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UNVERSIONED, uploadKeyFor } from '../functions/pipeline/keys.ts';
import { needsNotification } from '../functions/pipeline/notification.ts';
import { startLocalDeps } from '../local/local-deps.ts';
import { readOutbox } from '../local/local-notifier.ts';

const ROOT = path.join(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'report-pipeline.mjs');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const AGENCIES = ['huaian-gov', 'hongze-gov', 'qinghe-edu'];

export interface FaultRunOptions {
  kills: number;
  files: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface FaultRunResult {
  files: number;
  kills: number;
  /** Kills that hit a running process (a run may finish before its kill comes). */
  killsLanded: number;
  records: number;
  lostRecords: number;
  duplicateRecords: number;
  duplicateMessages: number;
  lostMessages: number;
  messages: number;
  reclaimed: number;
  finalExit: number | null;
  seconds: number;
}

/** A small deterministic generator, so a seed repeats a run's kill points. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** M input files from the fixtures (every format), spread over three agencies and year folders. */
function writeInputs(dir: string, count: number): { file: string; key: string; sha256: string }[] {
  const sources = ['real', 'synthetic'].flatMap((folder) =>
    readdirSync(path.join(FIXTURES, folder))
      .filter((f) => !f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => path.join(FIXTURES, folder, f)),
  );
  const inputs: { file: string; key: string; sha256: string }[] = [];
  for (let i = 0; i < count; i++) {
    const source = sources[i % sources.length] ?? '';
    const agency = AGENCIES[i % AGENCIES.length] ?? 'huaian-gov';
    const name = `${2020 + (i % 4)}/${String(i).padStart(3, '0')}-${path.basename(source)}`;
    const file = path.join(dir, agency, name);
    mkdirSync(path.dirname(file), { recursive: true });
    copyFileSync(source, file);
    const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
    inputs.push({ file, key: uploadKeyFor(agency, name), sha256 });
  }
  return inputs;
}

function startRun(
  state: string,
  input: string,
): { child: ChildProcess; lines: () => number; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'local', '--dir', state, '--json', input], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let lines = 0;
  child.stdout?.on('data', (d: Buffer) => {
    lines += d.toString('utf8').split('\n').length - 1;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, lines: () => lines, exited };
}

export async function faultRun(options: FaultRunOptions): Promise<FaultRunResult> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const next = random(options.seed ?? Date.now());
  const root = mkdtempSync(path.join(tmpdir(), 'fault-run-'));
  const staging = path.join(root, 'staging');
  const input = path.join(root, 'in');
  const state = path.join(root, 'state');
  const inputs = writeInputs(staging, options.files);
  // Each run gets its share of new files, so every kill lands in work still to do.
  const share = Math.ceil(options.files / Math.max(1, options.kills));
  let killsLanded = 0;
  // How long a run takes, learnt from runs that ended before their kill: kill points are drawn below it.
  let span = 1500 + share * 600;
  try {
    for (let k = 0; k < options.kills; k++) {
      for (const file of inputs.slice(k * share, (k + 1) * share).map((i) => i.file)) {
        const target = path.join(input, path.relative(staging, file));
        mkdirSync(path.dirname(target), { recursive: true });
        copyFileSync(file, target);
      }
      const run = startRun(state, input);
      const at = Math.floor(next() * span);
      const began = Date.now();
      const finished = await Promise.race([run.exited.then(() => true), sleep(at).then(() => false)]);
      if (!finished && run.child.pid !== undefined && run.child.exitCode === null) {
        process.kill(run.child.pid, 'SIGKILL');
        killsLanded++;
        // Killed before any file was done: the draws have been landing in start-up only; reach further.
        if (run.lines() === 0) span = Math.round(span * 1.5);
      } else {
        span = Math.max(500, Date.now() - began);
      }
      await run.exited;
      log(
        `kill ${k + 1}/${options.kills}: ${finished ? 'run ended first' : `at ${at} ms, after ${run.lines()} files`}`,
      );
    }
    for (const file of inputs.map((i) => i.file)) {
      const target = path.join(input, path.relative(staging, file));
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(file, target);
    }
    const final = startRun(state, input);
    const finalExit = await final.exited;
    log(`final run: exit ${finalExit}`);
    const found = await audit(state, inputs);
    const seconds = Math.round((Date.now() - started) / 1000);
    return { ...found, files: options.files, kills: options.kills, killsLanded, finalExit, seconds };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the state folder as it is after the runs: table items and the outbox. */
async function audit(state: string, inputs: { key: string; sha256: string }[]) {
  const deps = await startLocalDeps({ dir: state });
  try {
    const versions = await deps.records.versions();
    const current = await deps.records.currentRecords();
    const outbox = readOutbox(path.join(state, 'outbox.jsonl'));

    const expected = new Map(inputs.map((i) => [i.key, i.sha256]));
    const currentByKey = new Map(current.map((r) => [r.upload?.key ?? '', r]));
    const lostRecords = inputs.filter((i) => currentByKey.get(i.key)?.source.sha256 !== i.sha256).length;
    const versionsPerFile = new Map<string, number>();
    for (const v of versions) {
      const id = `${v.record.upload?.key}#${v.record.source.sha256}`;
      versionsPerFile.set(id, (versionsPerFile.get(id) ?? 0) + 1);
    }
    const duplicateRecords =
      [...versionsPerFile.values()].reduce((n, c) => n + (c - 1), 0) +
      current.filter((r) => !expected.has(r.upload?.key ?? '')).length;
    const perNotice = new Map<string, number>();
    for (const m of outbox)
      perNotice.set(m.attributes.noticeId, (perNotice.get(m.attributes.noticeId) ?? 0) + 1);
    const duplicateMessages = [...perNotice.values()].reduce((n, c) => n + (c - 1), 0);
    const announced = new Set(outbox.map((m) => m.attributes.noticeId.replace(/#\d+$/, '')));
    const lostMessages = current.filter(
      (r) => needsNotification(r) && !announced.has(`${r.upload?.key}#${r.upload?.versionId ?? UNVERSIONED}`),
    ).length;
    const reclaimed = outbox.filter((m) => m.attributes.possibleDuplicate).length;
    return {
      records: current.length,
      lostRecords,
      duplicateRecords,
      duplicateMessages,
      lostMessages,
      messages: outbox.length,
      reclaimed,
    };
  } finally {
    await deps.stop();
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
    return value;
  };
  const result = await faultRun({
    kills: arg('kills', 16),
    files: arg('files', 40),
    seed: arg('seed', Date.now() % 2 ** 31),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  const bad = result.lostRecords + result.duplicateRecords + result.duplicateMessages + result.lostMessages;
  process.exitCode = bad === 0 && result.finalExit === 0 ? 0 : 1;
}
