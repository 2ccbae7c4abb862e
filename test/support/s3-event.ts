import { createHash } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * SQS messages wrapping S3 event notifications, in the wire shape AWS delivers: keys URL-encoded the way
 * S3 encodes them (spaces as +), sequencers as hex.
 */
export interface CreatedObject {
  bucket: string;
  key: string;
  versionId?: string;
  sequencer: string;
  eventTime?: string;
  size?: number;
  /** The MD5 of a single-part upload's bytes, or a multipart ETag (`…-N`); left out when not given. */
  eTag?: string;
}

export { encodeKey } from '../../local/event-router.ts';

import { encodeKey } from '../../local/event-router.ts';

/** The size and ETag S3 states in the event of a single-part upload of `body`. */
export function describeBytes(body: Uint8Array | string): { size: number; eTag: string } {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return { size: bytes.length, eTag: createHash('md5').update(bytes).digest('hex') };
}

export function s3EventBody(objects: readonly CreatedObject[]): string {
  return JSON.stringify({
    Records: objects.map((o) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'cn-north-1',
      eventTime: o.eventTime ?? '2024-01-20T02:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AIDAEXAMPLE' },
      requestParameters: { sourceIPAddress: '203.0.113.9' },
      responseElements: {
        'x-amz-request-id': 'C3D13FE58DE4C810',
        'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'incoming',
        bucket: {
          name: o.bucket,
          ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
          arn: `arn:aws-cn:s3:::${o.bucket}`,
        },
        object: {
          key: encodeKey(o.key),
          size: o.size ?? 1024,
          ...(o.eTag === undefined ? {} : { eTag: o.eTag }),
          ...(o.versionId === undefined ? {} : { versionId: o.versionId }),
          sequencer: o.sequencer,
        },
      },
    })),
  });
}

let counter = 0;
export function sqsRecord(body: string): SQSRecord {
  counter++;
  return {
    messageId: `059f36b4-87a3-44ab-83d2-${String(counter).padStart(12, '0')}`,
    receiptHandle: 'AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a',
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1705716000000',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1705716000001',
    },
    messageAttributes: {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws-cn:sqs:cn-north-1:123456789012:ExtractQueue',
    awsRegion: 'cn-north-1',
  };
}

export const sqsEvent = (...bodies: string[]): SQSEvent => ({ Records: bodies.map(sqsRecord) });
export const TEST_EVENT = JSON.stringify({
  Service: 'Amazon S3',
  Event: 's3:TestEvent',
  Time: '2024-01-20T02:00:00.000Z',
  Bucket: 'uploads',
  RequestId: '5582815E1AEA5ADF',
  HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
});
