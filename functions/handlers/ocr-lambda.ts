import { Logger } from '@aws-lambda-powertools/logger';
import { s3Client } from '../adapters/clients.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { loadConfig, OcrConfig } from '../config.ts';
import { Extractor } from '../extract/index.ts';
import { createOcrHandler } from './ocr-handler.ts';

/** Lambda entry of the OCR function: the sandboxed extractor with OCR on, kept across invocations. */
const config = loadConfig(OcrConfig);
export const handler = createOcrHandler({
  objects: new S3ObjectStore(s3Client(config)),
  extractor: new Extractor({ limits: { ocr: true } }),
  logger: new Logger({ serviceName: config.POWERTOOLS_SERVICE_NAME }),
});
