/**
 * Soak of the local run (issue 22), run alone: `node --expose-gc bench/local-soak.ts` (not part of
 * `npm run bench`: the full soak takes many minutes). Three measures, each sized by an environment variable:
 *
 * - `--serve` memory (N9): BENCH_SOAK_CYCLES (2,000) upload+poll cycles through the API as a browser makes
 *   them (POST /uploads, the signed POST to the local S3, GET /uploads/{id} until it is not PENDING, then
 *   GET /uploads?year). RSS after a full GC after the first 100 cycles and at the end; goal: within 100 MB.
 * - one agency's burst (N8): BENCH_BURST (40) posts through one reused form to one key, and another
 *   agency's upload right after; goal: the other agency's record within 2 s.
 * - the inflate bomb under load (verdicts never depend on load): BENCH_BOMB_RUNS (20) extractions of a PDF
 *   whose content stream inflates to 300 MB while busy loops hold every core; goal: the same code each run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Extractor } from '../functions/extract/index.ts';
import { LocalPipeline } from '../local/local-pipeline.ts';
import { serve } from '../local/serve.ts';
import { buildPdf, deflateRepeated } from '../test/support/pdf-writer.ts';
import { tokens } from '../test/support/sign-in.ts';

const CYCLES = Number(process.env.BENCH_SOAK_CYCLES ?? 2000);
const BURST = Number(process.env.BENCH_BURST ?? 40);
const BOMB_RUNS = Number(process.env.BENCH_BOMB_RUNS ?? 20);
const YEAR = 2024;
const report = readFileSync(
  path.join(
    import.meta.dirname,
    '..',
    'test',
    'fixtures',
    'synthetic',
    'appeals-litigation-direct-total-broken.txt',
  ),
);

const gc = (globalThis as { gc?: () => void }).gc;
const rssMb = () => {
  gc?.();
  return process.memoryUsage().rss / 1024 / 1024;
};

interface Served {
  url: string;
  /** An ID token of the agency, signed in once through the local provider's login page. */
  token: (agency: string) => Promise<string>;
}

async function createForm(api: Served, agency: string, fileName: string) {
  const res = await fetch(`${api.url}/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.token(agency)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fileName, year: YEAR, contentType: 'text/plain' }),
  });
  if (res.status !== 201) throw new Error(`POST /uploads answered ${res.status}`);
  return (await res.json()) as { url: string; fields: Record<string, string>; uploadId: string };
}

async function postForm(form: { url: string; fields: Record<string, string> }, body: Uint8Array) {
  const data = new FormData();
  for (const [k, v] of Object.entries(form.fields)) data.append(k, v);
  data.append('file', new Blob([Buffer.from(body)], { type: 'text/plain' }), 'report.txt');
  const res = await fetch(form.url, { method: 'POST', body: data });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`the local S3 answered ${res.status}`);
}

async function untilDone(api: Served, agency: string, uploadId: string): Promise<string> {
  for (;;) {
    const res = await fetch(`${api.url}/uploads/${uploadId}`, {
      headers: { authorization: `Bearer ${await api.token(agency)}` },
    });
    const body = (await res.json()) as { status?: string };
    if (res.status === 200 && body.status !== 'PENDING') return body.status ?? '';
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function withServe<T>(run: (api: Served) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'soak-'));
  const pipeline = await LocalPipeline.start({ dir });
  const served = await serve(pipeline.deps, 0);
  pipeline.deps.outbox.retain(100);
  try {
    return await run({ url: served.url, token: tokens(() => served) });
  } finally {
    await new Promise((resolve) => served.server.close(resolve));
    await pipeline.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function soak(): Promise<void> {
  const agency = 'qinghe-guangming';
  await withServe(async (api) => {
    let after100 = 0;
    const started = performance.now();
    for (let i = 1; i <= CYCLES; i++) {
      const form = await createForm(api, agency, `report-${i}.txt`);
      // A new file each time (its own record and notice), as a season brings.
      await postForm(form, Buffer.concat([report, Buffer.from(`\n第${i}次上传\n`)]));
      await untilDone(api, agency, form.uploadId);
      await fetch(`${api.url}/uploads?year=${YEAR}`, {
        headers: { authorization: `Bearer ${await api.token(agency)}` },
      });
      if (i === Math.min(100, CYCLES)) after100 = rssMb();
      // Progress on stderr (the table on stdout stays clean): a long soak says where it is.
      if (i % 100 === 0) process.stderr.write(`${i} cycles, RSS ${rssMb().toFixed(0)} MB\n`);
    }
    const end = rssMb();
    console.log('\n## `--serve` memory (upload + poll cycles, RSS after GC)');
    console.log('| cycles | RSS after 100 | RSS at the end | growth | goal |');
    console.log(
      `| ${CYCLES} | ${after100.toFixed(0)} MB | ${end.toFixed(0)} MB | ${(end - after100).toFixed(0)} MB | ≤ 100 MB |`,
    );
    console.log(`(${((performance.now() - started) / CYCLES).toFixed(0)} ms a cycle)`);
  });
}

async function burst(): Promise<void> {
  await withServe(async (api) => {
    const busy = 'qinghe-guangming';
    const other = 'huaian-gov';
    // Warm-up: the first extraction starts the workers.
    const warm = await createForm(api, other, 'warm.txt');
    await postForm(warm, report);
    await untilDone(api, other, warm.uploadId);
    const form = await createForm(api, busy, 'same.txt');
    const posts = Array.from({ length: BURST }, (_, i) =>
      postForm(form, Buffer.concat([report, Buffer.from(`\n第${i}份\n`)])),
    );
    await Promise.all(posts);
    const otherForm = await createForm(api, other, 'other.txt');
    const t0 = performance.now();
    await postForm(otherForm, Buffer.concat([report, Buffer.from('\n另一机关\n')]));
    await untilDone(api, other, otherForm.uploadId);
    const latency = (performance.now() - t0) / 1000;
    await untilDone(api, busy, form.uploadId);
    console.log('\n## One agency’s burst');
    console.log('| burst | another agency’s upload recorded after | goal |');
    console.log(`| ${BURST} posts to one key | ${latency.toFixed(2)} s | ≤ 2 s |`);
  });
}

async function bombUnderLoad(): Promise<void> {
  const bomb = buildPdf({
    pages: [
      { deflated: deflateRepeated('BT /F2 12 Tf 10 10 Td (AAAAAAAAAAAAAAAA) Tj ET\n', 300 * 1024 * 1024) },
    ],
  });
  const load = Array.from(
    { length: availableParallelism() },
    () => new Worker('for (;;) { Math.sqrt(Math.random()); }', { eval: true }),
  );
  const codes = new Map<string, number>();
  try {
    const ex = new Extractor();
    try {
      for (let i = 0; i < BOMB_RUNS; i++) {
        const code = await ex.extract(bomb).then(
          () => 'extracted',
          (e: { code?: string }) => e.code ?? 'error',
        );
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    } finally {
      await ex.close();
    }
  } finally {
    await Promise.all(load.map((w) => w.terminate()));
  }
  console.log('\n## The inflate bomb while every core is busy');
  console.log('| runs | verdicts | goal |');
  console.log(
    `| ${BOMB_RUNS} | ${[...codes].map(([c, n]) => `${c} ×${n}`).join(', ')} | FILE_TOO_LARGE every time |`,
  );
}

const only = process.argv[2];
console.log(
  `Node ${process.version}, ${availableParallelism()} cores${gc === undefined ? ' (no --expose-gc)' : ''}`,
);
if (only === undefined || only === 'burst') await burst();
if (only === undefined || only === 'bomb') await bombUnderLoad();
if (only === undefined || only === 'serve') await soak();
