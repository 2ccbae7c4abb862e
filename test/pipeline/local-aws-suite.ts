import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { DynamoRecordStore } from '../../functions/adapters/dynamo-record-store.ts';
import { DynamoReviewStore } from '../../functions/adapters/dynamo-review-store.ts';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { Extractor } from '../../functions/extract/index.ts';
import { startDynalite, startS3 } from '../support/local-aws.ts';
import { type CreatedObject, describeBytes } from '../support/s3-event.ts';

/** SNS has no emulator: its client is mocked, and each test starts with no message published. */
const sns = mockClient(SNSClient);

export interface LocalAws {
  dynamo: Awaited<ReturnType<typeof startDynalite>>;
  s3: Awaited<ReturnType<typeof startS3>>;
  extractor: Extractor;
  objects: S3ObjectStore;
  records: DynamoRecordStore;
  reviews: DynamoReviewStore;
  sns: typeof sns;
}

/** dynalite, s3rver and the real extractor for the suite of the calling test file, stopped after it. */
export function useLocalAws(): LocalAws {
  const aws = { sns } as LocalAws;
  beforeAll(async () => {
    aws.dynamo = await startDynalite();
    aws.s3 = await startS3();
    aws.extractor = new Extractor();
    aws.objects = new S3ObjectStore(aws.s3.s3);
    aws.records = new DynamoRecordStore(aws.dynamo.db, aws.dynamo.tableName);
    aws.reviews = new DynamoReviewStore(aws.dynamo.db, aws.dynamo.tableName);
  });
  afterAll(async () => {
    await aws.extractor.close();
    await aws.dynamo.stop();
    await aws.s3.stop();
  });
  beforeEach(() => {
    aws.sns.reset();
    aws.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });
  return aws;
}

let sequence = 0x100;
/** Puts `body` at `key` in the suite's bucket; returns the object as its S3 event describes it (sequencers ascending). */
export async function upload(
  aws: LocalAws,
  key: string,
  body: Uint8Array | string,
  options: Partial<CreatedObject> = {},
): Promise<CreatedObject> {
  await aws.s3.s3.send(new PutObjectCommand({ Bucket: aws.s3.bucket, Key: key, Body: body }));
  sequence += 0x10;
  return {
    bucket: aws.s3.bucket,
    key,
    sequencer: sequence.toString(16).toUpperCase(),
    ...describeBytes(body),
    ...options,
  };
}
