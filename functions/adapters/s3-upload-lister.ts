import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ListedUpload, UploadLister } from '../api/uploads.ts';

/** UploadLister on S3: ListObjectsV2 under one prefix, page by page, up to `max` objects. */
export class S3UploadLister implements UploadLister {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async list(prefix: string, max: number): Promise<ListedUpload[]> {
    const found: ListedUpload[] = [];
    let token: string | undefined;
    do {
      const out = await this.#s3.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: prefix,
          MaxKeys: Math.min(1000, max - found.length),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const o of out.Contents ?? []) {
        if (o.Key === undefined) continue;
        found.push({ key: o.Key, uploadedAt: o.LastModified?.toISOString() ?? '', size: o.Size ?? 0 });
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token !== undefined && found.length < max);
    return found;
  }
}
