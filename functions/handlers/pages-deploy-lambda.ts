import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../adapters/clients.ts';
import { loadConfig, PagesDeployConfig } from '../config.ts';
import { lambdaInstruments } from './observability.ts';
import { createPagesDeployHandler } from './pages-deploy-handler.ts';

/** Lambda entry of the pages' publication (a CloudFormation custom resource); the pages are in ./web. */
const config = loadConfig(PagesDeployConfig);
const s3 = s3Client(config);
export const handler = createPagesDeployHandler({
  site: {
    put: async (key, body, contentType) => {
      await s3.send(
        new PutObjectCommand({
          Bucket: config.PAGES_BUCKET,
          Key: key,
          Body: body,
          ContentType: contentType,
          CacheControl: 'no-cache',
        }),
      );
    },
  },
  readPage: (name) => readFile(path.join(import.meta.dirname, 'web', name)),
  ...lambdaInstruments(config.POWERTOOLS_SERVICE_NAME),
});
