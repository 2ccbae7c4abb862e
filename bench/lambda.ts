import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { BUILTIN_ALIASES, commonBundling } from '../lib/bundling.ts';
import { startS3rver } from '../local/emulators.ts';
import { s3EventBody } from '../test/support/s3-event.ts';

/**
 * The Lambdas as they would run: each handler bundled the way lib/bundling.ts bundles it, then started in
 * a fresh process (bench/lambda-probe.mjs) for its init time; the extract bundle is also invoked on a real
 * PDF in the in-process S3, first and warm, with its peak memory (function process + extraction worker).
 */
export interface LambdaFigures {
  name: string;
  bundleBytes: number;
  initMs: number;
  firstMs?: number;
  warmMs?: number;
  /** Function process + extraction worker, each at its high-water mark. */
  peakBytes: number;
}

const ROOT = path.join(import.meta.dirname, '..');

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    banner: { js: commonBundling.banner ?? '' },
    alias: BUILTIN_ALIASES,
    // The native packages only the OCR worker loads stay out, as in the deployed bundles (lib/bundling.ts).
    external: [...(commonBundling.externalModules ?? [])],
    logLevel: 'error',
  });
}

/** Asynchronous on purpose: the in-process S3 that the probe reads from must keep answering meanwhile. */
async function probe(
  dir: string,
  env: NodeJS.ProcessEnv,
  eventFile?: string,
): Promise<Record<string, number>> {
  const out = await promisify(execFile)(
    process.execPath,
    [path.join(import.meta.dirname, 'lambda-probe.mjs'), dir, ...(eventFile ? [eventFile] : [])],
    // A Lambda has no compile cache: every cold start compiles the bundle.
    { encoding: 'utf8', env: { ...process.env, NODE_COMPILE_CACHE: '', ...env } },
  );
  // The handler's own output comes first (its metrics are EMF lines on stdout, as in Lambda); the probe
  // writes its figures last.
  const last = out.stdout.trimEnd().split('\n').at(-1) ?? '';
  return JSON.parse(last);
}

export async function measureLambdas(pdf: string, coldStarts: number): Promise<LambdaFigures[]> {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-lambda-'));
  try {
    const extractDir = path.join(work, 'extract');
    const parseDir = path.join(work, 'parse');
    mkdirSync(path.join(extractDir, 'pdfjs'), { recursive: true });
    await bundle('functions/handlers/extract-lambda.ts', path.join(extractDir, 'index.mjs'));
    await bundle('functions/extract/sandbox-worker.ts', path.join(extractDir, 'sandbox-worker.mjs'));
    const pdfjs = path.join(ROOT, 'node_modules', 'pdfjs-dist');
    for (const d of ['cmaps', 'standard_fonts', 'wasm'])
      cpSync(path.join(pdfjs, d), path.join(extractDir, 'pdfjs', d), { recursive: true });
    await bundle('functions/handlers/parse-lambda.ts', path.join(parseDir, 'index.mjs'));

    const storage = await startS3rver('bench', path.join(work, 's3'));
    try {
      const key = 'incoming/bench-agency/report.pdf';
      const body = readFileSync(pdf);
      await storage.s3.send(new PutObjectCommand({ Bucket: 'bench', Key: key, Body: body }));
      const eventFile = path.join(work, 'event.json');
      const sqsBody = s3EventBody([{ bucket: 'bench', key, sequencer: '01', size: body.length }]);
      writeFileSync(eventFile, JSON.stringify({ Records: [{ messageId: 'm1', body: sqsBody }] }));
      const env = {
        AWS_REGION: 'local',
        AWS_ENDPOINT_URL_S3: storage.endpoint,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        TABLE_NAME: 'reports',
        AGENCY_TOPIC_ARN_PREFIX: 'arn:aws:sns:us-east-1:000000000000:agency-',
        OPERATORS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:operators',
      };
      const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
      const runs = async (dir: string, event?: string) => {
        const results: Array<Record<string, number>> = [];
        for (let i = 0; i < coldStarts; i++) results.push(await probe(dir, env, event));
        return results;
      };
      const extract = await runs(extractDir, eventFile);
      const parse = await runs(parseDir);
      const size = (file: string): number => readFileSync(file).length;
      return [
        {
          name: 'extract',
          bundleBytes:
            size(path.join(extractDir, 'index.mjs')) + size(path.join(extractDir, 'sandbox-worker.mjs')),
          initMs: median(extract.map((r) => r.initMs ?? 0)),
          firstMs: median(extract.map((r) => r.firstMs ?? 0)),
          warmMs: median(extract.map((r) => r.warmMs ?? 0)),
          peakBytes: Math.max(...extract.map((r) => (r.processPeakBytes ?? 0) + (r.workerPeakBytes ?? 0))),
        },
        {
          name: 'parse',
          bundleBytes: size(path.join(parseDir, 'index.mjs')),
          initMs: median(parse.map((r) => r.initMs ?? 0)),
          peakBytes: Math.max(...parse.map((r) => r.processPeakBytes ?? 0)),
        },
      ];
    } finally {
      await storage.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
