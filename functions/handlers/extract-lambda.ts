import { s3Client } from '../adapters/clients.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { ExtractConfig, loadConfig } from '../config.ts';
import { Extractor } from '../extract/index.ts';
import { createExtractHandler } from './extract-handler.ts';
import { lambdaInstruments } from './observability.ts';

/** Lambda entry: configuration checked at start-up; the sandboxed extractor is kept across invocations. */
const config = loadConfig(ExtractConfig);
export const handler = createExtractHandler({
  objects: new S3ObjectStore(s3Client(config)),
  extractor: new Extractor(),
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
});
