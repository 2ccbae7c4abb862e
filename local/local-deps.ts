import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoRecordStore } from '../functions/adapters/dynamo-record-store.ts';
import { DynamoReminderLog } from '../functions/adapters/dynamo-reminder-log.ts';
import { DynamoReviewStore } from '../functions/adapters/dynamo-review-store.ts';
import { DynamoSubmissionReader } from '../functions/adapters/dynamo-submission-reader.ts';
import { DynamoSummarySource } from '../functions/adapters/dynamo-summary-source.ts';
import { S3ObjectStore } from '../functions/adapters/s3-object-store.ts';
import { S3PostSigner } from '../functions/adapters/s3-post-signer.ts';
import { S3UploadLister } from '../functions/adapters/s3-upload-lister.ts';
import { messageOf } from '../functions/extract/errors.ts';
import { loadRegistry, type Registry } from '../functions/pipeline/registry.ts';
import { startDynalite, startS3rver } from './emulators.ts';
import type { EmittedRecord } from './event-router.ts';
import { LocalBucket } from './local-bucket.ts';
import { LocalNotifier } from './local-notifier.ts';
import { LocalRobots, readWebhooksFile } from './local-robots.ts';
import { lockState, StateInUse } from './state-lock.ts';
import { StreamingRecordStore } from './streaming-store.ts';

/**
 * The local run's wiring: the one place that starts the local AWS APIs (dynalite for DynamoDB, s3rver
 * behind its gate for S3) in the state folder and builds every adapter on them. The pipeline's handlers
 * (local-pipeline.ts), the API server (serve.ts) and the CLI's modes are each handed what they use from
 * here; none of them opens a client of its own.
 */
export const BUCKET = 'report-uploads';
export const TABLE = 'reports';

/** What a consumer of the table's stream is handed: DynamoDB Streams records, in order. */
export type StreamConsumer = (records: DynamoDBRecord[]) => Promise<unknown>;

/** The adapters on the reports table. */
export interface LocalTable {
  /** Reads and writes records; on the full local run every write also feeds the table's stream. */
  records: DynamoRecordStore | StreamingRecordStore;
  reviews: DynamoReviewStore;
  submissions: DynamoSubmissionReader;
  reminderLog: DynamoReminderLog;
  /** The office 汇总's reads (GET /summary/{year}). */
  summaries: DynamoSummarySource;
}

export interface LocalDeps extends LocalTable {
  /** Every write through it feeds the table's stream (see `onStream`), as DynamoDB Streams would. */
  records: StreamingRecordStore;
  /** The same table, written past the local stream (what a test seeds the table with). */
  plainRecords: DynamoRecordStore;
  registry: Registry;
  /** The local run's own use of the bucket (uploads as an agency, resume, CORS for the page). */
  bucket: LocalBucket;
  /** The handlers' view of the bucket. */
  objects: S3ObjectStore;
  signer: S3PostSigner;
  uploads: S3UploadLister;
  /** SNS's stand-in: notices and reminders go to the outbox (`{dir}/outbox.jsonl`). */
  outbox: LocalNotifier;
  /** The group robots the outbox also posts to, when a webhooks file is given (local-robots.ts). */
  robots: LocalRobots | null;
  logger: Logger;
  /** Adds a consumer of the table's stream (dynalite has none: writes through `records` feed it). */
  onStream(consumer: StreamConsumer): void;
  /** The in-process S3's ObjectCreated events (raw keys). */
  onObjectCreated(listener: (event: { Records?: EmittedRecord[] }) => void): void;
  stop(): Promise<void>;
}

export interface LocalDepsOptions {
  /** Where state persists between runs; null keeps everything in memory (and a temporary folder). */
  dir: string | null;
  registry?: Registry;
  /** The robots' URLs and secrets (local-robots.ts); none: no robot is posted to. */
  webhooks?: string | null;
}

/** The state folder cannot be used (held by another run, not a folder, not writable): a user's error. */
export class StateFolderError extends Error {
  override readonly name = 'StateFolderError';
}

/** The table's adapters on one DynamoDB client. */
function tableAdapters(db: DynamoDBClient) {
  const records = new DynamoRecordStore(db, TABLE);
  const reviews = new DynamoReviewStore(db, TABLE);
  return {
    records,
    reviews,
    submissions: new DynamoSubmissionReader(db, TABLE),
    reminderLog: new DynamoReminderLog(db, TABLE),
    summaries: new DynamoSummarySource(db, TABLE, records, reviews),
  };
}

/**
 * The table kept in a state folder's `dynamodb/`, alone (no bucket), for the commands that read what
 * `report-pipeline local` stored (`status`, `review`). The folder's lock is held while it is open: a run
 * that holds it (`--serve`) owns the LevelDB, so the command is told so (a StateFolderError) instead of
 * dying on LevelDB's own lock with a stack trace (issue 22).
 */
export async function openLocalTable(tableDir: string): Promise<LocalTable & { stop: () => Promise<void> }> {
  let unlock: () => void;
  try {
    unlock = lockState(path.dirname(tableDir));
  } catch (error) {
    if (error instanceof StateInUse) throw new StateFolderError(error.message);
    throw error;
  }
  try {
    const dynamo = await startDynalite(TABLE, { path: tableDir });
    return {
      ...tableAdapters(dynamo.db),
      stop: async () => {
        await dynamo.stop();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * The bucket kept in a state folder's `s3/`, alone (no table, no lock), for the commands that read what
 * `report-pipeline local` stored (`stats` copies the dataset out of it).
 */
export async function openLocalBucket(
  s3Dir: string,
): Promise<{ bucket: LocalBucket; objects: S3ObjectStore; stop: () => Promise<void> }> {
  const storage = await startS3rver(BUCKET, s3Dir);
  return {
    bucket: new LocalBucket(storage.s3, BUCKET, storage.versions),
    objects: new S3ObjectStore(storage.s3),
    stop: storage.stop,
  };
}

/**
 * Starts the local AWS APIs in the state folder (locked against a second run) and builds the adapters.
 * With `dir: null` DynamoDB is kept in memory and S3 in a temporary folder that goes when the run ends.
 */
export async function startLocalDeps(options: LocalDepsOptions): Promise<LocalDeps> {
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
    throw new StateFolderError(`cannot use ${dir} as the state folder: ${messageOf(error)}`);
  }
  const registry = options.registry ?? loadRegistry();
  const logger = new Logger({ serviceName: 'report-pipeline-local', logLevel: 'SILENT' });
  let robots: LocalRobots | null;
  try {
    robots =
      options.webhooks == null
        ? null
        : new LocalRobots({
            registry,
            secrets: readWebhooksFile(options.webhooks),
            logger,
            deadLetterFile: options.dir === null ? null : path.join(dir, 'robots-dead-letter.jsonl'),
          });
  } catch (error) {
    unlock();
    removeTemp();
    throw error;
  }
  const dynamo = await startDynalite(TABLE, options.dir === null ? {} : { path: path.join(dir, 'dynamodb') });
  const storage = await startS3rver(BUCKET, path.join(dir, 's3'));
  const { s3 } = storage;

  const table = tableAdapters(dynamo.db);
  const consumers: StreamConsumer[] = [];
  const records = new StreamingRecordStore(table.records, TABLE, async (batch) => {
    for (const consume of consumers) await consume(batch);
  });
  return {
    ...table,
    records,
    plainRecords: table.records,
    registry,
    bucket: new LocalBucket(s3, BUCKET, storage.versions),
    objects: new S3ObjectStore(s3),
    signer: new S3PostSigner(s3, BUCKET),
    uploads: new S3UploadLister(s3, BUCKET),
    outbox: new LocalNotifier(options.dir === null ? null : path.join(dir, 'outbox.jsonl'), robots),
    robots,
    logger,
    onStream: (consumer) => consumers.push(consumer),
    onObjectCreated: (listener) => storage.onEvent(listener),
    stop: async () => {
      // Posts in flight finish (or are dead-lettered) before the state folder is let go.
      await robots?.idle();
      await storage.stop();
      await dynamo.stop();
      unlock();
      removeTemp();
    },
  };
}
