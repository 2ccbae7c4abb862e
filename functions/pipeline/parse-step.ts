import {
  checkDocument,
  failedRecord,
  type HashedSource,
  type ReportRecord,
  withIssues,
} from '../report/index.ts';
import { crossYearIssues } from './cross-year.ts';
import { latenessIssues } from './deadline.ts';
import { declaredYearIssues, declaredYearOfKey } from './declared-year.ts';
import { ExtractionEnvelope } from './envelope.ts';
import { type NoticeDeps, sendNotice } from './notice.ts';
import { needsNotification } from './notification.ts';
import { overParseBudget } from './parse-budget.ts';
import type { ObjectStore, SaveResult, TopicRef } from './ports.ts';
import { findAgency } from './registry.ts';
import type { ObjectRef } from './s3-events.ts';

export { topicFor } from './notice.ts';

export type ParseOutcome =
  | {
      kind: 'recorded';
      /** The record as stored (for a duplicate or unchanged upload: the one stored earlier). */
      record: ReportRecord;
      saved: SaveResult['outcome'];
      notified: TopicRef | null;
    }
  | { kind: 'skipped'; reason: string };

export interface ParseDeps extends NoticeDeps {
  objects: ObjectStore;
}

/**
 * The record for a stored extraction, with the year declared at upload compared with the report's, and the
 * cross-year checks the store makes possible.
 */
export async function recordFor(envelope: ExtractionEnvelope, deps: Pick<ParseDeps, 'records' | 'registry'>) {
  const source: HashedSource = {
    file: envelope.upload.key,
    digest: { sha256: envelope.sha256, size: envelope.bytes },
    agencyId: envelope.agencyId,
    upload: envelope.upload,
  };
  if (!envelope.result.ok) return failedRecord(source, envelope.result.code, envelope.result.message);
  const over = overParseBudget(envelope.result.document);
  if (over !== null) return failedRecord(source, 'FILE_TOO_LARGE', over);
  const checked = checkDocument(source, envelope.result.document);
  const record = withIssues(checked, declaredYearIssues(checked, declaredYearOfKey(envelope.upload.key)));
  if (record.year === null) return record;
  const previous = await deps.records.latest(envelope.agencyId, record.year - 1);
  const agency = findAgency(deps.registry, envelope.agencyId);
  return withIssues(record, [
    ...crossYearIssues(record, previous?.record ?? null),
    ...latenessIssues(record, agency),
  ]);
}

/**
 * Step two: a stored extraction → the terminal record in the store → a message to the agency's
 * supervisors when the report failed. The message is rendered from the record as stored, never from the
 * one recomputed by this delivery: a repeated event keeps the stored record and sends no second message,
 * yet a message that failed to go out last time is sent now. Throws only on transient failures (the
 * message is retried, then dead-lettered).
 */
export async function parseExtraction(ref: ObjectRef, deps: ParseDeps): Promise<ParseOutcome> {
  const bytes = await deps.objects.get(ref.bucket, ref.key, ref.versionId);
  if (bytes === null) return { kind: 'skipped', reason: `extraction gone: ${ref.key}` };
  const envelope = ExtractionEnvelope.parse(JSON.parse(new TextDecoder().decode(bytes)));
  const saved = await deps.records.save(await recordFor(envelope, deps));
  const { stored } = saved;
  let notified: TopicRef | null = null;
  if (
    saved.outcome !== 'unchanged' &&
    saved.current &&
    needsNotification(stored.record) &&
    stored.notifiedRevision === null
  ) {
    notified = await sendNotice(stored, deps);
  }
  return { kind: 'recorded', record: stored.record, saved: saved.outcome, notified };
}
