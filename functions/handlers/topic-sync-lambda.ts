import { SNSClient } from '@aws-sdk/client-sns';
import registryJson from '#registry' with { type: 'json' };
import { SnsTopicAdmin } from '../adapters/sns-topics.ts';
import { loadConfig, TopicSyncConfig } from '../config.ts';
import { parseRegistry } from '../pipeline/registry.ts';
import { topicNaming } from '../pipeline/topic-sync.ts';
import { lambdaInstruments } from './observability.ts';
import { createTopicSyncHandler } from './topic-sync-handler.ts';

/** Lambda entry of the registry topics' custom resource. */
const config = loadConfig(TopicSyncConfig);
// Standard retries with more attempts: the listing and the tagging calls are throttled at a few per second.
const sns = new SNSClient({ region: config.AWS_REGION, maxAttempts: 10 });
export const handler = createTopicSyncHandler({
  admin: new SnsTopicAdmin(sns, config.TOPIC_ARN_PREFIX),
  registry: parseRegistry(registryJson),
  naming: topicNaming(
    config.STACK_NAME,
    config.TOPIC_ARN_PREFIX,
    config.TOPIC_KEY_ARN,
    config.WEBHOOK_QUEUE_ARN,
  ),
  removed: config.REMOVED_TOPICS,
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
});
