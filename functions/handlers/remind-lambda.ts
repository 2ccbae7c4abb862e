import registryJson from '#registry' with { type: 'json' };
import { dynamoClient, snsClient } from '../adapters/clients.ts';
import { DynamoRecordStore } from '../adapters/dynamo-record-store.ts';
import { DynamoReminderLog } from '../adapters/dynamo-reminder-log.ts';
import { SnsReminderSender } from '../adapters/sns-reminder-sender.ts';
import { loadConfig, RemindConfig } from '../config.ts';
import { parseRegistry } from '../pipeline/registry.ts';
import { lambdaInstruments } from './observability.ts';
import { createRemindHandler } from './remind-handler.ts';

/** Lambda entry of the daily reminders (EventBridge Scheduler). */
const config = loadConfig(RemindConfig);
const db = dynamoClient(config);
export const handler = createRemindHandler({
  registry: parseRegistry(registryJson),
  records: new DynamoRecordStore(db, config.TABLE_NAME),
  log: new DynamoReminderLog(db, config.TABLE_NAME),
  sender: new SnsReminderSender(snsClient(config), {
    agency: config.AGENCY_TOPIC_ARN_PREFIX,
    office: config.OFFICE_TOPIC_ARN_PREFIX,
  }),
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
});
