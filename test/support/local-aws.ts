import { mkdtempSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error dynalite ships no types
import dynalite from 'dynalite';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import { s3Client } from '../../functions/adapters/clients.ts';
import { reportsTableDefinition } from '../../functions/adapters/table-definition.ts';

/** Real local AWS APIs for integration tests: dynalite (DynamoDB) and s3rver (S3), on free ports. */
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startDynalite(
  tableName = 'reports',
): Promise<{ db: DynamoDBClient; tableName: string; stop: () => Promise<void> }> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const db = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'cn-north-1', credentials });
  await db.send(new CreateTableCommand(reportsTableDefinition(tableName)));
  return {
    db,
    tableName,
    stop: async () => {
      db.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startS3(
  bucket = 'uploads',
): Promise<{ s3: S3Client; endpoint: string; bucket: string; stop: () => Promise<void> }> {
  const directory = mkdtempSync(path.join(tmpdir(), 's3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID ??= credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= credentials.secretAccessKey;
  const s3 = s3Client({ AWS_REGION: 'cn-north-1', AWS_ENDPOINT_URL_S3: endpoint });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    s3,
    endpoint,
    bucket,
    stop: async () => {
      s3.destroy();
      await server.close();
    },
  };
}
