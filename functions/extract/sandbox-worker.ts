import { parentPort } from 'node:worker_threads';
import { ExtractionError } from './errors.ts';
import { extractDocument } from './extract.ts';
import type { ExtractionLimits } from './limits.ts';

/** Worker-thread side of the sandbox: one job at a time, results and coded failures posted back. */
export interface SandboxRequest {
  id: number;
  bytes: Uint8Array;
  limits: ExtractionLimits;
}

const port = parentPort;
if (!port) throw new Error('sandbox-worker must run in a worker thread');

port.on('message', async ({ id, bytes, limits }: SandboxRequest) => {
  try {
    const doc = await extractDocument(bytes, limits);
    port.postMessage({ id, ok: true, doc });
  } catch (error) {
    const coded = error instanceof ExtractionError;
    port.postMessage({
      id,
      ok: false,
      code: coded ? error.code : 'INTERNAL_ERROR',
      message: coded ? error.message : `提取程序内部错误：${(error as Error)?.message ?? String(error)}`,
    });
  }
});
