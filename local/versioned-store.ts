import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  promises as fs,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type LatestVersion, listObjectsV2 } from './s3-list.ts';

export type { LatestVersion } from './s3-list.ts';

import { errnoCode } from '../functions/extract/errors.ts';
import { S3Refusal } from './s3-refusal.ts';

/**
 * The local S3's objects, kept as S3 keeps them in a versioned bucket (the stack's bucket is versioned).
 * s3rver keeps one copy per key, overwritten in place, and announces a write before its bytes are on disk;
 * so its store's writes are replaced here (on s3rver's own store object, through the methods its
 * controllers call):
 * - every write (PUT, a POST stored through it, a copy, a completed multipart upload) gets a version id of
 *   its own, kept in its metadata; its bytes are written to a temporary file and renamed into place
 *   whole, so no read sees half a write, and hard-linked as that version, which stays readable by its id
 *   after later writes (`GET ?versionId=`, the id the event carries);
 * - the ObjectCreated event goes out once the version is readable, with its version id;
 * - an object written before (by an earlier local run, or straight into the folder) has no version id of
 *   its own and reads as the version its MD5 names, the version id the local run gave every object then.
 * Listing (ListObjectsV2) is answered here as well: s3rver's continuation tokens use DES, which Node 24's
 * OpenSSL refuses, so every truncated listing (past 1,000 keys) failed; and its walk does not give S3's
 * byte order for keys that share a prefix with a folder.
 */
interface S3rverObject {
  bucket: string;
  key: string;
  content: Readable | Buffer | null;
  metadata: Record<string, string>;
}

/** The parts of s3rver's FilesystemStore (lib/stores/filesystem.js) this file builds on. */
export interface S3rverStore {
  rootDirectory: string;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Record<string, string>>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
  getBucket(bucket: string): Promise<unknown>;
  putObject(object: S3rverObject): Promise<{ size: number; md5: string }>;
  copyObject(
    srcBucket: string,
    srcKey: string,
    destBucket: string,
    destKey: string,
    replacementMetadata?: Record<string, string>,
  ): Promise<Record<string, string>>;
}

/** The S3Object model s3rver's controllers answer from. */
type S3ObjectClass = new (
  bucket: string,
  key: string,
  content: Readable | null,
  metadata: Record<string, string>,
) => unknown;

export interface CreatedEvent {
  Records: {
    eventVersion: string;
    eventSource: string;
    awsRegion: string;
    eventName: string;
    eventTime: string;
    s3: {
      bucket: { name: string };
      object: { key: string; size: number; eTag: string; versionId: string; sequencer: string };
    };
  }[];
}

const VERSION_ID = 'x-amz-version-id';
/** Our version ids: 32 characters of [0-9a-z], ordered by time (S3's are opaque strings of that length). */
const VERSION_ID_PATTERN = /^[0-9a-zA-Z._-]{1,64}$/;
const OBJECT_SUFFIX = '._S3rver_object';
const VERSIONS_SUFFIX = '._S3rver_versions';
/** s3rver keeps these as an object's metadata (models/object.js); the rest of the headers are not stored. */
const ALLOWED_METADATA = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-type',
  'expires',
  'x-amz-storage-class',
  'x-amz-website-redirect-location',
];

/** What one request to the store carries through s3rver's controllers (AsyncLocalStorage). */
interface RequestScope {
  /** `?versionId=` of a GET or HEAD. */
  versionId: string | undefined;
  /** The version the request wrote or read, for the `x-amz-version-id` header of its answer. */
  answered: string | undefined;
}

let lastTime = 0;
let counter = 0;
/** Time-ordered and unique in this process; random in its tail, so two processes do not meet. */
export function newVersionId(): string {
  const now = Date.now();
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  return `${now.toString(36).padStart(9, '0')}${counter.toString(36).padStart(4, '0')}${randomBytes(12).toString('hex').slice(0, 19)}`;
}

const md5Of = (text: string) => text.replace(/"/g, '');

export class VersionedStore {
  readonly #store: S3rverStore;
  readonly #versionsRoot: string;
  readonly #tmp: string;
  readonly #scope = new AsyncLocalStorage<RequestScope>();
  readonly #listeners: ((event: CreatedEvent) => void)[] = [];
  readonly #s3Object: S3ObjectClass;
  #sequencer = 0n;

  /**
   * Takes over the writes and versioned reads of s3rver's store. `versionsRoot` lies beside s3rver's
   * folder (never inside, where it would be listed as a bucket), on the same file system.
   */
  constructor(store: S3rverStore, versionsRoot: string, S3Object: S3ObjectClass) {
    this.#store = store;
    this.#versionsRoot = versionsRoot;
    this.#tmp = path.join(versionsRoot, '.tmp');
    this.#s3Object = S3Object;
    // What a kill left half-written never became a version: its temporary files go.
    rmSync(this.#tmp, { recursive: true, force: true });
    mkdirSync(this.#tmp, { recursive: true });
    const originalGetMetadata = store.getMetadata.bind(store);
    const originalGetObject = store.getObject.bind(store);
    store.getMetadata = async (bucket, key) => {
      const metadata = await originalGetMetadata(bucket, key);
      return { ...metadata, [VERSION_ID]: metadata[VERSION_ID] ?? md5Of(metadata.etag ?? '') };
    };
    store.getObject = async (bucket, key, options) => {
      const scope = this.#scope.getStore();
      const wanted = scope?.versionId;
      if (wanted !== undefined) {
        const version = await this.#version(bucket, key, wanted, options);
        if (version !== null || !(await this.#isCurrent(bucket, key, wanted))) {
          if (version !== null && scope !== undefined) scope.answered = wanted;
          return version;
        }
      }
      const object = await originalGetObject(bucket, key, options);
      if (object !== null && scope !== undefined) {
        scope.answered = (await store.getMetadata(bucket, key).catch(() => null))?.[VERSION_ID];
      }
      return object;
    };
    store.putObject = (object) => this.#write(object, 'ObjectCreated:Put');
    store.copyObject = async (srcBucket, srcKey, destBucket, destKey, replacementMetadata) => {
      const source = (await originalGetObject(srcBucket, srcKey)) as S3rverObject | null;
      if (source === null) throw Object.assign(new Error(`no such key ${srcKey}`), { code: 'ENOENT' });
      const metadata = replacementMetadata ?? source.metadata;
      await this.#write(
        { bucket: destBucket, key: destKey, content: source.content, metadata },
        'ObjectCreated:Copy',
      );
      return store.getMetadata(destBucket, destKey);
    };
  }

  /** The ObjectCreated events, each once its version can be read. */
  onCreated(listener: (event: CreatedEvent) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * s3rver's request handler with the versioned reads and the listing in front of it: each request runs
   * in its own scope (its `?versionId=`), and its answer carries the version it wrote or read.
   */
  handler(s3rver: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
      const segments = (q < 0 ? url : url.slice(0, q)).split('/').filter((s) => s !== '');
      if (req.method === 'GET' && segments.length === 1 && query.get('list-type') === '2') {
        this.#answerList(decodeURIComponent(segments[0] ?? ''), query, res);
        return;
      }
      const versionId = query.get('versionId') ?? undefined;
      if (versionId !== undefined && !VERSION_ID_PATTERN.test(versionId)) {
        answerRefusal(res, new S3Refusal('InvalidArgument', 'Invalid version id specified'));
        return;
      }
      const scope: RequestScope = { versionId, answered: undefined };
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
      res.writeHead = ((...args: unknown[]) => {
        if (scope.answered !== undefined && !res.headersSent) res.setHeader(VERSION_ID, scope.answered);
        return writeHead(...args);
      }) as ServerResponse['writeHead'];
      this.#scope.run(scope, () => s3rver(req, res));
    };
  }

  /** The latest version of every object under the prefix, in key order, read from the folder itself. */
  async latest(bucket: string, prefix: string): Promise<LatestVersion[]> {
    const found: LatestVersion[] = [];
    for (const key of this.#keys(bucket, prefix)) {
      const described = await this.#describe(bucket, key);
      if (described !== null) found.push(described);
    }
    return found;
  }

  /** An object's listing entry, read from its files directly (a season lists thousands). */
  async #describe(bucket: string, key: string): Promise<LatestVersion | null> {
    try {
      const data = this.#store.getResourcePath(bucket, key, 'object');
      const stat = statSync(data);
      const eTag = readFileSync(`${data}.md5`, 'utf8');
      const metadata = readMetadata(this.#store.getResourcePath(bucket, key, 'metadata.json'));
      return {
        key,
        versionId: metadata[VERSION_ID] ?? eTag,
        size: stat.size,
        eTag,
        lastModified: stat.mtime,
      };
    } catch (error) {
      // Gone meanwhile, or an object of s3rver's own whose MD5 it writes on first read.
      if (errnoCode(error) !== 'ENOENT') throw error;
      return this.#describeSlowly(bucket, key);
    }
  }

  async #describeSlowly(bucket: string, key: string): Promise<LatestVersion | null> {
    const metadata = await this.#store.getMetadata(bucket, key).catch(() => null);
    if (metadata === null) return null;
    return {
      key,
      versionId: metadata[VERSION_ID] ?? '',
      size: Number(metadata['content-length']),
      eTag: md5Of(metadata.etag ?? ''),
      lastModified: new Date(metadata['last-modified'] ?? 0),
    };
  }

  /** Every key under the prefix, in S3's order (UTF-8 bytes); folders that cannot hold one are skipped. */
  #keys(bucket: string, prefix: string): string[] {
    const root = path.join(this.#store.rootDirectory, bucket);
    const keys: string[] = [];
    const walk = (folder: string, relative: string) => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (entry.isDirectory()) {
          const sub = `${relative}${entry.name}/`;
          if (sub.startsWith(prefix) || prefix.startsWith(sub)) walk(path.join(folder, entry.name), sub);
        } else if (entry.isFile() && entry.name.endsWith(OBJECT_SUFFIX)) {
          const key = `${relative}${entry.name.slice(0, -OBJECT_SUFFIX.length)}`;
          if (key.startsWith(prefix)) keys.push(key);
        }
      }
    };
    walk(root, '');
    return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  async #answerList(bucket: string, query: URLSearchParams, res: ServerResponse): Promise<void> {
    try {
      if ((await this.#store.getBucket(bucket)) === null) {
        throw new S3Refusal('NoSuchBucket', 'The specified bucket does not exist');
      }
      const xml = await listObjectsV2(bucket, query, {
        keys: (prefix) => this.#keys(bucket, prefix),
        describe: (key) => this.#describe(bucket, key),
      });
      res.writeHead(200, { 'content-type': 'application/xml' }).end(xml);
    } catch (error) {
      answerRefusal(
        res,
        error instanceof S3Refusal
          ? error
          : new S3Refusal('InternalError', 'We encountered an internal error. Please try again.'),
      );
    }
  }

  #versionFolder(bucket: string, key: string): string {
    const parts = key.split('/');
    const last = parts.pop() ?? '';
    return path.join(this.#versionsRoot, bucket, ...parts, `${last}${VERSIONS_SUFFIX}`);
  }

  async #isCurrent(bucket: string, key: string, versionId: string): Promise<boolean> {
    const metadata = await this.#store.getMetadata(bucket, key).catch(() => null);
    return metadata?.[VERSION_ID] === versionId;
  }

  /** One version as s3rver's S3Object, or null when the key has no such version kept. */
  async #version(bucket: string, key: string, versionId: string, options: unknown): Promise<unknown> {
    const folder = this.#versionFolder(bucket, key);
    const data = path.join(folder, `${versionId}.object`);
    let metadata: Record<string, string>;
    let stat: import('node:fs').Stats;
    try {
      metadata = JSON.parse(await fs.readFile(path.join(folder, `${versionId}.json`), 'utf8'));
      stat = await fs.stat(data);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null;
      throw error;
    }
    const full = {
      ...metadata,
      'last-modified': stat.mtime.toUTCString(),
      'content-length': String(stat.size),
    };
    const range = options as { start?: number; end?: number } | undefined;
    const lastByte = Math.max(0, stat.size - 1);
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? Number.POSITIVE_INFINITY, lastByte);
    const satisfiable = !(start < 0 || end < start) && stat.size > 0;
    const content = satisfiable || range === undefined ? createReadStream(data, { start, end }) : null;
    const object = new this.#s3Object(bucket, key, content, full) as { range?: unknown };
    if (range !== undefined && (range.start !== undefined || range.end)) object.range = { start, end };
    return object;
  }

  /**
   * A write as S3 makes it: the bytes to a temporary file (hashed as they come), then, all at once (no
   * other write of this process can come between), the new version's metadata and data renamed into
   * place and the version kept beside; then its event.
   */
  async #write(object: S3rverObject, eventName: string): Promise<{ size: number; md5: string }> {
    const name = randomBytes(8).toString('hex');
    const tmpData = path.join(this.#tmp, `${name}.object`);
    const md5 = createHash('md5');
    let size = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const content = object.content;
    try {
      if (content === null || Buffer.isBuffer(content)) {
        const body = content ?? Buffer.alloc(0);
        md5.update(body);
        size = body.length;
        await fs.writeFile(tmpData, body);
      } else {
        await pipeline(content, hashing, createWriteStream(tmpData));
      }
    } catch (error) {
      rmSync(tmpData, { force: true });
      throw error;
    }
    const hex = md5.digest('hex');
    const versionId = newVersionId();
    const metadata: Record<string, string> = { [VERSION_ID]: versionId };
    for (const [k, v] of Object.entries(object.metadata)) {
      if (ALLOWED_METADATA.includes(k) || k.startsWith('x-amz-meta-')) metadata[k] = v;
    }
    metadata['content-type'] ??= 'binary/octet-stream';
    const { bucket, key } = object;
    const dataPath = this.#store.getResourcePath(bucket, key, 'object');
    const folder = this.#versionFolder(bucket, key);
    // From here to the event, nothing awaits: this write is whole before any other is looked at.
    mkdirSync(path.dirname(dataPath), { recursive: true });
    mkdirSync(folder, { recursive: true });
    linkSync(tmpData, path.join(folder, `${versionId}.object`));
    writeFileSync(path.join(folder, `${versionId}.json`), JSON.stringify(metadata));
    const tmpMeta = path.join(this.#tmp, `${name}.json`);
    const tmpMd5 = path.join(this.#tmp, `${name}.md5`);
    writeFileSync(tmpMeta, JSON.stringify(metadata, null, 2));
    writeFileSync(tmpMd5, hex);
    renameSync(tmpData, dataPath);
    renameSync(tmpMd5, this.#store.getResourcePath(bucket, key, 'object.md5'));
    renameSync(tmpMeta, this.#store.getResourcePath(bucket, key, 'metadata.json'));
    const scope = this.#scope.getStore();
    if (scope !== undefined) scope.answered = versionId;
    this.#emit(eventName, bucket, { key, size, eTag: hex, versionId });
    return { size, md5: hex };
  }

  #emit(
    eventName: string,
    bucket: string,
    object: { key: string; size: number; eTag: string; versionId: string },
  ) {
    // Strictly increasing per process, as S3's sequencer is per key (the router pads them).
    const now = BigInt(Date.now()) << 16n;
    this.#sequencer = now > this.#sequencer ? now : this.#sequencer + 1n;
    const event: CreatedEvent = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'local',
          eventName,
          eventTime: new Date().toISOString(),
          s3: {
            bucket: { name: bucket },
            object: { ...object, sequencer: this.#sequencer.toString(16).toUpperCase() },
          },
        },
      ],
    };
    for (const listener of this.#listeners) listener(event);
  }
}

function answerRefusal(res: ServerResponse, refusal: S3Refusal): void {
  res.writeHead(refusal.status, { 'content-type': 'application/xml' }).end(refusal.xml());
}

function readMetadata(file: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
