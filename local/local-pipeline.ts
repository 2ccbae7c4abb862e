import { createHash } from 'node:crypto';
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
import { uploadPk, versionSk } from '../functions/pipeline/table-layout.ts';
import { PARSER_VERSION, ReportRecord } from '../functions/report/index.ts';
import { decodeItem } from '../functions/stream/items.ts';
import { type EmittedRecord, EventRouter } from './event-router.ts';
import type { BucketObject } from './local-bucket.ts';
import { type LocalDeps, type LocalDepsOptions, startLocalDeps } from './local-deps.ts';

/**
 * The whole pipeline in one process, on the local adapters (local-deps.ts): the event router stands in
 * for S3 → SQS → Lambda, and the table's stream feeds the export and re-evaluation handlers. The handlers
 * are the ones the Lambdas run.
 */
export class LocalPipeline {
  readonly router: EventRouter;
  /** The adapters it runs on: what the tests look at behind it. */
  readonly deps: LocalDeps;
  readonly #extractor: Extractor;
  readonly #ownsDeps: boolean;

  /** The pipeline on adapters the caller started (and stops after the pipeline, unless `ownsDeps`). */
  constructor(deps: LocalDeps, options: { ownsDeps?: boolean } = {}) {
    this.deps = deps;
    this.#ownsDeps = options.ownsDeps ?? false;
    const { objects, bucket, logger } = deps;
    // One extraction per core (as Lambda runs several invocations of the extract queue); parse stays one
    // at a time, as each costs milliseconds.
    this.#extractor = new Extractor({ workers: poolSize() });
    // One consumer at a time here: a notice claim found on start belongs to a crashed earlier run.
    const noticeLeaseMs = 0;
    // The parse step and the re-evaluation write records and send their notices alike.
    const recording = {
      records: deps.records,
      notifier: deps.outbox,
      registry: deps.registry,
      noticeLeaseMs,
      reviews: deps.reviews,
      logger,
    };
    const exportHandler = createExportHandler({
      objects,
      bucket: bucket.name,
      logger,
      registry: deps.registry,
    });
    const reevaluate = createReevaluateHandler(recording);
    deps.onStream((records) => exportHandler({ Records: records }));
    deps.onStream((records) => reevaluate({ Records: records }));
    this.router = new EventRouter(
      [
        {
          name: 'extract',
          prefix: INCOMING_PREFIX,
          handler: createExtractHandler({ objects, extractor: this.#extractor, logger }),
          concurrency: this.#extractor.workers,
        },
        {
          name: 'parse',
          prefix: EXTRACTED_PREFIX,
          handler: createParseHandler({ objects, ...recording }),
        },
      ],
      { settle: (object) => bucket.untilStored(object) },
    );
    deps.onObjectCreated((event) => this.router.accept(event));
  }

  /** The adapters (local-deps.ts) and the pipeline on them, started together and stopped together. */
  static async start(options: LocalDepsOptions): Promise<LocalPipeline> {
    return new LocalPipeline(await startLocalDeps(options), { ownsDeps: true });
  }

  /**
   * Picks up what an earlier run left unfinished (it was killed, or the machine stopped): every object
   * under incoming/ whose version has no record goes through the pipeline again, from its stored
   * extraction when there is one. Resolves when all of it is done; returns how many were resumed.
   */
  async resume(): Promise<number> {
    const { records, reviews, bucket } = this.deps;
    const extracted = new Set((await bucket.list(EXTRACTED_PREFIX)).map((o) => o.key));
    let resumed = 0;
    for (const object of await bucket.list(INCOMING_PREFIX)) {
      const { key } = object;
      const upload = parseUploadKey(key);
      const versionId = object.eTag === '' ? null : object.eTag;
      if (upload === null || versionId === null) continue;
      const version = decodeItem(await records.item(uploadPk(key), versionSk(versionId)), ReportRecord.parse);
      const isCurrent = async () => (await records.current(key))?.upload?.versionId === versionId;
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
      const whole = await bucket.whole(key);
      if (whole === null) {
        await bucket.delete(key);
        continue;
      }
      const claimCheck = extractedKeyFor(upload.agencyId, key, versionId);
      const from = (extracted.has(claimCheck) && (await bucket.whole(claimCheck))) || whole;
      this.router.accept({ Records: [createdRecord(bucket.name, from, object.lastModified)] });
      resumed++;
    }
    await this.router.idle();
    return resumed;
  }

  /**
   * Uploads a file as the agency would, by its path relative to the agency's folder (kept in the key,
   * bounded by bytes: functions/pipeline/keys.ts), and waits until the pipeline has finished with it.
   */
  async upload(agencyId: string, relativePath: string, body: Uint8Array): Promise<string> {
    const key = uploadKeyFor(agencyId, relativePath);
    await this.#put(key, body);
    return key;
  }

  async #put(key: string, body: Uint8Array): Promise<void> {
    await this.deps.bucket.put(key, body);
    await this.router.idle();
  }

  /**
   * Uploads a file as `upload` does, unless these exact bytes are stored and recorded at its key already
   * (the local version id is the content's MD5, the object's ETag): identical bytes change nothing, so
   * their record is the answer. The key and its current record (null when the pipeline did not end in one).
   */
  async uploadOnce(
    agencyId: string,
    relativePath: string,
    body: Uint8Array,
  ): Promise<{ key: string; record: ReportRecord | null }> {
    const key = uploadKeyFor(agencyId, relativePath);
    const md5 = createHash('md5').update(body).digest('hex');
    const done = await this.record(key);
    if (done?.upload?.versionId === md5 && done.parserVersion === PARSER_VERSION)
      return { key, record: done };
    await this.#put(key, body);
    return { key, record: await this.record(key) };
  }

  /** The current record of an uploaded key, or null when the pipeline did not end in one. */
  record(key: string): Promise<ReportRecord | null> {
    return this.deps.records.current(key);
  }

  /** Every stored current record, by key. */
  async list(): Promise<ReportRecord[]> {
    const found = await this.deps.records.currentRecords();
    return found.sort((a, b) => (a.upload?.key ?? '').localeCompare(b.upload?.key ?? ''));
  }

  /** Waits for what is in flight, then stops the extractor (and the adapters, when it started them). */
  async stop(): Promise<void> {
    await this.router.idle();
    await this.#extractor.close();
    if (this.#ownsDeps) await this.deps.stop();
  }
}

/** An ObjectCreated record as the in-process S3 emits it, for an object found in the bucket. */
function createdRecord(bucket: string, object: BucketObject, at: Date | undefined): EmittedRecord {
  return {
    eventVersion: '2.0',
    eventSource: 'aws:s3',
    awsRegion: 'local',
    eventName: 'ObjectCreated:Put',
    eventTime: (at ?? new Date()).toISOString(),
    s3: { bucket: { name: bucket }, object: { key: object.key, size: object.size, eTag: object.eTag } },
  };
}
