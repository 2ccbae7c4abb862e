import type { DynamoDBRecord } from 'aws-lambda';
import type { DynamoRecordStore } from '../functions/adapters/dynamo-record-store.ts';
import type { NoticeClaim, RecordStore, SaveResult } from '../functions/pipeline/ports.ts';
import {
  CURRENT_SK,
  keysOf,
  type Reevaluation,
  type StoredRecord,
} from '../functions/pipeline/table-layout.ts';
import type { ReportRecord } from '../functions/report/index.ts';

/**
 * dynalite has no streams. This wraps the real store and, after each write, reads the items it touched
 * and hands the stream consumers what DynamoDB Streams (NEW_AND_OLD_IMAGES) would: INSERT or MODIFY
 * records with both images, in order.
 */
export class StreamingRecordStore implements RecordStore {
  readonly #inner: DynamoRecordStore;
  readonly #table: string;
  readonly #emit: (records: DynamoDBRecord[]) => Promise<void>;
  #sequence = 0;

  constructor(inner: DynamoRecordStore, table: string, emit: (records: DynamoDBRecord[]) => Promise<void>) {
    this.#inner = inner;
    this.#table = table;
    this.#emit = emit;
  }

  async save(record: ReportRecord): Promise<SaveResult> {
    return this.#tracked(record, [keysOf(record).versionSk, CURRENT_SK], () => this.#inner.save(record));
  }

  revise(stored: StoredRecord, revised: ReportRecord, because: Reevaluation): Promise<StoredRecord | null> {
    return this.#tracked(stored.record, [keysOf(stored.record).versionSk, CURRENT_SK], () =>
      this.#inner.revise(stored, revised, because),
    );
  }

  claimNotice(stored: StoredRecord, leaseMs: number): Promise<NoticeClaim> {
    return this.#tracked(stored.record, [keysOf(stored.record).versionSk], () =>
      this.#inner.claimNotice(stored, leaseMs),
    );
  }

  async markNotified(stored: StoredRecord): Promise<void> {
    await this.#tracked(stored.record, [keysOf(stored.record).versionSk], () =>
      this.#inner.markNotified(stored),
    );
  }

  latest(agencyId: string, year: number): Promise<StoredRecord | null> {
    return this.#inner.latest(agencyId, year);
  }

  /** Reads go straight to the table: they change nothing a stream would carry. */
  current(key: string): Promise<ReportRecord | null> {
    return this.#inner.current(key);
  }

  currentRecords(): Promise<ReportRecord[]> {
    return this.#inner.currentRecords();
  }

  versions(): Promise<StoredRecord[]> {
    return this.#inner.versions();
  }

  item(pk: string, sk: string): ReturnType<DynamoRecordStore['item']> {
    return this.#inner.item(pk, sk);
  }

  async #tracked<T>(record: ReportRecord, sks: string[], write: () => Promise<T>): Promise<T> {
    const { pk } = keysOf(record);
    const before = await Promise.all(sks.map((sk) => this.#inner.item(pk, sk)));
    const result = await write();
    const after = await Promise.all(sks.map((sk) => this.#inner.item(pk, sk)));
    const records: DynamoDBRecord[] = [];
    sks.forEach((sk, i) => {
      const oldImage = before[i];
      const newImage = after[i];
      if (newImage === undefined || JSON.stringify(oldImage) === JSON.stringify(newImage)) return;
      this.#sequence++;
      records.push({
        eventID: `local-${Date.now()}-${this.#sequence}`,
        eventName: oldImage === undefined ? 'INSERT' : 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'local',
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
          Keys: { pk: { S: pk }, sk: { S: sk } },
          NewImage: newImage as never,
          ...(oldImage === undefined ? {} : { OldImage: oldImage as never }),
          SequenceNumber: String(Date.now() * 1000 + (this.#sequence % 1000)).padStart(21, '0'),
          SizeBytes: JSON.stringify(newImage).length,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        eventSourceARN: `arn:aws:dynamodb:local:000000000000:table/${this.#table}/stream/local`,
      });
    });
    if (records.length > 0) await this.#emit(records);
    return result;
  }
}
