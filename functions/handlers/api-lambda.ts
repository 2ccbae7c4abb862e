import { dynamoClient, s3Client } from '../adapters/clients.ts';
import { DynamoRecordStore } from '../adapters/dynamo-record-store.ts';
import { DynamoReviewStore } from '../adapters/dynamo-review-store.ts';
import { DynamoSubmissionReader } from '../adapters/dynamo-submission-reader.ts';
import { DynamoSummarySource } from '../adapters/dynamo-summary-source.ts';
import { S3PostSigner } from '../adapters/s3-post-signer.ts';
import { S3UploadLister } from '../adapters/s3-upload-lister.ts';
import { DEFAULT_UPLOAD_POLICY } from '../api/uploads.ts';
import { ApiConfig, loadConfig } from '../config.ts';
import { loadRegistry } from '../pipeline/registry.ts';
import { createApiHandler } from './api-handler.ts';
import { lambdaInstruments } from './observability.ts';

/** Lambda entry of the upload API. */
const config = loadConfig(ApiConfig);
const db = dynamoClient(config);
const records = new DynamoRecordStore(db, config.TABLE_NAME);
const reviews = new DynamoReviewStore(db, config.TABLE_NAME);
export const handler = createApiHandler({
  signer: new S3PostSigner(s3Client(config), config.UPLOAD_BUCKET),
  records,
  lister: new S3UploadLister(s3Client(config), config.UPLOAD_BUCKET),
  policy: { ...DEFAULT_UPLOAD_POLICY, maxBytes: config.UPLOAD_MAX_BYTES, minBytes: config.UPLOAD_MIN_BYTES },
  reviews,
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
  supervision: {
    registry: loadRegistry(),
    submissions: new DynamoSubmissionReader(db, config.TABLE_NAME),
    records,
    reviews,
  },
  summaries: new DynamoSummarySource(db, config.TABLE_NAME, records, reviews),
  claimNames: { agency: config.AGENCY_CLAIM, office: config.OFFICE_CLAIM, groups: config.GROUPS_CLAIM },
});
