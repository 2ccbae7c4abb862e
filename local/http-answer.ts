import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Shared by the local API server and the local S3 gate: answers that end a request whose body is not
 * wanted (too large, refused before the file), and a bounded body reader.
 */

/** How long a refused client gets to read the answer before its connection is dropped. */
const LINGER_MS = 2000;

/**
 * Sends the answer with `Connection: close` and stops reading the body. Node would destroy the socket as
 * soon as the answer is out; with unread body bytes the kernel then sends a reset that can wipe the answer
 * before the client has read it. So our side only half-closes, reads nothing more (the client's sending
 * blocks on TCP flow control, nothing piles up here) and the connection is dropped a moment later.
 */
export function answerAndClose(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  const socket = req.socket;
  req.removeAllListeners('data');
  req.on('error', () => {});
  req.pause();
  if (res.headersSent || socket.destroyed) {
    socket.destroy();
    return;
  }
  socket.destroySoon = () => socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  res.shouldKeepAlive = false;
  res.writeHead(status, { ...headers, connection: 'close', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export class BodyTooLarge extends Error {
  override name = 'BodyTooLarge';
}

/** Reads a body of at most `limit` bytes; throws BodyTooLarge as soon as it is over (before reading more). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  // Not `for await`: leaving that loop early would destroy the socket before the answer is written.
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** The port a server listening on TCP was given (listen(0) picks one). */
export function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new Error('the server is not listening on a TCP port');
  return address.port;
}

/** A request header as one string: Node gives a repeated header as an array, HTTP folds it with commas. */
export const headerValue = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v.join(',') : v;

/**
 * Request headers one string each (API Gateway passes them so; SigV4 signs them so), of `names` or of all;
 * absent ones left out.
 */
export function singleValued(
  headers: Record<string, string | string[] | undefined>,
  names: readonly string[] = Object.keys(headers),
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = headerValue(headers[name]);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
