import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { PostSigner, PresignedPost } from '../api/uploads.ts';

/**
 * PostSigner on S3: the policy pins the exact key, the content type, the size range and server-side
 * encryption, and expires after at most 15 minutes. S3 refuses any POST that strays from it.
 */
export class S3PostSigner implements PostSigner {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async presignPost(r: Parameters<PostSigner['presignPost']>[0]): Promise<PresignedPost> {
    const { url, fields } = await createPresignedPost(this.#s3, {
      Bucket: this.#bucket,
      Key: r.key,
      Fields: { 'Content-Type': r.contentType, 'x-amz-server-side-encryption': 'AES256' },
      Conditions: [
        ['content-length-range', r.minBytes, r.maxBytes],
        ['eq', '$Content-Type', r.contentType],
        ['eq', '$x-amz-server-side-encryption', 'AES256'],
      ],
      Expires: Math.min(r.expiresSeconds, 900),
    });
    return { url, fields };
  }
}
