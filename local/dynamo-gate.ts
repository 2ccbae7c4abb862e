import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';
import { singleValued } from './http-answer.ts';
import { type Credentials, parseAmzDate, sameSignature } from './sigv4.ts';

/**
 * The local DynamoDB's only door (issue 22 N2). dynalite checks no signature and answers any origin with
 * CORS `*`, so anything on the machine — curl, or a web page on another local origin — could scan every
 * record or plant a review decision. DynamoDB refuses a request that is not signed with the account's
 * credentials; so does this gate, with the SDK's own signer (@smithy/signature-v4) recomputing the
 * signature over the headers the request says it signed and the body it carries. And a request with an
 * `Origin` (a browser's) is refused outright with no CORS headers: no local caller is a browser, and a
 * page must not learn even that the port answers. Only what passes reaches dynalite, which never listens.
 */
const HEADER =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/dynamodb\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
/** SigV4's allowance for clock difference, as AWS applies it. */
const SKEW_MS = 15 * 60 * 1000;
/** DynamoDB's largest request (a BatchWriteItem of 25 items of 400 KB is 16 MB at most). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** node:crypto as the signer's hash: SHA-256, or HMAC-SHA256 with a secret. */
export class NodeSha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

interface Refusal {
  status: number;
  type: string;
  message: string;
}

/** The error DynamoDB answers, in its JSON shape. */
function refuse(res: ServerResponse, refusal: Refusal): void {
  res
    .writeHead(refusal.status, { 'content-type': 'application/x-amz-json-1.0' })
    // biome-ignore lint/style/useNamingConvention: DynamoDB's wire name for the error type
    .end(JSON.stringify({ __type: `com.amazon.coral.service#${refusal.type}`, message: refusal.message }));
}

/** Why a request is not DynamoDB's to answer, or null when it is signed by the process's credentials. */
export async function dynamoRefusal(
  request: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer },
  credentials: Credentials,
  now: Date = new Date(),
): Promise<Refusal | null> {
  if (request.headers.origin !== undefined) {
    return {
      status: 403,
      type: 'AccessDeniedException',
      message: 'Requests from a browser origin are refused.',
    };
  }
  const auth = request.headers.authorization;
  const m = typeof auth === 'string' ? HEADER.exec(auth) : null;
  if (m === null) {
    return {
      status: 400,
      type: 'MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    };
  }
  const [, accessKeyId = '', date = '', region = '', signed = '', signature = ''] = m;
  if (accessKeyId !== credentials.accessKeyId) {
    return {
      status: 400,
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    };
  }
  const amzDate = request.headers['x-amz-date'];
  const time = typeof amzDate === 'string' && amzDate.startsWith(date) ? parseAmzDate(amzDate) : null;
  if (time === null || Math.abs(now.getTime() - time.getTime()) > SKEW_MS) {
    return {
      status: 400,
      type: 'InvalidSignatureException',
      message: 'Signature expired or missing x-amz-date.',
    };
  }
  // The signer takes a declared payload hash as given: the body must be the one it names.
  const declared = request.headers['x-amz-content-sha256'];
  if (declared !== undefined && declared !== createHash('sha256').update(request.body).digest('hex')) {
    return {
      status: 400,
      type: 'InvalidSignatureException',
      message: 'The provided x-amz-content-sha256 header does not match what was computed.',
    };
  }
  const names = signed.split(';');
  const headers = singleValued(request.headers, names);
  const q = request.url.indexOf('?');
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(q < 0 ? '' : request.url.slice(q + 1))) query[k] = v;
  const signer = new SignatureV4({
    credentials,
    region,
    service: 'dynamodb',
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: q < 0 ? request.url : request.url.slice(0, q),
      query,
      headers,
      body: request.body,
    },
    { signingDate: time, signingRegion: region, signableHeaders: new Set(names) },
  );
  const recomputed =
    /Signature=([0-9a-f]{64})$/.exec(String(expected.headers.authorization ?? ''))?.[1] ?? '';
  if (!names.includes('host') || !sameSignature(recomputed, signature)) {
    return {
      status: 400,
      type: 'InvalidSignatureException',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  return null;
}

/** The gate in front of dynalite's request handler (`dynalite` is never listened on itself). */
export function dynamoGate(options: {
  credentials: Credentials;
  dynalite: RequestListener;
}): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data');
        refuse(res, { status: 413, type: 'ValidationException', message: 'Request too large.' });
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', async () => {
      if (res.headersSent) return;
      const body = Buffer.concat(chunks);
      const refusal = await dynamoRefusal(
        { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
        options.credentials,
      ).catch(() => ({ status: 400, type: 'InvalidSignatureException', message: 'Malformed signature.' }));
      if (refusal !== null) {
        refuse(res, refusal);
        return;
      }
      // dynalite reads its request as a stream: it gets the same bytes, from the buffer.
      const replay = Object.assign(Readable.from([body]), {
        headers: req.headers,
        method: req.method,
        url: req.url,
      });
      options.dynalite(replay as unknown as IncomingMessage, res);
    });
  };
}
