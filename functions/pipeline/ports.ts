import type { ReportRecord } from '../report/index.ts';
import type { Notification } from './notification.ts';

/**
 * What the pipeline's steps need from the outside world, each behind one small interface with one real
 * adapter (functions/adapters/) and, for the local run and tests, the same adapters against dynalite and
 * an in-process S3.
 */
export interface ObjectStore {
  /** The object's bytes, or null when it no longer exists. */
  get(bucket: string, key: string, versionId?: string | null): Promise<Uint8Array | null>;
  put(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}

export interface SaveResult {
  /** `duplicate`: this object version already has this record (an event delivered again). */
  outcome: 'created' | 'replaced' | 'duplicate';
  /** Whether this version is now the latest of its key (an older version's late event is not). */
  current: boolean;
  /** Whether supervisors were already told about this record. */
  notified: boolean;
}

export interface RecordStore {
  /** Stores the terminal record of one uploaded object version; see the adapter for the conditions. */
  save(record: ReportRecord): Promise<SaveResult>;
  markNotified(record: ReportRecord): Promise<void>;
  /** The latest record of an agency for a reporting year, or null. */
  latest(agencyId: string, year: number): Promise<ReportRecord | null>;
}

export type TopicRef = { kind: 'agency'; agencyId: string } | { kind: 'operators' };

export interface Notifier {
  publish(topic: TopicRef, notification: Notification): Promise<void>;
}
