import type { AddressInfo, Server } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error dynalite ships no types
import dynalite from 'dynalite';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import { s3Client } from '../functions/adapters/clients.ts';
import { reportsTableDefinition } from '../functions/adapters/table-definition.ts';

/**
 * The local AWS APIs on free loopback ports, for the local run and the integration tests: dynalite with
 * the reports table (on disk when `path` is given) and s3rver with the bucket. Both are idempotent about
 * a table or bucket that survives from an earlier run.
 */
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface Dynamo {
  db: DynamoDBClient;
  stop: () => Promise<void>;
}

export async function startDynalite(tableName: string, options: { path?: string } = {}): Promise<Dynamo> {
  const server: Server = dynalite({
    ...(options.path === undefined ? {} : { path: options.path }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const db = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'local', credentials });
  try {
    await db.send(new CreateTableCommand(reportsTableDefinition(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  return {
    db,
    stop: async () => {
      db.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface S3 {
  s3: S3Client;
  endpoint: string;
  /** s3rver's S3 event emitter (raw keys). */
  onEvent: (listener: (event: unknown) => void) => void;
  stop: () => Promise<void>;
}

export async function startS3rver(bucket: string, directory: string): Promise<S3> {
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  // s3Client takes credentials from the environment, as a Lambda does; s3rver accepts its own pair.
  process.env.AWS_ACCESS_KEY_ID ??= credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= credentials.secretAccessKey;
  const s3 = s3Client({ AWS_REGION: 'local', AWS_ENDPOINT_URL_S3: endpoint });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
  return {
    s3,
    endpoint,
    onEvent: (listener) => server.on('event', listener),
    stop: async () => {
      s3.destroy();
      await server.close();
    },
  };
}
