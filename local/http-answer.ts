import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Shared by the local API server and the local S3 gate: answers that end a request whose body is not
 * wanted (too large, refused before the file), and a bounded body reader.
 */

/** Bytes of an unwanted body still read (and dropped) after the answer, so the client sees the answer. */
const LINGER_BYTES = 1024 * 1024;
const LINGER_MS = 2000;

/**
 * Sends the answer with `Connection: close` and stops taking the body: what the client still sends is
 * dropped (never kept) for a moment, so its HTTP stack can read the answer instead of a reset, and then
 * the connection is closed.
 */
export function answerAndClose(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string,
): void {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  res.shouldKeepAlive = false;
  res.writeHead(status, { ...headers, connection: 'close', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  let dropped = 0;
  const close = () => req.socket.destroy();
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) close();
  });
  req.on('error', () => {});
  req.socket.once('close', () => clearTimeout(timer));
  req.resume();
}

export class BodyTooLarge extends Error {}

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
