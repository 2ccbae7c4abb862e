import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import registryJson from '#registry' with { type: 'json' };
import { SecretsManagerWebhooks } from '../adapters/secrets-manager-webhooks.ts';
import { loadConfig, WebhookConfig } from '../config.ts';
import { parseRegistry } from '../pipeline/registry.ts';
import { lambdaInstruments } from './observability.ts';
import { createWebhookHandler } from './webhook-handler.ts';

/** Lambda entry of the group-robot notices (SQS, subscribed to the topics of owners with a webhook). */
const config = loadConfig(WebhookConfig);
export const handler = createWebhookHandler({
  registry: parseRegistry(registryJson),
  secrets: new SecretsManagerWebhooks(
    new SecretsManagerClient({ region: config.AWS_REGION }),
    config.WEBHOOK_SECRET_PREFIX,
  ),
  prefixes: { agency: config.AGENCY_TOPIC_ARN_PREFIX, office: config.OFFICE_TOPIC_ARN_PREFIX },
  timeoutMs: config.WEBHOOK_TIMEOUT_MS,
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
});
