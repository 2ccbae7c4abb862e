import registryJson from '#registry' with { type: 'json' };
import { dynamoClient, snsClient } from '../adapters/clients.ts';
import { DynamoRecordStore } from '../adapters/dynamo-record-store.ts';
import { DynamoReviewStore } from '../adapters/dynamo-review-store.ts';
import { SnsNotifier } from '../adapters/sns-notifier.ts';
import { loadConfig, ReevaluateConfig } from '../config.ts';
import { parseRegistry } from '../pipeline/registry.ts';
import { lambdaInstruments } from './observability.ts';
import { createReevaluateHandler } from './reevaluate-handler.ts';

/** Lambda entry of the re-evaluation stream consumer. */
const config = loadConfig(ReevaluateConfig);
export const handler = createReevaluateHandler({
  records: new DynamoRecordStore(dynamoClient(config), config.TABLE_NAME),
  notifier: new SnsNotifier(snsClient(config), {
    agencyTopicArnPrefix: config.AGENCY_TOPIC_ARN_PREFIX,
    operatorsTopicArn: config.OPERATORS_TOPIC_ARN,
  }),
  registry: parseRegistry(registryJson),
  noticeLeaseMs: config.NOTICE_LEASE_MS,
  reviews: new DynamoReviewStore(dynamoClient(config), config.TABLE_NAME),
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
});
