import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { portOf } from '../../local/http-answer.ts';
import { STORE_ATTEMPTS, storePost } from '../../local/stored-post.ts';

/**
 * The local gate stores an accepted POST with a streamed PutObject, which the SDK never retries. Against a
 * real HTTP server standing in for the store: a connection cut before any answer is sent again on a fresh
 * stream (the whole file arrives), an answered refusal is not repeated.
 */
type Step = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** The SDK sends a streamed body aws-chunked (size line, data, …, a last empty chunk and its trailers). */
function decoded(req: IncomingMessage, body: Buffer): Buffer {
  if (!String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) return body;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    const size = Number.parseInt(body.subarray(at, eol).toString('latin1').split(';')[0] ?? '', 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}
let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

async function store(steps: Step[]) {
  const bodies: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(decoded(req, body));
      (steps.shift() ?? ((_, r) => r.writeHead(200, { etag: '"ok"' }).end()))(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  const s3 = new S3Client({
    region: 'local',
    endpoint: `http://127.0.0.1:${portOf(server)}`,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local-secret' },
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'stored-post-')), 'file');
  const content = Buffer.from('二〇二四年政府信息公开工作年度报告\n'.repeat(4000));
  writeFileSync(file, content);
  const post = {
    bucket: 'b',
    key: 'incoming/qinghe-edu/2024/年报.txt',
    file,
    size: content.length,
    contentType: 'text/plain',
    fields: new Map<string, string>(),
  };
  return { bodies, content, run: () => storePost(s3, post) };
}

const cut: Step = (req) => req.socket.destroy();

describe('storing an accepted POST', () => {
  it('a connection cut before the answer is sent again on a fresh stream, and the whole file arrives', async () => {
    const { bodies, content, run } = await store([cut]);
    expect(await run()).toBe('"ok"');
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.equals(content)).toBe(true);
  });

  it(`gives up after ${STORE_ATTEMPTS} cut connections (the POST then answers InternalError)`, async () => {
    const { bodies, run } = await store(Array.from({ length: STORE_ATTEMPTS }, () => cut));
    await expect(run()).rejects.toThrow();
    expect(bodies).toHaveLength(STORE_ATTEMPTS);
  });

  it('an answered refusal is not repeated', async () => {
    const refuse: Step = (_, res) =>
      res
        .writeHead(403, { 'content-type': 'application/xml' })
        .end('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>no</Message></Error>');
    const { bodies, run } = await store([refuse, refuse, refuse]);
    await expect(run()).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(bodies).toHaveLength(1);
  });
});
