import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';

/** SDK clients. Against a local S3 endpoint: path-style, and checksums only when required (s3rver). */
export function s3Client(config: { AWS_REGION: string; AWS_ENDPOINT_URL_S3?: string | undefined }): S3Client {
  const local = config.AWS_ENDPOINT_URL_S3 !== undefined;
  return new S3Client({
    region: config.AWS_REGION,
    ...(local
      ? {
          endpoint: config.AWS_ENDPOINT_URL_S3,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
}

export const dynamoClient = (config: { AWS_REGION: string }) =>
  new DynamoDBClient({ region: config.AWS_REGION });
export const snsClient = (config: { AWS_REGION: string }) => new SNSClient({ region: config.AWS_REGION });
