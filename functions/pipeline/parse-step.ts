import type { ExtractedDocument } from '../extract/index.ts';
import {
  checkDocument,
  failedRecord,
  type ReportRecord,
  type SourceFile,
  withIssues,
} from '../report/index.ts';
import { crossYearIssues, latenessIssues } from './cross-year.ts';
import { ExtractionEnvelope } from './envelope.ts';
import { needsNotification, notificationFor } from './notification.ts';
import type { Notifier, ObjectStore, RecordStore, TopicRef } from './ports.ts';
import { findAgency, type Registry } from './registry.ts';
import type { ObjectRef } from './s3-events.ts';

export type ParseOutcome =
  | {
      kind: 'recorded';
      record: ReportRecord;
      saved: 'created' | 'replaced' | 'duplicate';
      notified: TopicRef | null;
    }
  | { kind: 'skipped'; reason: string };

export interface ParseDeps {
  objects: ObjectStore;
  records: RecordStore;
  notifier: Notifier;
  registry: Registry;
}

/** Where a record's message goes: the agency's topic, or the operators' for unknown agencies and our own faults. */
export function topicFor(record: ReportRecord, registry: Registry): TopicRef {
  const agency = findAgency(registry, record.agencyId);
  if (agency === null || record.failure?.code === 'INTERNAL_ERROR') return { kind: 'operators' };
  return { kind: 'agency', agencyId: agency.id };
}

/** The record for a stored extraction, with the cross-year checks the store makes possible. */
export async function recordFor(envelope: ExtractionEnvelope, deps: Pick<ParseDeps, 'records' | 'registry'>) {
  const source: SourceFile = {
    file: envelope.upload.key,
    bytes: new Uint8Array(),
    digest: { sha256: envelope.sha256, size: envelope.bytes },
    agencyId: envelope.agencyId,
    upload: envelope.upload,
  };
  if (!envelope.result.ok) return failedRecord(source, envelope.result.code, envelope.result.message);
  // The envelope's schema checks the document's shape; the cast only names its type.
  const record = checkDocument(source, envelope.result.document as ExtractedDocument);
  if (record.year === null) return record;
  const previous = await deps.records.latest(envelope.agencyId, record.year - 1);
  const agency = findAgency(deps.registry, envelope.agencyId);
  return withIssues(record, [...crossYearIssues(record, previous), ...latenessIssues(record, agency)]);
}

/**
 * Step two: a stored extraction → the terminal record in the store → a message to the agency's
 * supervisors when the report failed. Idempotent: the same event again stores nothing new and sends no
 * second message, yet a message that failed to go out last time is sent now. Throws only on transient
 * failures (the message is retried, then dead-lettered).
 */
export async function parseExtraction(ref: ObjectRef, deps: ParseDeps): Promise<ParseOutcome> {
  const bytes = await deps.objects.get(ref.bucket, ref.key, ref.versionId);
  if (bytes === null) return { kind: 'skipped', reason: `extraction gone: ${ref.key}` };
  const envelope = ExtractionEnvelope.parse(JSON.parse(new TextDecoder().decode(bytes)));
  const record = await recordFor(envelope, deps);
  const saved = await deps.records.save(record);
  let notified: TopicRef | null = null;
  if (needsNotification(record) && saved.current && !saved.notified) {
    notified = topicFor(record, deps.registry);
    await deps.notifier.publish(notified, notificationFor(record));
    await deps.records.markNotified(record);
  }
  return { kind: 'recorded', record, saved: saved.outcome, notified };
}
