/**
 * The names of the environment variables the stack sets on the functions and functions/config.ts reads:
 * one home, imported by both, so a rename cannot leave one side behind. The stack's environment objects
 * are also typed against the configuration schemas (`FunctionEnvironment` in config.ts), so a variable a
 * function needs and the stack forgets fails the type check.
 */
export const ENV = {
  region: 'AWS_REGION',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  s3Endpoint: 'AWS_ENDPOINT_URL_S3',
  tableName: 'TABLE_NAME',
  agencyTopicArnPrefix: 'AGENCY_TOPIC_ARN_PREFIX',
  officeTopicArnPrefix: 'OFFICE_TOPIC_ARN_PREFIX',
  operatorsTopicArn: 'OPERATORS_TOPIC_ARN',
  noticeLeaseMs: 'NOTICE_LEASE_MS',
  exportBucket: 'EXPORT_BUCKET',
  uploadBucket: 'UPLOAD_BUCKET',
  uploadMinBytes: 'UPLOAD_MIN_BYTES',
  uploadMaxBytes: 'UPLOAD_MAX_BYTES',
  agencyClaim: 'AGENCY_CLAIM',
  officeClaim: 'OFFICE_CLAIM',
  groupsClaim: 'GROUPS_CLAIM',
  stackName: 'STACK_NAME',
  topicArnPrefix: 'TOPIC_ARN_PREFIX',
  topicKeyArn: 'TOPIC_KEY_ARN',
  removedTopics: 'REMOVED_TOPICS',
  pagesBucket: 'PAGES_BUCKET',
  webhookQueueArn: 'WEBHOOK_QUEUE_ARN',
  webhookSecretPrefix: 'WEBHOOK_SECRET_PREFIX',
  webhookTimeoutMs: 'WEBHOOK_TIMEOUT_MS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
