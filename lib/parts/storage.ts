import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../functions/pipeline/table-layout.ts';

/**
 * The data of the pipeline, retained when the stack is deleted: the upload bucket (versioned, its access
 * logs in a bucket of their own) and the reports table. Created in the stack's own scope under the ids
 * they always had (`AccessLogs`, `Uploads`, `Reports`), so their logical ids never change
 * (test/cdk/logical-ids.test.ts).
 */
export function uploadBuckets(
  scope: Construct,
  allowedOrigins: string[],
): { bucket: s3.Bucket; accessLogs: s3.Bucket } {
  const accessLogs = new s3.Bucket(scope, 'AccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ expiration: Duration.days(365) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(accessLogs).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This is the access-log bucket of the upload bucket; logging it into itself would loop.',
  });
  const bucket = new s3.Bucket(scope, 'Uploads', {
    versioned: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'uploads/',
    lifecycleRules: [
      { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      { id: 'ExpireOldVersions', noncurrentVersionExpiration: Duration.days(365) },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // Browsers POST pre-signed uploads straight to the bucket (the hosted pages' origin is added by the stack).
  if (allowedOrigins.length > 0) allowBrowserUploads(bucket, allowedOrigins);
  return { bucket, accessLogs };
}

/** Lets pages from these origins POST pre-signed uploads to the bucket. */
export function allowBrowserUploads(bucket: s3.Bucket, allowedOrigins: string[]): void {
  bucket.addCorsRule({
    allowedMethods: [s3.HttpMethods.POST],
    allowedOrigins,
    allowedHeaders: ['*'],
    maxAge: 3600,
  });
}

/** Keys and indexes come from the layout module the store, the stream contract and the local run share. */
export function reportsTable(scope: Construct): dynamodb.Table {
  const table = new dynamodb.Table(scope, 'Reports', {
    partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of TABLE_KEYS.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
      ...(index.include === undefined
        ? {}
        : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }),
    });
  }
  return table;
}
