import { Logger } from '@aws-lambda-powertools/logger';
import { s3Client } from '../adapters/clients.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { ExportConfig, loadConfig } from '../config.ts';
import { loadRegistry } from '../pipeline/registry.ts';
import { createExportHandler } from './export-handler.ts';

/** Lambda entry of the example stream consumer. */
const config = loadConfig(ExportConfig);
export const handler = createExportHandler({
  objects: new S3ObjectStore(s3Client(config)),
  bucket: config.EXPORT_BUCKET,
  logger: new Logger({ serviceName: config.POWERTOOLS_SERVICE_NAME }),
  registry: loadRegistry(),
});
