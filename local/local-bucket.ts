import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

/** An object's latest version as the bucket lists it, or as a write left it whole. */
export interface BucketObject {
  key: string;
  size: number;
  eTag: string;
  versionId: string;
  lastModified?: Date;
}

/** A whole object's version and the SHA-256 of its bytes (what a record is compared by). */
export interface WholeObject extends BucketObject {
  sha256: string;
}

/** The store's own listing of the latest versions (versioned-store.ts). */
export interface VersionLister {
  latest(bucket: string, prefix: string): Promise<BucketObject[]>;
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
  readonly #versions: VersionLister;

  constructor(s3: S3Client, name: string, versions: VersionLister) {
    this.#s3 = s3;
    this.name = name;
    this.#versions = versions;
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

  /**
   * The latest version of every object under the prefix, with its version id (which S3's listing does
   * not give): read from the local store itself, for the run's own resume.
   */
  list(prefix: string): Promise<BucketObject[]> {
    return this.#versions.latest(this.name, prefix);
  }

  /**
   * The object's latest version when it was written whole; null when a kill cut its write: the store
   * renames the data, the MD5 file and the metadata into place one after the other, so a cut write shows
   * as bytes that do not hash to the ETag, a missing metadata file (no content type), or bytes other than
   * the ones the uploader declared (`md5` metadata, set by put()).
   */
  async whole(key: string): Promise<WholeObject | null> {
    const got = await this.#s3.send(new GetObjectCommand({ Bucket: this.name, Key: key })).catch(() => null);
    if (got?.Body === undefined || got === null) return null;
    const bytes = await got.Body.transformToByteArray();
    const md5 = createHash('md5').update(bytes).digest('hex');
    const eTag = unquoted(got.ETag) ?? '';
    const declared = got.Metadata?.md5 ?? md5;
    if (md5 !== eTag || declared !== md5 || got.ContentType === undefined) return null;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { key, size: bytes.length, eTag, versionId: got.VersionId ?? md5, sha256 };
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
