import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { containerOf } from './detect.ts';
import { ExtractionError, type ExtractionErrorCode } from './errors.ts';
import { type ExtractionLimits, formatBytes, memoryBudgetMessage } from './limits.ts';
import type { ExtractedDocument } from './types.ts';

/**
 * One extraction worker: a child process, so that a hostile file cannot take the caller with it and so
 * that its memory is its own. pdf.js cannot be interrupted once it inflates a stream, so the budgets are
 * enforced from outside: a V8 heap limit (--max-old-space-size), a wall-clock deadline, and a watchdog on
 * the worker's own resident memory (inflated streams live in ArrayBuffers, outside the V8 heap). A worker
 * that breaks a budget is killed; the pool (pool.ts) starts a fresh one for the next file.
 *
 * Determinism: the budget is the worker's absolute RSS, which depends on the file and not on the calling
 * process or its other workers. What a warm worker keeps from earlier files (heap pages and malloc arenas
 * that are free but not returned) is bounded too: a worker that rests more than RETIRE_SLACK above the
 * size it had when it became ready is retired after its file, so every file starts in a worker within
 * that margin of fresh.
 */
type Reply =
  | { ready: true }
  | { id: number; ok: true; doc: ExtractedDocument }
  | { id: number; ok: false; code: ExtractionErrorCode; message: string };

function defaultWorkerPath(): string {
  const bundled = fileURLToPath(new URL('./sandbox-worker.mjs', import.meta.url));
  return existsSync(bundled) ? bundled : fileURLToPath(new URL('./sandbox-worker.ts', import.meta.url));
}

const WATCH_INTERVAL_MS = 20;
const MB = 1024 * 1024;

/** A process's resident memory from /proc (Linux: this machine and Lambda); null where there is none. */
export function residentBytes(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

const retireSlack = (limits: ExtractionLimits): number => Math.max(64 * MB, (limits.maxMemoryMb * MB) / 8);

export class SandboxProcess {
  readonly #child: ChildProcess;
  readonly #limits: ExtractionLimits;
  readonly ready: Promise<void>;
  #restingRss: number | null = null;
  #stderr = '';
  #nextId = 1;
  #alive = true;

  constructor(limits: ExtractionLimits, workerPath: string = defaultWorkerPath()) {
    this.#limits = limits;
    this.#child = fork(workerPath, [], {
      // Our own flags only: the parent's (vitest's loaders, --input-type, -e) mean nothing to the worker.
      execArgv: [`--max-old-space-size=${limits.maxHeapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    // Kept for the reason a worker died (V8 prints "heap out of memory" there before it aborts).
    this.#child.stderr?.setEncoding('utf8');
    const stderr = this.#child.stderr;
    // A pipe to the child is a socket: unref'd, it does not keep the parent alive.
    if (stderr !== null && 'unref' in stderr && typeof stderr.unref === 'function') stderr.unref();
    this.#child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4096);
    });
    this.#child.on('exit', () => {
      this.#alive = false;
    });
    // A spawn failure also emits 'exit' or is seen by the job in flight; never an unhandled 'error'.
    this.#child.on('error', () => {
      this.#alive = false;
    });
    this.ready = new Promise((resolve) => {
      const onReady = (reply: Reply): void => {
        if (!('ready' in reply)) return;
        this.#child.off('message', onReady);
        this.#restingRss = residentBytes(this.#child.pid);
        resolve();
      };
      this.#child.on('message', onReady);
      this.#child.once('exit', () => resolve());
    });
    this.#idle();
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** False once the worker died or was killed; the pool replaces it. */
  get alive(): boolean {
    return this.#alive;
  }

  /** True when the worker rests so far above its fresh size that the next file's budget would not be fair. */
  get worn(): boolean {
    const rss = residentBytes(this.#child.pid);
    return this.#restingRss !== null && rss !== null && rss - this.#restingRss > retireSlack(this.#limits);
  }

  kill(): void {
    this.#alive = false;
    this.#child.kill('SIGKILL');
  }

  /** Extracts one file in the worker; rejects with an ExtractionError carrying a stable code. */
  run(bytes: Uint8Array): Promise<ExtractedDocument> {
    const child = this.#child;
    const limits = this.#limits;
    const id = this.#nextId++;
    const container = containerOf(bytes);
    child.ref();
    child.channel?.ref();
    return new Promise<ExtractedDocument>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void, kill: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        clearInterval(watchdog);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (kill) this.kill();
        this.#idle();
        outcome();
      };
      const fail = (code: ExtractionErrorCode, message: string, kill: boolean): void =>
        finish(() => reject(new ExtractionError(code, message)), kill);
      const onMessage = (reply: Reply): void => {
        if ('ready' in reply || reply.id !== id) return;
        if (reply.ok) finish(() => resolve(reply.doc), false);
        else fail(reply.code, reply.message, false);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        if (/heap out of memory|Reached heap limit/i.test(this.#stderr)) {
          fail('FILE_TOO_LARGE', memoryBudgetMessage(container, `${limits.maxHeapMb} MB（堆）`), false);
        } else {
          fail('INTERNAL_ERROR', `提取程序意外退出（${signal ?? `退出码 ${code}`}）`, false);
        }
      };
      const deadline = setTimeout(
        () =>
          fail(
            'FILE_TOO_LARGE',
            `解析超过时限 ${limits.timeoutMs / 1000} 秒，文件内容异常庞大或结构异常`,
            true,
          ),
        limits.timeoutMs,
      );
      const watchdog = setInterval(() => {
        const rss = residentBytes(child.pid);
        if (rss !== null && rss > limits.maxMemoryMb * MB) {
          fail('FILE_TOO_LARGE', memoryBudgetMessage(container, formatBytes(limits.maxMemoryMb * MB)), true);
        }
      }, WATCH_INTERVAL_MS);
      child.on('message', onMessage);
      child.on('exit', onExit);
      if (!this.#alive || !child.connected) {
        onExit(child.exitCode, child.signalCode);
        return;
      }
      child.send({ id, bytes, limits }, (error) => {
        if (error) fail('INTERNAL_ERROR', `无法把文件交给提取程序：${error.message}`, true);
      });
    });
  }

  /** An idle worker must not keep a CLI process alive. */
  #idle(): void {
    this.#child.unref();
    this.#child.channel?.unref();
  }
}
