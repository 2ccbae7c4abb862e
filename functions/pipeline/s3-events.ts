import { z } from 'zod';
import { padSequencer } from './keys.ts';

/**
 * S3 event notifications as they arrive in an SQS message body (the wire shape AWS documents), and the
 * references the steps work on. Keys in events are URL-encoded (`+` for a space); here they are decoded.
 */
const S3EventRecord = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  eventTime: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().int().min(0).optional(),
      eTag: z.string().optional(),
      versionId: z.string().optional(),
      sequencer: z.string(),
    }),
  }),
});
const S3EventNotification = z.object({ Records: z.array(S3EventRecord) });
const S3TestEvent = z.object({ Event: z.literal('s3:TestEvent') });

export interface ObjectRef {
  bucket: string;
  /** The decoded key. */
  key: string;
  versionId: string | null;
  sequencer: string;
  eventTime: string;
  size: number;
  /** The object's ETag as the event states it (quotes removed), null when the event carries none. */
  eTag: string | null;
}

export class MalformedMessage extends Error {
  override name = 'MalformedMessage';
}

export function decodeKey(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, ' '));
}

/**
 * The objects created according to one SQS message body. The s3:TestEvent S3 sends when a notification
 * is set up yields nothing; a body that is no S3 event throws MalformedMessage (it can never succeed, so
 * the caller records it and does not retry).
 */
export function objectsCreated(body: string): ObjectRef[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedMessage('message body is not JSON');
  }
  if (S3TestEvent.safeParse(json).success) return [];
  const parsed = S3EventNotification.safeParse(json);
  if (!parsed.success) throw new MalformedMessage(`not an S3 event notification: ${parsed.error.message}`);
  return parsed.data.Records.filter((r) => r.eventName.startsWith('ObjectCreated:')).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeKey(r.s3.object.key),
    versionId: r.s3.object.versionId ?? null,
    sequencer: padSequencer(r.s3.object.sequencer),
    eventTime: r.eventTime,
    size: r.s3.object.size ?? 0,
    eTag: r.s3.object.eTag?.replace(/"/g, '') ?? null,
  }));
}
