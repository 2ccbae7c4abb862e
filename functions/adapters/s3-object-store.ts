import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../pipeline/ports.ts';

/** ObjectStore on S3. A missing object (or version) is null; every other failure is thrown as transient. */
export class S3ObjectStore implements ObjectStore {
  readonly #s3: S3Client;

  constructor(s3: S3Client) {
    this.#s3 = s3;
  }

  async get(bucket: string, key: string, versionId?: string | null): Promise<Uint8Array | null> {
    try {
      const out = await this.#s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
      );
      return out.Body === undefined ? new Uint8Array() : await out.Body.transformToByteArray();
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof Error && error.name === 'NoSuchVersion'))
        return null;
      throw error;
    }
  }

  async put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void> {
    await this.#s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }
}
