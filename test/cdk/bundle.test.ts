import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { extractedKeyFor } from '../../functions/pipeline/keys.ts';
import { ReportPipelineStack } from '../../lib/report-pipeline-stack.ts';
import { startS3 } from '../support/local-aws.ts';
import { buildPdf } from '../support/pdf-writer.ts';
import { s3EventBody, sqsEvent } from '../support/s3-event.ts';

/**
 * The extract Lambda as it ships: synthesized by the stack (so bundled by the stack's own esbuild options
 * and hooks), copied to a directory outside the repo, and run in a fresh Node process on a PDF whose
 * Chinese text is in STSong-Light with the predefined UniGB-UCS2-H CMap. Without the pdf.js assets in
 * the bundle that text would come out empty; without sandbox-worker.mjs the extractor could not start.
 */
let s3: Awaited<ReturnType<typeof startS3>>;
let bundleDir: string;

beforeAll(async () => {
  s3 = await startS3();
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-out-'));
  const app = new App({ outdir });
  const stack = new ReportPipelineStack(app, 'Bundle', {
    registry: { operators: [], offices: [], agencies: [] },
  });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<
      string,
      { Type: string; Properties: { MemorySize?: number; Code?: { S3Key?: string } } }
    >;
  };
  const extract = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.MemorySize === 1769,
  );
  const hash = extract?.Properties.Code?.S3Key?.replace(/\.zip$/, '');
  const asset = path.join(outdir, `asset.${hash}`);
  bundleDir = mkdtempSync(path.join(tmpdir(), 'extract-lambda-'));
  cpSync(asset, bundleDir, { recursive: true });
}, 120_000);
afterAll(() => s3.stop());

it('the bundle holds the handler, the sandbox worker and the pdf.js CMaps and fonts', () => {
  expect(readdirSync(bundleDir).sort()).toEqual([
    'index.mjs',
    'index.mjs.map',
    'pdfjs',
    'sandbox-worker.mjs',
  ]);
  expect(existsSync(path.join(bundleDir, 'pdfjs', 'cmaps', 'UniGB-UCS2-H.bcmap'))).toBe(true);
  expect(existsSync(path.join(bundleDir, 'pdfjs', 'standard_fonts'))).toBe(true);
});

it('runs in a fresh process outside the repo and extracts Chinese text that needs the predefined CMaps', async () => {
  const key = 'incoming/huaian-gov/2024/淮安 年报.pdf';
  const pdf = buildPdf({
    pages: [
      {
        runs: [
          { text: '淮安市人民政府2024年政府信息公开工作年度报告', x: 60, y: 760, size: 14, font: 'song' },
        ],
      },
    ],
  });
  await s3.s3.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: pdf }));
  const event = sqsEvent(s3EventBody([{ bucket: s3.bucket, key, sequencer: '0A1B', size: pdf.length }]));
  const script = `const { handler } = await import('./index.mjs');
    const out = await handler(JSON.parse(process.env.EVENT));
    console.log(JSON.stringify(out));
    process.exit(0);`;
  // Asynchronously: the S3 emulator answering the child lives in this process.
  const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: bundleDir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      EVENT: JSON.stringify(event),
      AWS_REGION: 'cn-north-1',
      // The local S3's gate checks signatures against the credentials it was started with.
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    },
    timeout: 60_000,
  });
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '')).toEqual({ batchItemFailures: [] });

  const stored = await s3.s3.send(
    new GetObjectCommand({ Bucket: s3.bucket, Key: extractedKeyFor('huaian-gov', key, null) }),
  );
  const envelope = JSON.parse(await (stored.Body?.transformToString() ?? ''));
  expect(envelope.result, JSON.stringify(envelope.result)).toMatchObject({ ok: true });
  const text = envelope.result.document.pages[0].lines
    .map((l: { cells: { text: string }[] }) => l.cells.map((c) => c.text).join(''))
    .join('');
  expect(text).toBe('淮安市人民政府2024年政府信息公开工作年度报告');
}, 120_000);
