import { s3Client } from '../adapters/clients.ts';
import { invokeOcr, lambdaClient } from '../adapters/lambda-ocr.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { ExtractConfig, loadConfig } from '../config.ts';
import { Extractor } from '../extract/index.ts';
import { createExtractHandler } from './extract-handler.ts';
import { lambdaInstruments } from './observability.ts';

/** Lambda entry: configuration checked at start-up; the sandboxed extractor is kept across invocations. */
const config = loadConfig(ExtractConfig);
const ocrFunction = config.OCR_FUNCTION_NAME;
// With an OCR function, scanned pages are its job: this function stays small (no ONNX Runtime, no model).
const extractor = new Extractor(ocrFunction === undefined ? {} : { limits: { ocr: false } });
// The worker process (Node + pdf.js) starts during init, so the first invocation does not wait for it.
extractor.warm();
export const handler = createExtractHandler({
  objects: new S3ObjectStore(s3Client(config)),
  extractor,
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
  ...(ocrFunction === undefined ? {} : { ocr: invokeOcr(lambdaClient(config), ocrFunction) }),
});
