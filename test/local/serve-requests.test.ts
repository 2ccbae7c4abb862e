import type { Server } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPipeline } from '../../local/local-pipeline.ts';
import { API_BODY_LIMIT, serve } from '../../local/serve.ts';
import { signIn } from '../support/sign-in.ts';

/**
 * `local --serve` answers every request, however malformed, and no request ends it: raw bytes over a
 * socket (undecodable paths, bad JSON, wrong methods, oversized headers and bodies, a client that goes
 * away mid-body), each followed by a request that must still be answered.
 */
let pipeline: LocalPipeline;
let server: Server;
let port: number;
/** An agency's token, from the local provider. */
let agencyToken = '';
const token = () => agencyToken;

beforeAll(async () => {
  pipeline = await LocalPipeline.start({ dir: null });
  const served = await serve(pipeline.deps, 0);
  server = served.server;
  port = Number(new URL(served.url).port);
  agencyToken = await signIn(served, pipeline.deps.registry.agencies[0]?.id ?? 'none');
}, 60_000);
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await pipeline?.stop();
});

interface Raw {
  status: number;
  body: string;
  /** Bytes of the request the client got onto the wire before the server closed the connection. */
  sent: number;
}

/**
 * Sends `head` then `body` chunks over a plain socket and returns the answer's status and body. The server
 * may close the connection while the body is still being sent; the answer then is what came back. With
 * `halfClose`, the client ends its side after sending (Node's server then ends the connection, answer or
 * not); without, it waits for the server to close (a request with `Connection: close`).
 */
function raw(head: string, body: Iterable<Buffer> = [], halfClose = true): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let sent = 0;
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (m === null) reject(new Error(`no answer: ${JSON.stringify(text.slice(0, 200))}`));
      else {
        const head = text.slice(0, text.indexOf('\r\n\r\n'));
        const rest = text.slice(head.length + 4);
        resolve({
          status: Number(m[1]),
          body: /transfer-encoding: chunked/i.test(head) ? unchunk(rest) : rest,
          sent,
        });
      }
    });
    socket.on('connect', async () => {
      socket.write(head);
      for (const chunk of body) {
        if (socket.destroyed || !socket.writable) return;
        sent += chunk.length;
        if (!socket.write(chunk)) {
          await new Promise((r) => {
            socket.once('drain', r);
            socket.once('close', r);
          });
        }
      }
      if (halfClose && !socket.destroyed) socket.end();
    });
  });
}

/** A chunked answer's payload (the answers here are ASCII JSON or short UTF-8, read whole). */
function unchunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, line), 16);
    if (!(size > 0)) return out;
    const bytes = Buffer.from(rest.slice(line + 2), 'utf8');
    out += bytes.subarray(0, size).toString('utf8');
    rest = bytes.subarray(size + 2).toString('utf8');
  }
}

const request = (method: string, target: string, headers: Record<string, string | number> = {}, body = '') =>
  raw(
    `${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${Object.entries({
      ...headers,
      ...(body === '' ? {} : { 'content-length': Buffer.byteLength(body) }),
    })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`,
    body === '' ? [] : [Buffer.from(body)],
    false,
  );

const json = (answer: Raw) => JSON.parse(answer.body) as { message?: string };

/** After each hostile request: the server still answers a plain one. */
async function stillServes() {
  const answer = await request('GET', '/report-types.json');
  expect(answer.status).toBe(200);
}

describe('local --serve answers every request and survives it', () => {
  it('an undecodable path (GET /uploads/%E0 with a valid token) is 400, not a crash', async () => {
    const answer = await request('GET', '/uploads/%E0', { authorization: `Bearer ${token()}` });
    expect(answer.status).toBe(400);
    expect(json(answer).message).toBe('Bad Request');
    await stillServes();
  });

  it('a body that is not JSON is 400 with the API’s message', async () => {
    const answer = await request(
      'POST',
      '/uploads',
      { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
      '{"fileName": ',
    );
    expect(answer.status).toBe(400);
    expect(json(answer).message).toBe('请求体不是 JSON');
    await stillServes();
  });

  it.each([
    ['DELETE', '/uploads'],
    ['PUT', '/uploads/abc'],
    // GET /uploads is a route now (the year's uploads; test/api/list-uploads.test.ts).
    ['PATCH', '/uploads'],
    ['POST', '/'],
    ['GET', '//evil.example/uploads/abc'],
    ['GET', '/uploads/a/b'],
  ])('%s %s is a JSON 404 (as API Gateway answers an unknown route)', async (method, target) => {
    const answer = await request(method, target, { authorization: `Bearer ${token()}` });
    expect(answer.status).toBe(404);
    expect(json(answer).message).toBe('Not Found');
    await stillServes();
  });

  it('a missing or unknown token is a JSON 401', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Bearer dev-nobody' },
      { authorization: 'Basic x' },
    ];
    for (const headers of cases) {
      const answer = await request('GET', '/uploads/abc', headers);
      expect(answer.status).toBe(401);
      expect(json(answer).message).toBe('Unauthorized');
    }
    await stillServes();
  });

  it('oversized headers get 431, garbage gets 400, and the server goes on', async () => {
    const big = await request('GET', '/report-types.json', { 'x-padding': 'a'.repeat(64 * 1024) });
    expect(big.status).toBe(431);
    const garbage = await raw('THIS IS NOT HTTP\r\n\r\n');
    expect(garbage.status).toBe(400);
    const badLength = await raw('POST /uploads HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n');
    expect(badLength.status).toBe(400);
    await stillServes();
  });

  it('a client that goes away mid-body does not end the server', async () => {
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token()}\r\nContent-Length: 1000\r\n\r\n{"fileName"`,
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
      socket.on('error', () => {});
    });
    await stillServes();
  });
});

describe('request bodies are limited like API Gateway (10 MB)', () => {
  it('a declared body over the limit is 413 before any of it is read', async () => {
    const answer = await raw(
      `POST /uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token()}\r\nContent-Length: ${API_BODY_LIMIT + 1}\r\n\r\n`,
      (function* () {
        for (let i = 0; i < 300; i++) yield Buffer.alloc(1024 * 1024, 32);
      })(),
    );
    expect(answer.status).toBe(413);
    expect(json(answer).message).toBe('Request Entity Too Large');
    expect(answer.sent).toBeLessThan(300 * 1024 * 1024);
    await stillServes();
  });

  it('a chunked body is cut off once it passes the limit: 413, the rest never read', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 32);
    const framed = Buffer.concat([
      Buffer.from(`${chunk.length.toString(16)}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    ]);
    const answer = await raw(
      `POST /uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token()}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      (function* () {
        for (let i = 0; i < 300; i++) yield framed;
      })(),
    );
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThan(300 * framed.length);
    await stillServes();
  });

  it('a body under the limit still reaches the API', async () => {
    const answer = await request(
      'POST',
      '/uploads',
      { authorization: `Bearer ${token()}` },
      JSON.stringify({ fileName: 'r.pdf', year: 2023, contentType: 'application/pdf' }),
    );
    expect(answer.status).toBe(201);
  });
});
