import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { answerAndClose } from './http-answer.ts';
import { readPostForm } from './multipart.ts';
import { type AcceptedPost, verifyPostPolicy } from './post-policy.ts';
import { keyProblem } from './s3-keys.ts';
import { isS3ErrorCode, S3Refusal } from './s3-refusal.ts';
import { type Credentials, verifyHeaderSignature } from './sigv4.ts';
import { escapeHtml } from './web/escape.js';

/**
 * The local S3's only door. s3rver checks no V4 signature and no POST policy, answers anonymous reads,
 * lists and writes, and writes `../` keys outside its folder; so it never listens itself and every request
 * passes this gate first, which lets through what S3 would:
 * - requests signed with the local credentials (the pipeline's own SDK clients), signature verified, keys
 *   confined to the store's folder;
 * - browser-based uploads (POST with a signed policy), checked as S3 checks them and the file streamed to
 *   a temporary file, at most the policy's size, before it is stored through the signed path;
 * - CORS preflights.
 * Everything else is anonymous and gets 403 AccessDenied, as on a private bucket.
 */
export interface GateDeps {
  credentials: Credentials;
  /** s3rver's request handler (its Koa callback). */
  s3rver: RequestListener;
  /** Stores an accepted POST's file through the signed path; returns the ETag. */
  store: (upload: StoredPost) => Promise<string>;
  /** The CORS answer for a browser's POST: the Access-Control headers the bucket's rules give, if any. */
  corsHeaders: (bucket: string, origin: string | undefined) => Promise<Record<string, string>>;
}

export interface StoredPost {
  bucket: string;
  key: string;
  file: string;
  size: number;
  contentType: string | undefined;
  fields: Map<string, string>;
}

const xml = { 'content-type': 'application/xml' };

export function s3Gate(deps: GateDeps): RequestListener {
  return (req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      const refusal =
        error instanceof S3Refusal
          ? error
          : new S3Refusal('InternalError', 'We encountered an internal error. Please try again.');
      answerAndClose(req, res, refusal.status, xml, refusal.xml());
    });
  };
}

async function handle(deps: GateDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  if (!rawPath.startsWith('/')) throw new S3Refusal('InvalidURI', 'Could not parse the specified URI.');
  const [bucket, key] = bucketAndKey(rawPath);

  if (req.headers.authorization !== undefined) {
    const check = await verifyHeaderSignature(
      { method: req.method ?? '', rawPath, rawQuery, headers: req.headers },
      deps.credentials,
    );
    if (!check.ok)
      throw new S3Refusal(isS3ErrorCode(check.code) ? check.code : 'AccessDenied', check.message);
    for (const k of [key, copySourceKey(req.headers['x-amz-copy-source'])]) {
      const problem = k === undefined || k === '' ? null : keyProblem(k);
      if (problem !== null) throw problem;
    }
    // Verified here; s3rver would only check that the key id is its own hard-coded one.
    delete req.headers.authorization;
    deps.s3rver(req, res);
    return;
  }
  if (/(^|&)(X-Amz-Signature|Signature)=/i.test(rawQuery)) {
    throw new S3Refusal('AccessDenied', 'Query-string authentication is not served by the local S3.');
  }
  if (req.method === 'OPTIONS') {
    deps.s3rver(req, res);
    return;
  }
  if (req.method === 'POST' && bucket !== '' && (key === undefined || key === '') && rawQuery === '') {
    await receivePost(deps, bucket, req, res);
    return;
  }
  throw new S3Refusal('AccessDenied', 'Access Denied');
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new S3Refusal('InvalidURI', 'Could not parse the specified URI.');
  }
}

/** Path-style: `/{bucket}/{key…}`. */
function bucketAndKey(rawPath: string): [string, string | undefined] {
  const slash = rawPath.indexOf('/', 1);
  if (slash < 0) return [decode(rawPath.slice(1)), undefined];
  return [decode(rawPath.slice(1, slash)), decode(rawPath.slice(slash + 1))];
}

function copySourceKey(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const source = decode(header.split('?')[0] ?? '').replace(/^\//, '');
  return source.slice(source.indexOf('/') + 1);
}

async function receivePost(deps: GateDeps, bucket: string, req: IncomingMessage, res: ServerResponse) {
  const cors = await deps.corsHeaders(bucket, req.headers.origin);
  const spoolDir = mkdtempSync(path.join(tmpdir(), 's3-gate-'));
  const file = path.join(spoolDir, 'file');
  try {
    const { post, size } = await readPostForm(req, req.headers['content-type'], async (form, part) => {
      const accepted = await verifyPostPolicy(form, bucket, part.fileName, deps.credentials);
      return { post: accepted, size: await spool(part.stream, file, accepted.size?.max) };
    });
    const min = post.size?.min ?? 0;
    if (size < min) {
      throw new S3Refusal(
        'EntityTooSmall',
        `Your proposed upload is smaller than the minimum allowed size (${min} bytes).`,
      );
    }
    const etag = await deps.store({
      bucket,
      key: post.key,
      file,
      size,
      contentType: post.contentType,
      fields: post.fields,
    });
    answerStored(res, bucket, post, etag, req.headers.host ?? '', cors);
  } catch (error) {
    const refusal =
      error instanceof S3Refusal
        ? error
        : new S3Refusal('InternalError', 'We encountered an internal error. Please try again.');
    answerAndClose(req, res, refusal.status, { ...xml, ...cors }, refusal.xml());
  } finally {
    rmSync(spoolDir, { recursive: true, force: true });
  }
}

/** Writes the file to `target`, at most `max` bytes (refused as soon as it is over); returns its size. */
async function spool(file: Readable, target: string, max: number | undefined): Promise<number> {
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (max !== undefined && size > max) {
        done(
          new S3Refusal(
            'EntityTooLarge',
            `Your proposed upload exceeds the maximum allowed size (${max} bytes).`,
          ),
        );
      } else done(null, chunk);
    },
  });
  // A disk error fails this upload, never the process.
  await pipeline(file, count, createWriteStream(target));
  return size;
}

/** S3's answer to a stored POST: 204 by default, 200 or 201 (with a PostResponse) on request. */
function answerStored(
  res: ServerResponse,
  bucket: string,
  post: AcceptedPost,
  etag: string,
  host: string,
  cors: Record<string, string>,
) {
  const location = `http://${host}/${bucket}/${post.key.split('/').map(encodeURIComponent).join('/')}`;
  const headers = { ...cors, etag, location };
  const status = post.fields.get('success_action_status');
  if (status === '201') {
    // XML's markup characters are HTML's: the one escaping module serves both.
    const esc = escapeHtml;
    res
      .writeHead(201, { ...headers, ...xml })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${esc(location)}</Location><Bucket>${esc(bucket)}</Bucket><Key>${esc(post.key)}</Key><ETag>${esc(etag)}</ETag></PostResponse>`,
      );
    return;
  }
  res.writeHead(status === '200' ? 200 : 204, headers).end();
}
