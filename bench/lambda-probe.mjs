// A Lambda's life in a fresh process, the way the runtime drives a bundle: import index.mjs (init), then
// invoke the handler with the event given (first, then warm). Prints one JSON line of milliseconds and
// peak resident memory, the function's process plus any extraction worker it started. Plain JS, so that
// nothing but the bundle is compiled.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, eventFile, warmRuns = '3'] = process.argv.slice(2);
const started = performance.now();
const { handler } = await import(pathToFileURL(path.join(dir, 'index.mjs')).href);
const initMs = performance.now() - started;
const result = { initMs };
const children = new Set();
const peakOfChildren = () => {
  try {
    for (const pid of readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').split(/\s+/))
      if (pid) children.add(pid);
  } catch {}
  let peak = 0;
  for (const pid of children) {
    try {
      peak += Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {}
  }
  return peak;
};
if (eventFile) {
  const event = JSON.parse(readFileSync(eventFile, 'utf8'));
  const invoke = async () => {
    const start = performance.now();
    const out = await handler(event);
    if (out?.batchItemFailures?.length) throw new Error(`invocation failed: ${JSON.stringify(out)}`);
    return performance.now() - start;
  };
  result.firstMs = await invoke();
  let childPeak = peakOfChildren();
  const warm = [];
  for (let i = 0; i < Number(warmRuns); i++) {
    warm.push(await invoke());
    childPeak = Math.max(childPeak, peakOfChildren());
  }
  warm.sort((a, b) => a - b);
  result.warmMs = warm[Math.floor(warm.length / 2)];
  result.workerPeakBytes = childPeak;
}
result.processPeakBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
