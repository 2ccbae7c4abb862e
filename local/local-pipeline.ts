import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord } from 'aws-lambda';
import { DynamoRecordStore } from '../functions/adapters/dynamo-record-store.ts';
import { S3ObjectStore } from '../functions/adapters/s3-object-store.ts';
import { Extractor } from '../functions/extract/index.ts';
import { createExportHandler } from '../functions/handlers/export-handler.ts';
import { createExtractHandler } from '../functions/handlers/extract-handler.ts';
import { createParseHandler } from '../functions/handlers/parse-handler.ts';
import { createReevaluateHandler } from '../functions/handlers/reevaluate-handler.ts';
import { EXTRACTED_PREFIX, INCOMING_PREFIX } from '../functions/pipeline/keys.ts';
import { loadRegistry, type Registry } from '../functions/pipeline/registry.ts';
import type { ReportRecord } from '../functions/report/index.ts';
import { startDynalite, startS3rver } from './emulators.ts';
import { EventRouter } from './event-router.ts';
import { LocalNotifier } from './local-notifier.ts';
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
    mkdirSync(path.join(dir, 's3'), { recursive: true });
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
    const extractor = new Extractor();
    const notifier = new LocalNotifier(options.dir === null ? null : path.join(dir, 'outbox.jsonl'));
    const exportHandler = createExportHandler({ objects, bucket: BUCKET, logger });
    // One consumer at a time here: a notice claim found on start belongs to a crashed earlier run.
    const noticeLeaseMs = 0;
    const streamConsumers: ((records: DynamoDBRecord[]) => Promise<unknown>)[] = [
      (records) => exportHandler({ Records: records }),
    ];
    const records = new StreamingRecordStore(new DynamoRecordStore(db, TABLE), TABLE, async (batch) => {
      for (const consume of streamConsumers) await consume(batch);
    });
    const reevaluate = createReevaluateHandler({ records, notifier, registry, noticeLeaseMs, logger });
    streamConsumers.push((batch) => reevaluate({ Records: batch }));
    const router = new EventRouter([
      {
        name: 'extract',
        prefix: INCOMING_PREFIX,
        handler: createExtractHandler({ objects, extractor, logger }),
      },
      {
        name: 'parse',
        prefix: EXTRACTED_PREFIX,
        handler: createParseHandler({ objects, records, notifier, registry, noticeLeaseMs, logger }),
      },
    ]);
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
      },
    });
  }

  /** Uploads a file as the agency would, and waits until the pipeline has finished with it. */
  async upload(agencyId: string, fileName: string, body: Uint8Array): Promise<string> {
    const key = `${INCOMING_PREFIX}${agencyId}/${fileName}`;
    await this.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    await this.router.idle();
    return key;
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
