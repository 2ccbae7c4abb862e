import { ExtractionError, messageOf } from './errors.ts';
import { extractDocument } from './extract.ts';
import type { ExtractionLimits } from './limits.ts';
import { loadPdfJs } from './pdf/pdf.ts';

/**
 * Child-process side of the sandbox (sandbox.ts): one job at a time, results and coded failures sent
 * back over IPC. pdf.js is loaded before the worker says it is ready, so a warm worker starts a file at
 * once and the memory it reports as its resting size already includes the library.
 */
export interface SandboxRequest {
  id: number;
  bytes: Uint8Array;
  limits: ExtractionLimits;
}

const send = process.send?.bind(process);
if (!send) throw new Error('sandbox-worker must run as a child process with an IPC channel');

process.on('message', async ({ id, bytes, limits }: SandboxRequest) => {
  try {
    const doc = await extractDocument(bytes, limits);
    send({ id, ok: true, doc });
  } catch (error) {
    const coded = error instanceof ExtractionError;
    send({
      id,
      ok: false,
      code: coded ? error.code : 'INTERNAL_ERROR',
      message: coded ? error.message : `提取程序内部错误：${messageOf(error)}`,
    });
  }
});
// The parent going away closes the channel: nothing is left to do for it.
process.on('disconnect', () => process.exit(0));

await loadPdfJs();
send({ ready: true });
