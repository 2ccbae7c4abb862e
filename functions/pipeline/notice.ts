import type { ReportRecord } from '../report/index.ts';
import { needsNotification, notificationFor } from './notification.ts';
import type { Notifier, RecordStore, TopicRef } from './ports.ts';
import { findAgency, type Registry } from './registry.ts';
import { decisionsFor, dismissedFingerprints } from './review.ts';
import type { ReviewStore } from './review-decision.ts';
import type { StoredRecord } from './table-layout.ts';

/** Where a record's message goes: the agency's topic, or the operators' for unknown agencies and our own faults. */
export function topicFor(record: ReportRecord, registry: Registry): TopicRef {
  const agency = findAgency(registry, record.agencyId);
  if (agency === null || record.failure?.code === 'INTERNAL_ERROR') return { kind: 'operators' };
  return { kind: 'agency', agencyId: agency.id };
}

export interface NoticeDeps {
  records: RecordStore;
  notifier: Notifier;
  registry: Registry;
  /**
   * How long a claim to send a notice holds before another attempt may take it over: at least the
   * function's timeout on AWS (a claim older than that belongs to an attempt that is dead); the local run,
   * one consumer at a time, passes 0 (any claim found belongs to an earlier, crashed run).
   */
  noticeLeaseMs: number;
  /** Reviewers' decisions: a dismissed finding is not announced again. */
  reviews: Pick<ReviewStore, 'decisions'>;
}

/** The fingerprints of the record's agency-year whose latest decision is DISMISSED. */
export async function dismissedFor(
  record: ReportRecord,
  reviews: NoticeDeps['reviews'],
): Promise<Set<string>> {
  return dismissedFingerprints(await decisionsFor(record, reviews));
}

export class NoticeBusy extends Error {
  override name = 'NoticeBusy';
}

/**
 * Sends the notice of one stored record revision, rendered from the stored record: claim (a conditional
 * write of the intent), publish, mark sent. A crash after SNS accepted the message and before the mark
 * makes the next attempt find the stale claim and send again: it is flagged `possibleDuplicate` and carries
 * the same `noticeId`, so subscribers can drop it. Throws NoticeBusy while another attempt holds the claim.
 * Findings a reviewer dismissed are left out; when nothing is left to announce, nothing is sent.
 */
export async function sendNotice(stored: StoredRecord, deps: NoticeDeps): Promise<TopicRef | null> {
  const dismissed = await dismissedFor(stored.record, deps.reviews);
  if (!needsNotification(stored.record, dismissed)) return null;
  const claim = await deps.records.claimNotice(stored, deps.noticeLeaseMs);
  if (claim === 'sent') return null;
  if (claim === 'busy') throw new NoticeBusy('another attempt is sending this notice');
  const topic = topicFor(stored.record, deps.registry);
  await deps.notifier.publish(
    topic,
    notificationFor(stored, { possibleDuplicate: claim === 'reclaimed', dismissed }),
  );
  await deps.records.markNotified(stored);
  return topic;
}
