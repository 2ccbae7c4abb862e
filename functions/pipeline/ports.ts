import type { ReportRecord } from '../report/index.ts';
import type { Notification } from './notification.ts';
import type { Reevaluation, StoredRecord } from './table-layout.ts';

/**
 * What the pipeline's steps need from the outside world, each behind one small interface with one real
 * adapter (functions/adapters/) and, for the local run and tests, the same adapters against dynalite and
 * an in-process S3.
 */
export interface ObjectStore {
  /** The object's bytes, or null when it no longer exists. */
  get(bucket: string, key: string, versionId?: string | null): Promise<Uint8Array | null>;
  put(bucket: string, key: string, body: string | Uint8Array, contentType: string): Promise<void>;
}

export interface SaveResult {
  /**
   * `duplicate`: this object version already has a record from this parser (an event delivered again);
   * `unchanged`: the key's current record was made from identical bytes (same SHA-256) by this parser, so
   * the new object version changes nothing: no item is written and `stored` is the current record.
   */
  outcome: 'created' | 'replaced' | 'duplicate' | 'unchanged';
  /** Whether this version is now the latest of its key (an older version's late event is not). */
  current: boolean;
  /** The record as it is stored now, with its revision: what any message about it is rendered from. */
  stored: StoredRecord;
}

/** The outcome of claiming the right to send a record revision's notice (the intent written first). */
export type NoticeClaim =
  /** Nobody tried before: send. */
  | 'claimed'
  /** An earlier attempt claimed it and never marked it sent (it crashed or failed): send, maybe twice. */
  | 'reclaimed'
  /** Already sent: do nothing. */
  | 'sent'
  /** Another attempt holds a fresh claim: retry later. */
  | 'busy';

export interface RecordStore {
  /** Stores the terminal record of one uploaded object version; see the adapter for the conditions. */
  save(record: ReportRecord): Promise<SaveResult>;
  /**
   * Stores a re-evaluated record as the next revision of `stored`'s version item (and of the key's current
   * item when it points at that version). Null when the item changed meanwhile (the caller retries).
   */
  revise(stored: StoredRecord, revised: ReportRecord, because: Reevaluation): Promise<StoredRecord | null>;
  /** Writes the intent to send a revision's notice; a claim older than `leaseMs` is taken as abandoned. */
  claimNotice(stored: StoredRecord, leaseMs: number): Promise<NoticeClaim>;
  markNotified(stored: StoredRecord): Promise<void>;
  /** The latest stored record of an agency for a reporting year, or null. */
  latest(agencyId: string, year: number): Promise<StoredRecord | null>;
}

export type TopicRef = { kind: 'agency'; agencyId: string } | { kind: 'operators' };

export interface Notifier {
  publish(topic: TopicRef, notification: Notification): Promise<void>;
}
