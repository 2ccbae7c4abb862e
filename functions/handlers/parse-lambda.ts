import { dynamoClient, s3Client, snsClient } from '../adapters/clients.ts';
import { DynamoRecordStore } from '../adapters/dynamo-record-store.ts';
import { DynamoReviewStore } from '../adapters/dynamo-review-store.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { SnsNotifier } from '../adapters/sns-notifier.ts';
import { loadConfig, ParseConfig } from '../config.ts';
import { loadRegistry } from '../pipeline/registry.ts';
import { lambdaInstruments } from './observability.ts';
import { createParseHandler } from './parse-handler.ts';

/** Lambda entry: configuration and the agency registry (bundled from config/agencies.json) checked at start-up. */
const config = loadConfig(ParseConfig);
export const handler = createParseHandler({
  objects: new S3ObjectStore(s3Client(config)),
  records: new DynamoRecordStore(dynamoClient(config), config.TABLE_NAME),
  notifier: new SnsNotifier(snsClient(config), {
    agencyTopicArnPrefix: config.AGENCY_TOPIC_ARN_PREFIX,
    operatorsTopicArn: config.OPERATORS_TOPIC_ARN,
  }),
  registry: loadRegistry(),
  noticeLeaseMs: config.NOTICE_LEASE_MS,
  reviews: new DynamoReviewStore(dynamoClient(config), config.TABLE_NAME),
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
});
