import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ExtractionError, type ExtractionErrorCode } from './errors.ts';
import { type ExtractionLimits, formatBytes, resolveLimits } from './limits.ts';
import type { ExtractedDocument } from './types.ts';

/**
 * Runs extraction in a worker thread so that a hostile file cannot take the process with it. pdf.js
 * cannot be interrupted once it inflates a stream, so the budgets are enforced from outside: a V8 heap
 * limit on the worker, a wall-clock deadline, and a watchdog on the process's resident memory (inflated
 * streams live in ArrayBuffers, outside the V8 heap). A worker that breaks a budget is terminated and a
 * fresh one serves the next file. Files are extracted one at a time per Extractor.
 */
type Reply =
  | { id: number; ok: true; doc: ExtractedDocument }
  | { id: number; ok: false; code: ExtractionErrorCode; message: string };

export interface ExtractorOptions {
  limits?: Partial<ExtractionLimits>;
  /** Worker entry; defaults to the bundled sandbox-worker.mjs beside this module, else the .ts source. */
  workerUrl?: URL;
}

function defaultWorkerUrl(): URL {
  const bundled = new URL('./sandbox-worker.mjs', import.meta.url);
  return existsSync(fileURLToPath(bundled)) ? bundled : new URL('./sandbox-worker.ts', import.meta.url);
}

const WATCH_INTERVAL_MS = 25;

export class Extractor {
  readonly limits: ExtractionLimits;
  private readonly workerUrl: URL;
  private worker: Worker | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  constructor(options: ExtractorOptions = {}) {
    this.limits = resolveLimits(options.limits);
    this.workerUrl = options.workerUrl ?? defaultWorkerUrl();
  }

  /** Extracts one file; rejects with an ExtractionError carrying a stable code. */
  extract(bytes: Uint8Array): Promise<ExtractedDocument> {
    const job = this.queue.then(() => this.run(bytes));
    this.queue = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    await this.queue;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(this.workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.maxHeapMb, maxYoungGenerationSizeMb: 64 },
      // A worker inherits the process's flags; those about the main script (node --input-type=module -e …)
      // make it fail to start.
      execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type') && a !== '-e' && a !== '--eval'),
    });
    // An idle worker must not keep a CLI process alive.
    worker.unref();
    return worker;
  }

  private run(bytes: Uint8Array): Promise<ExtractedDocument> {
    // Cheap refusals happen here, before a worker is even involved.
    if (bytes.length > this.limits.maxBytes) {
      return Promise.reject(
        new ExtractionError(
          'FILE_TOO_LARGE',
          `文件大小 ${formatBytes(bytes.length)} 超过上限 ${formatBytes(this.limits.maxBytes)}`,
        ),
      );
    }
    if (!this.worker) this.worker = this.spawn();
    const worker = this.worker;
    const id = this.nextId++;
    const baseline = process.memoryUsage.rss();
    return new Promise<ExtractedDocument>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void, kill: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        clearInterval(watchdog);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.unref();
        if (kill) {
          if (this.worker === worker) this.worker = undefined;
          void worker.terminate();
        }
        outcome();
      };
      const fail = (code: ExtractionErrorCode, message: string, kill: boolean): void =>
        finish(() => reject(new ExtractionError(code, message)), kill);
      const onMessage = (reply: Reply): void => {
        if (reply.id !== id) return;
        if (reply.ok) finish(() => resolve(reply.doc), false);
        else fail(reply.code, reply.message, false);
      };
      const onError = (error: Error & { code?: string }): void => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          fail('FILE_TOO_LARGE', `解析时内存超过上限 ${this.limits.maxHeapMb} MB，文件内容异常庞大`, true);
        } else fail('INTERNAL_ERROR', `提取程序异常退出：${error.message}`, true);
      };
      const onExit = (code: number): void =>
        fail('INTERNAL_ERROR', `提取程序意外退出（退出码 ${code}）`, true);
      const deadline = setTimeout(
        () =>
          fail(
            'FILE_TOO_LARGE',
            `解析超过时限 ${this.limits.timeoutMs / 1000} 秒，文件内容异常庞大或结构异常`,
            true,
          ),
        this.limits.timeoutMs,
      );
      const watchdog = setInterval(() => {
        const grown = process.memoryUsage.rss() - baseline;
        if (grown > this.limits.maxDecodedBytes) {
          fail(
            'FILE_TOO_LARGE',
            `解压后的内容超过上限 ${formatBytes(this.limits.maxDecodedBytes)}，疑似压缩炸弹`,
            true,
          );
        }
      }, WATCH_INTERVAL_MS);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.ref();
      // A copy is transferred so the caller keeps its bytes.
      const copy = new Uint8Array(bytes);
      worker.postMessage({ id, bytes: copy, limits: this.limits }, [copy.buffer]);
    });
  }
}
