import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Object,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoRecordStore } from '../functions/adapters/dynamo-record-store.ts';
import { DynamoReviewStore } from '../functions/adapters/dynamo-review-store.ts';
import { S3ObjectStore } from '../functions/adapters/s3-object-store.ts';
import { Extractor, poolSize } from '../functions/extract/index.ts';
import { createExportHandler } from '../functions/handlers/export-handler.ts';
import { createExtractHandler } from '../functions/handlers/extract-handler.ts';
import { createParseHandler } from '../functions/handlers/parse-handler.ts';
import { createReevaluateHandler } from '../functions/handlers/reevaluate-handler.ts';
import {
  EXTRACTED_PREFIX,
  extractedKeyFor,
  INCOMING_PREFIX,
  parseUploadKey,
  uploadKeyFor,
} from '../functions/pipeline/keys.ts';
import { dismissedFor } from '../functions/pipeline/notice.ts';
import { needsNotification } from '../functions/pipeline/notification.ts';
import { loadRegistry, type Registry } from '../functions/pipeline/registry.ts';
import { PARSER_VERSION, ReportRecord } from '../functions/report/index.ts';
import { decodeItem, uploadPk, versionSk } from '../functions/stream/layout.ts';
import { startDynalite, startS3rver } from './emulators.ts';
import { type EmittedRecord, EventRouter } from './event-router.ts';
import { LocalNotifier } from './local-notifier.ts';
import { lockState, StateInUse } from './state-lock.ts';
import { StreamingRecordStore } from './streaming-store.ts';

/**
 * The whole pipeline in one process, on real local APIs: dynalite for DynamoDB, s3rver for S3, the event
 * router for S3 → SQS → Lambda and for the table's stream, and an outbox for SNS. The handlers are the
 * ones the Lambdas run. State lives under `dir` (the CLI's default .local/); with `dir: null` DynamoDB is
 * kept in memory and S3 in a temporary folder.
 */
export interface LocalPipelineOptions {
  /** Where state persists between runs; null keeps everything in memory (and a temporary folder). */
  dir: string | null;
  registry?: Registry;
}

export const BUCKET = 'report-uploads';
export const TABLE = 'reports';

export class LocalPipeline {
  readonly router: EventRouter;
  readonly notifier: LocalNotifier;
  readonly s3: S3Client;
  readonly db: DynamoDBClient;
  readonly registry: Registry;
  readonly #stop: () => Promise<void>;

  private constructor(parts: {
    router: EventRouter;
    notifier: LocalNotifier;
    s3: S3Client;
    db: DynamoDBClient;
    registry: Registry;
    stop: () => Promise<void>;
  }) {
    this.router = parts.router;
    this.notifier = parts.notifier;
    this.s3 = parts.s3;
    this.db = parts.db;
    this.registry = parts.registry;
    this.#stop = parts.stop;
  }

  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'report-pipeline-'));
    // --memory's temporary folder goes when the run ends, however it ends.
    const removeTemp = () => {
      if (options.dir === null) rmSync(dir, { recursive: true, force: true });
    };
    let unlock: () => void;
    try {
      mkdirSync(path.join(dir, 's3'), { recursive: true });
      unlock = lockState(dir);
    } catch (error) {
      removeTemp();
      if (error instanceof StateInUse) throw new StateFolderError(error.message);
      throw new StateFolderError(`cannot use ${dir} as the state folder: ${(error as Error).message}`);
    }
    const registry = options.registry ?? loadRegistry();

    const dynamo = await startDynalite(
      TABLE,
      options.dir === null ? {} : { path: path.join(dir, 'dynamodb') },
    );
    const { db } = dynamo;
    const storage = await startS3rver(BUCKET, path.join(dir, 's3'));
    const { s3 } = storage;

    const logger = new Logger({ serviceName: 'report-pipeline-local', logLevel: 'SILENT' });
    const objects = new S3ObjectStore(s3);
    // One extraction per core (as Lambda runs several invocations of the extract queue); parse stays one
    // at a time, as each costs milliseconds.
    const extractor = new Extractor({ workers: poolSize() });
    const notifier = new LocalNotifier(options.dir === null ? null : path.join(dir, 'outbox.jsonl'));
    const exportHandler = createExportHandler({ objects, bucket: BUCKET, logger });
    // One consumer at a time here: a notice claim found on start belongs to a crashed earlier run.
    const noticeLeaseMs = 0;
    const reviews = new DynamoReviewStore(db, TABLE);
    const streamConsumers: ((records: DynamoDBRecord[]) => Promise<unknown>)[] = [
      (records) => exportHandler({ Records: records }),
    ];
    const records = new StreamingRecordStore(new DynamoRecordStore(db, TABLE), TABLE, async (batch) => {
      for (const consume of streamConsumers) await consume(batch);
    });
    // The parse step and the re-evaluation write records and send their notices alike.
    const recording = { records, notifier, registry, noticeLeaseMs, reviews, logger };
    const reevaluate = createReevaluateHandler(recording);
    streamConsumers.push((batch) => reevaluate({ Records: batch }));
    const router = new EventRouter(
      [
        {
          name: 'extract',
          prefix: INCOMING_PREFIX,
          handler: createExtractHandler({ objects, extractor, logger }),
          concurrency: extractor.workers,
        },
        {
          name: 'parse',
          prefix: EXTRACTED_PREFIX,
          handler: createParseHandler({ objects, ...recording }),
        },
      ],
      { settle: (object) => untilStored(s3, object) },
    );
    storage.onEvent((event) => router.accept(event as Parameters<EventRouter['accept']>[0]));

    return new LocalPipeline({
      router,
      notifier,
      s3,
      db,
      registry,
      stop: async () => {
        await router.idle();
        await extractor.close();
        await storage.stop();
        await dynamo.stop();
        unlock();
        removeTemp();
      },
    });
  }

  /**
   * Picks up what an earlier run left unfinished (it was killed, or the machine stopped): every object
   * under incoming/ whose version has no record goes through the pipeline again, from its stored
   * extraction when there is one. Resolves when all of it is done; returns how many were resumed.
   */
  async resume(): Promise<number> {
    const store = new DynamoRecordStore(this.db, TABLE);
    const reviews = new DynamoReviewStore(this.db, TABLE);
    const extracted = new Set((await listAll(this.s3, EXTRACTED_PREFIX)).map((o) => o.Key));
    let resumed = 0;
    for (const object of await listAll(this.s3, INCOMING_PREFIX)) {
      const key = object.Key ?? '';
      const upload = parseUploadKey(key);
      const versionId = object.ETag?.replace(/"/g, '') ?? null;
      if (upload === null || versionId === null) continue;
      const version = decodeItem(await store.item(uploadPk(key), versionSk(versionId)), ReportRecord.parse);
      const isCurrent = async () => (await store.current(key))?.upload?.versionId === versionId;
      if (version !== null) {
        // A current record whose notice was never marked sent (killed between the two) is routed
        // again: the repeated event sends it (parse step). Any other recorded version is done, as is
        // one whose every finding a reviewer dismissed meanwhile (nothing is left to announce).
        const unsent =
          version.notifiedRevision === null &&
          needsNotification(version.record, await dismissedFor(version.record, reviews));
        if (!unsent || !(await isCurrent())) continue;
      } else if (await isCurrent()) {
        // Identical bytes under a key already recorded write no version item of their own.
        continue;
      }
      // A write the crash cut short was never acknowledged: the object goes, its uploader puts it again.
      const whole = await this.#whole(key);
      if (whole === null) {
        await this.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
        continue;
      }
      const claimCheck = extractedKeyFor(upload.agencyId, key, versionId);
      const from = (extracted.has(claimCheck) && (await this.#whole(claimCheck))) || whole;
      this.router.accept({ Records: [createdRecord(from, object.LastModified)] });
      resumed++;
    }
    await this.router.idle();
    return resumed;
  }

  /**
   * The object's size and ETag when it was written whole; null when a kill cut its write: s3rver writes
   * the data, then the MD5 file, then the metadata, and answers the PUT after all three, so a cut write
   * shows as bytes that do not hash to the ETag, a missing metadata file (no content type), or bytes other
   * than the ones the uploader declared (`md5` metadata, set by upload()).
   */
  async #whole(key: string): Promise<{ key: string; size: number; eTag: string } | null> {
    const got = await this.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })).catch(() => null);
    if (got?.Body === undefined || got === null) return null;
    const bytes = await got.Body.transformToByteArray();
    const md5 = createHash('md5').update(bytes).digest('hex');
    const eTag = got.ETag?.replace(/"/g, '') ?? '';
    const declared = got.Metadata?.md5 ?? md5;
    if (md5 !== eTag || declared !== md5 || got.ContentType === undefined) return null;
    return { key, size: bytes.length, eTag };
  }

  /**
   * Uploads a file as the agency would, by its path relative to the agency's folder (kept in the key,
   * bounded by bytes: functions/pipeline/keys.ts), and waits until the pipeline has finished with it.
   */
  async upload(agencyId: string, relativePath: string, body: Uint8Array): Promise<string> {
    const key = uploadKeyFor(agencyId, relativePath);
    const md5 = createHash('md5').update(body).digest('hex');
    await this.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: body,
        ContentType: 'application/octet-stream',
        Metadata: { md5 },
      }),
    );
    await this.router.idle();
    return key;
  }

  /**
   * The record of these exact bytes at the key `upload` would use, when they are stored and recorded
   * already (the local version id is the content's MD5, the object's ETag); null otherwise.
   */
  async recorded(agencyId: string, relativePath: string, body: Uint8Array): Promise<ReportRecord | null> {
    const key = uploadKeyFor(agencyId, relativePath);
    const md5 = createHash('md5').update(body).digest('hex');
    const record = await this.record(key);
    return record?.upload?.versionId === md5 && record.parserVersion === PARSER_VERSION ? record : null;
  }

  /** The current record of an uploaded key, or null when the pipeline did not end in one. */
  record(key: string): Promise<ReportRecord | null> {
    return new DynamoRecordStore(this.db, TABLE).current(key);
  }

  /** Every stored current record, by key. */
  async list(): Promise<ReportRecord[]> {
    const found = await new DynamoRecordStore(this.db, TABLE).currentRecords();
    return found.sort((a, b) => (a.upload?.key ?? '').localeCompare(b.upload?.key ?? ''));
  }

  stop(): Promise<void> {
    return this.#stop();
  }
}

/** The state folder cannot be used (held by another run, not a folder, not writable): a user's error. */
export class StateFolderError extends Error {
  override name = 'StateFolderError';
}

async function listAll(s3: S3Client, prefix: string): Promise<_Object[]> {
  const found: _Object[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    found.push(...(out.Contents ?? []));
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token !== undefined);
  return found;
}

/** An ObjectCreated record as the in-process S3 emits it, for an object found in the bucket. */
function createdRecord(
  object: { key: string; size: number; eTag: string },
  at: Date | undefined,
): EmittedRecord {
  return {
    eventVersion: '2.0',
    eventSource: 'aws:s3',
    awsRegion: 'local',
    eventName: 'ObjectCreated:Put',
    eventTime: (at ?? new Date()).toISOString(),
    s3: { bucket: { name: BUCKET }, object: { key: object.key, size: object.size, eTag: object.eTag } },
  };
}

/**
 * s3rver announces a write before its bytes are on disk (it ends the file stream and moves on), so an
 * object read at once can come back short or empty. Before an event is routed, the object is asked for
 * until its size and ETag are the ones the event states (up to ~5 s; after that the extract step's own
 * check makes the read a retried transient failure, never the file's fault).
 */
export async function untilStored(
  s3: S3Client,
  object: { key: string; size?: number; eTag?: string },
): Promise<void> {
  const eTag = object.eTag?.replace(/"/g, '');
  for (let attempt = 0; attempt < 100; attempt++) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: object.key })).catch(() => null);
    if (
      head !== null &&
      (object.size === undefined || head.ContentLength === object.size) &&
      (eTag === undefined || head.ETag?.replace(/"/g, '') === eTag)
    ) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
