import { s3Client } from '../adapters/clients.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { ExportConfig, loadConfig } from '../config.ts';
import { loadRegistry } from '../pipeline/registry.ts';
import { createExportHandler } from './export-handler.ts';
import { lambdaInstruments } from './observability.ts';

/** Lambda entry of the example stream consumer. */
const config = loadConfig(ExportConfig);
export const handler = createExportHandler({
  objects: new S3ObjectStore(s3Client(config)),
  bucket: config.EXPORT_BUCKET,
  registry: loadRegistry(),
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
});
