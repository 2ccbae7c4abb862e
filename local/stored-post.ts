import { createReadStream } from 'node:fs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StoredPost } from './s3-gate.ts';

/** How many times an accepted POST's file is sent to the store before the POST answers InternalError. */
export const STORE_ATTEMPTS = 3;

/**
 * Whether a failed request never got an HTTP answer (a reset or closed connection, a timeout): the SDK
 * marks an answered one with its status in `$metadata`.
 */
function unanswered(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (!('$metadata' in error) || typeof error.$metadata !== 'object' || error.$metadata === null) return true;
  return !('httpStatusCode' in error.$metadata) || error.$metadata.httpStatusCode === undefined;
}

/**
 * Stores an accepted POST's spooled file through the signed path (PutObject); returns the ETag. The SDK
 * retries no request whose body is a stream, so a keep-alive connection the store closed just as the
 * client reused it (ECONNRESET; seen under heavy load in the --serve soak, issue 22) failed the agency's
 * upload with a 500. The file is on disk: it is sent again on a fresh stream, up to STORE_ATTEMPTS times.
 * A request the store answered (a refusal) is never repeated.
 */
export async function storePost(s3: S3Client, post: StoredPost): Promise<string> {
  const meta = [...post.fields].filter(([name]) => name.startsWith('x-amz-meta-'));
  const sse = post.fields.get('x-amz-server-side-encryption');
  const put = () =>
    new PutObjectCommand({
      Bucket: post.bucket,
      Key: post.key,
      Body: createReadStream(post.file),
      ContentLength: post.size,
      ...(post.contentType === undefined ? {} : { ContentType: post.contentType }),
      ...(sse === 'AES256' ? { ServerSideEncryption: 'AES256' as const } : {}),
      ...(meta.length === 0
        ? {}
        : { Metadata: Object.fromEntries(meta.map(([n, v]) => [n.slice('x-amz-meta-'.length), v])) }),
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return (await s3.send(put())).ETag ?? '';
    } catch (error) {
      if (attempt >= STORE_ATTEMPTS || !unanswered(error)) throw error;
    }
  }
}
