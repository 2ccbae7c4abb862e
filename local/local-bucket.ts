import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketCorsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** An object as the bucket lists it, or as a write left it whole. */
export interface BucketObject {
  key: string;
  size: number;
  eTag: string;
  lastModified?: Date;
}

const unquoted = (eTag: string | undefined) => eTag?.replace(/"/g, '');

/**
 * What the local run itself does with its bucket, beside what the handlers do through their ObjectStore:
 * put a file as an agency would, list and check what an earlier run left, and wait for the in-process S3
 * to have written what it announced.
 */
export class LocalBucket {
  readonly name: string;
  readonly #s3: S3Client;

  constructor(s3: S3Client, name: string) {
    this.#s3 = s3;
    this.name = name;
  }

  /**
   * Puts bytes as the uploader would; the declared `md5` metadata lets a later start tell a write that a
   * kill cut short (see `whole`).
   */
  async put(key: string, body: Uint8Array): Promise<void> {
    const md5 = createHash('md5').update(body).digest('hex');
    await this.#s3.send(
      new PutObjectCommand({
        Bucket: this.name,
        Key: key,
        Body: body,
        ContentType: 'application/octet-stream',
        Metadata: { md5 },
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.#s3.send(new DeleteObjectCommand({ Bucket: this.name, Key: key }));
  }

  /** Every object under the prefix. */
  async list(prefix: string): Promise<BucketObject[]> {
    const found: BucketObject[] = [];
    let token: string | undefined;
    do {
      const out = await this.#s3.send(
        new ListObjectsV2Command({ Bucket: this.name, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) {
        if (o.Key === undefined) continue;
        found.push({
          key: o.Key,
          size: o.Size ?? 0,
          eTag: unquoted(o.ETag) ?? '',
          ...(o.LastModified === undefined ? {} : { lastModified: o.LastModified }),
        });
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token !== undefined);
    return found;
  }

  /**
   * The object's size and ETag when it was written whole; null when a kill cut its write: s3rver writes
   * the data, then the MD5 file, then the metadata, and answers the PUT after all three, so a cut write
   * shows as bytes that do not hash to the ETag, a missing metadata file (no content type), or bytes other
   * than the ones the uploader declared (`md5` metadata, set by put()).
   */
  async whole(key: string): Promise<BucketObject | null> {
    const got = await this.#s3.send(new GetObjectCommand({ Bucket: this.name, Key: key })).catch(() => null);
    if (got?.Body === undefined || got === null) return null;
    const bytes = await got.Body.transformToByteArray();
    const md5 = createHash('md5').update(bytes).digest('hex');
    const eTag = unquoted(got.ETag) ?? '';
    const declared = got.Metadata?.md5 ?? md5;
    if (md5 !== eTag || declared !== md5 || got.ContentType === undefined) return null;
    return { key, size: bytes.length, eTag };
  }

  /**
   * s3rver announces a write before its bytes are on disk (it ends the file stream and moves on), so an
   * object read at once can come back short or empty. Before an event is routed, the object is asked for
   * until its size and ETag are the ones the event states (up to ~5 s; after that the extract step's own
   * check makes the read a retried transient failure, never the file's fault).
   */
  async untilStored(object: { key: string; size?: number; eTag?: string }): Promise<void> {
    const eTag = unquoted(object.eTag);
    for (let attempt = 0; attempt < 100; attempt++) {
      const head = await this.#s3
        .send(new HeadObjectCommand({ Bucket: this.name, Key: object.key }))
        .catch(() => null);
      if (
        head !== null &&
        (object.size === undefined || head.ContentLength === object.size) &&
        (eTag === undefined || unquoted(head.ETag) === eTag)
      ) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Lets a page on any origin POST to the bucket (the pre-signed upload of `local --serve`). */
  async allowBrowserPosts(): Promise<void> {
    await this.#s3.send(
      new PutBucketCorsCommand({
        Bucket: this.name,
        CORSConfiguration: {
          CORSRules: [
            { AllowedOrigins: ['*'], AllowedMethods: ['POST'], AllowedHeaders: ['*'], MaxAgeSeconds: 3600 },
          ],
        },
      }),
    );
  }
}
