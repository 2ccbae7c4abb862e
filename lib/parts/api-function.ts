import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { ApiConfig, FunctionEnvironment } from '../../functions/config.ts';
import { ENV } from '../../functions/env-names.ts';
import { INCOMING_PREFIX } from '../../functions/pipeline/keys.ts';
import { REVIEW_PK_PREFIX } from '../../functions/pipeline/table-layout.ts';
import { PipelineFunction } from '../constructs/function-defaults.ts';

/** Size range of pre-signed uploads, in bytes. */
export const DEFAULT_UPLOAD_SIZE_RANGE = { min: 1, max: 50 * 1024 * 1024 };

/**
 * The upload API's function: pre-signed POSTs under the caller's prefix, the caller's own records, the
 * supervisors' views and reviewers' decisions. Its grants are the narrowest the routes need.
 */
export function apiFunction(
  scope: Construct,
  deps: {
    bucket: s3.Bucket;
    table: dynamodb.Table;
    range: { min: number; max: number };
    /** The identity's claim names, where they are not the handler's Cognito defaults. */
    claims?: Partial<FunctionEnvironment<typeof ApiConfig>>;
  },
): PipelineFunction {
  const { bucket, table, range } = deps;
  const environment: FunctionEnvironment<typeof ApiConfig> = {
    [ENV.uploadBucket]: bucket.bucketName,
    [ENV.tableName]: table.tableName,
    [ENV.uploadMinBytes]: String(range.min),
    [ENV.uploadMaxBytes]: String(range.max),
    ...deps.claims,
  };
  const api = new PipelineFunction(scope, 'Api', {
    entry: 'functions/handlers/api-lambda.ts',
    memorySize: 512,
    timeout: Duration.seconds(10),
    environment,
  });
  // The pre-signed POST is signed with this role, so it may put under incoming/ and nothing else.
  bucket.grantPut(api, `${INCOMING_PREFIX}*`);
  table.grantReadData(api);
  // Reviewers' decisions are its only writes: new review items, never a report record (the condition
  // holds every written item's partition key to `review#…`).
  api.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['dynamodb:PutItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${REVIEW_PK_PREFIX}*`] } },
    }),
  );
  // GET /uploads lists the caller's uploads for a year: ListBucket under incoming/ only (the handler
  // narrows the prefix to the caller's agency and year).
  api.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${INCOMING_PREFIX}*`] } },
    }),
  );
  return api;
}
