import { availableParallelism, freemem } from 'node:os';
import { ExtractionError } from './errors.ts';
import { type ExtractionLimits, formatBytes, resolveLimits } from './limits.ts';
import { SandboxProcess } from './sandbox.ts';
import type { ExtractedDocument } from './types.ts';

/**
 * The extractor callers use: a pool of sandboxed worker processes (sandbox.ts), kept warm across files.
 * Each `extract` call is served by the first free worker; a worker killed by a budget is replaced for the
 * next file, so one hostile file costs only its own slot. With `workers: 1` (the default) files are
 * extracted one at a time, as a Lambda invocation needs; `check` asks for `poolSize()`.
 */
export interface ExtractorOptions {
  limits?: Partial<ExtractionLimits>;
  /** Most worker processes at once (default 1). */
  workers?: number;
  /** Worker entry; defaults to the bundled sandbox-worker.mjs beside this module, else the .ts source. */
  workerPath?: string;
}

/**
 * Workers worth running here: one per core, no more than the free memory holds at each worker's full
 * budget (a worker's resident memory is capped at maxMemoryMb), and never fewer than one.
 */
export function poolSize(limits: Partial<ExtractionLimits> = {}): number {
  const { maxMemoryMb } = resolveLimits(limits);
  const byMemory = Math.floor(freemem() / (maxMemoryMb * 1024 * 1024));
  return Math.max(1, Math.min(availableParallelism(), byMemory));
}

interface Job {
  bytes: Uint8Array;
  resolve: (doc: ExtractedDocument) => void;
  reject: (error: unknown) => void;
}

export class Extractor {
  readonly limits: ExtractionLimits;
  readonly workers: number;
  readonly #workerPath: string | undefined;
  readonly #idle: SandboxProcess[] = [];
  readonly #queue: Job[] = [];
  #busy = 0;
  #spawned = 0;
  #closed = false;

  constructor(options: ExtractorOptions = {}) {
    this.limits = resolveLimits(options.limits);
    this.workers = Math.max(1, Math.floor(options.workers ?? 1));
    this.#workerPath = options.workerPath;
  }

  /** How many worker processes this extractor has started so far (replacements included). */
  get spawned(): number {
    return this.#spawned;
  }

  /** Starts the workers ahead of the first file, so their start-up overlaps the caller's own. */
  warm(): void {
    while (this.#idle.length + this.#busy < this.workers) this.#idle.push(this.#spawn());
  }

  /** Extracts one file; rejects with an ExtractionError carrying a stable code. */
  extract(bytes: Uint8Array): Promise<ExtractedDocument> {
    // Cheap refusals happen here, before a worker is even involved.
    if (bytes.length > this.limits.maxBytes) {
      return Promise.reject(
        new ExtractionError(
          'FILE_TOO_LARGE',
          `文件大小 ${formatBytes(bytes.length)} 超过上限 ${formatBytes(this.limits.maxBytes)}`,
        ),
      );
    }
    if (this.#closed) return Promise.reject(new Error('extractor is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ bytes, resolve, reject });
      this.#pump();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error('extractor closed'));
    for (const worker of this.#idle.splice(0)) worker.kill();
  }

  #spawn(): SandboxProcess {
    this.#spawned++;
    return new SandboxProcess(this.limits, this.#workerPath);
  }

  #pump(): void {
    while (this.#busy < this.workers) {
      const job = this.#queue.shift();
      if (job === undefined) return;
      let worker = this.#idle.pop();
      while (worker && !worker.alive) worker = this.#idle.pop();
      this.#busy++;
      void this.#serve(worker ?? this.#spawn(), job);
    }
  }

  async #serve(worker: SandboxProcess, job: Job): Promise<void> {
    try {
      job.resolve(await worker.run(job.bytes));
    } catch (error) {
      job.reject(error);
    } finally {
      this.#busy--;
      if (worker.alive && !worker.worn && !this.#closed) this.#idle.push(worker);
      else worker.kill();
      this.#pump();
    }
  }
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight and hands each result to `emit` in input
 * order. Later items keep being worked on while an earlier one is slow, up to `window` items ahead.
 */
export async function inOrder<T, R>(
  items: readonly T[],
  options: { concurrency: number; window?: number },
  work: (item: T) => Promise<R>,
  emit: (result: R, item: T, index: number) => void,
): Promise<void> {
  const window = Math.max(options.concurrency, options.window ?? options.concurrency * 4);
  const pending = new Map<number, Promise<R>>();
  let next = 0;
  const fill = (upTo: number): void => {
    for (const item of items.slice(next, upTo)) pending.set(next++, work(item));
  };
  for (const [i, item] of items.entries()) {
    fill(i + window);
    const result = pending.get(i);
    pending.delete(i);
    // fill() has started every item up to i + window.
    if (result === undefined) throw new Error(`inOrder: item ${i} was never started`);
    emit(await result, item, i);
  }
}
