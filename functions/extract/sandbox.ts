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
  | { id: number; ocr: number }
  | { id: number; ok: true; doc: ExtractedDocument }
  | { id: number; ok: false; code: ExtractionErrorCode; message: string };

function defaultWorkerPath(): string {
  const bundled = fileURLToPath(new URL('./sandbox-worker.mjs', import.meta.url));
  return existsSync(bundled) ? bundled : fileURLToPath(new URL('./sandbox-worker.ts', import.meta.url));
}

/**
 * pdf.js allocates a great many short-lived objects per page. Node starts the young generation at 1 MB and
 * grows it only as objects survive, so a fresh worker scavenges often and promotes garbage into the old
 * generation, where the 512 MB heap budget (a small heap, so V8 grows it slowly) makes it mark-compact
 * again and again. A young generation of 16-32 MB semi-spaces from the start: 17 % fewer instructions for
 * the same files (callgrind, docs/performance.md), a few MB more resident. The heap budget (old space)
 * is unchanged.
 */
const MAX_SEMI_SPACE_MB = 32;
const YOUNG_GENERATION = ['--min-semi-space-size=16', `--max-semi-space-size=${MAX_SEMI_SPACE_MB}`];
/**
 * V8 chooses how far the old generation may grow before its next mark-compact from the heap's maximum
 * size: its largest factor (4) only for maxima of 2 GB and more, as a default Node process on this machine
 * has, and a smaller one the smaller the maximum (BaseControllerTrait in deps/v8/src/heap/heap-controller.h).
 * Under the 512 MB budget the worker mark-compacted 21 times over the 74 bench PDFs where a process without
 * the budget does so 3 times, and spent a quarter more CPU than with this flag, which gives it the large
 * factor back (docs/performance.md). The budget is unchanged: V8 never grows the heap past
 * --max-old-space-size, whatever the factor. The cost: a worker rests about 60 MB higher between files,
 * within the retirement margin below.
 */
const OLD_GENERATION_GROWTH = ['--heap-growing-percent=300'];
/**
 * V8's own threads in each worker (its concurrent compilers and garbage collector): one instead of Node's
 * default four. The pool runs one worker per core, so the workers' main threads already fill the cores and
 * more background threads only take turns on them (V8's compilers alone were a fifth of all CPU). Over the
 * 74 bench PDFs `check` took less CPU and 4-10 % less time with one thread than with four in each of eight
 * interleaved rounds, and one small PDF no longer (docs/performance.md). The work is the same; fewer
 * threads share it.
 */
const V8_THREADS = ['--v8-pool-size=1'];
const WATCH_INTERVAL_MS = 20;
const RELEASE_GRACE_MS = 1000;
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

const timeoutMessage = (ms: number): string => `解析超过时限 ${ms / 1000} 秒，文件内容异常庞大或结构异常`;

/**
 * How far above its fresh size a worker may rest. Beyond the margin itself, its young generation: a fresh
 * worker holds a few MB of it, and it grows to its two full semi-spaces (2 × 32 MB) within the first
 * files, as it does within any file big enough to near the memory budget, so those pages are not memory
 * kept from earlier files. Without them in the allowance, every worker crossed the 96 MB margin after a
 * dozen ordinary PDFs (measured: new space 5 → 64 MB, old space steady at 13 MB) and was replaced by a cold
 * one that loads pdf.js and warms its JIT again.
 */
const retireSlack = (limits: ExtractionLimits): number =>
  Math.max(64 * MB, (limits.maxMemoryMb * MB) / 8) + 2 * MAX_SEMI_SPACE_MB * MB;

export class SandboxProcess {
  readonly #child: ChildProcess;
  #limits: ExtractionLimits;
  readonly ready: Promise<void>;
  /** How the worker process ended: an exit code, or the signal that killed it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #restingRss: number | null = null;
  #stderr = '';
  #nextId = 1;
  #alive = true;

  constructor(limits: ExtractionLimits, workerPath: string = defaultWorkerPath()) {
    this.#limits = limits;
    this.#child = fork(workerPath, [], {
      // Our own flags only: the parent's (vitest's loaders, --input-type, -e) mean nothing to the worker.
      execArgv: [
        `--max-old-space-size=${limits.maxHeapMb}`,
        ...YOUNG_GENERATION,
        ...OLD_GENERATION_GROWTH,
        ...V8_THREADS,
      ],
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
    this.exited = new Promise((resolve) => {
      this.#child.on('exit', (code, signal) => {
        this.#alive = false;
        resolve({ code, signal });
      });
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

  /**
   * Takes this worker over for other limits (a worker started before the caller's options were read):
   * only the heap budget is part of the process itself, so that must be the same; the others apply
   * from the next file on. False when it cannot serve them.
   */
  adopt(limits: ExtractionLimits): boolean {
    if (!this.#alive || limits.maxHeapMb !== this.#limits.maxHeapMb) return false;
    this.#limits = limits;
    return true;
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

  /**
   * Lets an idle worker go: closing its channel makes it exit by itself (sandbox-worker.ts), so it ends
   * cleanly (profilers and instruction counters write their data at exit). One that has not gone within
   * RELEASE_GRACE_MS is killed; the timer does not keep the caller alive.
   */
  release(): void {
    if (!this.#alive || !this.#child.connected) {
      this.kill();
      return;
    }
    this.#alive = false;
    this.#child.disconnect();
    setTimeout(() => this.#child.kill('SIGKILL'), RELEASE_GRACE_MS).unref();
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
        if ('ocr' in reply) {
          // Scanned pages: from here on the file runs under the OCR budgets (time and memory).
          ocr = true;
          memoryCap = limits.ocrMaxMemoryMb * MB;
          clearTimeout(deadline);
          // The worker stops itself between pages at the OCR budget with its own reason; this deadline,
          // a little later, is the backstop for a page that never ends.
          const backstop = limits.ocrTimeoutMs + Math.max(10_000, limits.ocrTimeoutMs / 10);
          deadline = setTimeout(
            () => fail('FILE_TOO_LARGE', `文字识别（OCR）超过时限 ${limits.ocrTimeoutMs / 1000} 秒`, true),
            backstop,
          );
          return;
        }
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
      let ocr = false;
      let memoryCap = limits.maxMemoryMb * MB;
      let deadline = setTimeout(
        () => fail('FILE_TOO_LARGE', timeoutMessage(limits.timeoutMs), true),
        limits.timeoutMs,
      );
      const watchdog = setInterval(() => {
        const rss = residentBytes(child.pid);
        if (rss !== null && rss > memoryCap) {
          const budget = formatBytes(memoryCap);
          fail(
            'FILE_TOO_LARGE',
            ocr ? `文字识别（OCR）时内存超过上限 ${budget}` : memoryBudgetMessage(container, budget),
            true,
          );
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
