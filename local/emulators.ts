import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error dynalite ships no types
import dynalite from 'dynalite';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import { s3Client } from '../functions/adapters/clients.ts';
import { reportsTableDefinition } from '../functions/adapters/table-definition.ts';
import { closeDynaliteIterators } from './dynalite-iterators.ts';
import { dynamoGate } from './dynamo-gate.ts';
import { portOf } from './http-answer.ts';
import { s3Gate } from './s3-gate.ts';
import type { Credentials } from './sigv4.ts';
import { storePost } from './stored-post.ts';
import { type CreatedEvent, type S3rverStore, VersionedStore } from './versioned-store.ts';

// s3rver's object model, which its controllers answer versioned reads from (versioned-store.ts).
const S3rverObject = createRequire(import.meta.url)('s3rver/lib/models/object');

/**
 * The local AWS APIs on free loopback ports, for the local run and the integration tests: dynalite with
 * the reports table (on disk when `path` is given) and s3rver with the bucket. Both are idempotent about
 * a table or bucket that survives from an earlier run.
 */
/**
 * The credentials the local clients sign with and the gates verify: the process's (a Lambda's come from
 * its environment too), a random local secret unless the environment sets one.
 */
function localCredentials(): Credentials {
  process.env.AWS_ACCESS_KEY_ID ??= 'LOCAL';
  process.env.AWS_SECRET_ACCESS_KEY ??= randomBytes(24).toString('base64url');
  return { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
}

export interface Dynamo {
  db: DynamoDBClient;
  /** The gate's address: the only way in to the local DynamoDB (see dynamo-gate.ts). */
  endpoint: string;
  stop: () => Promise<void>;
}

/**
 * dynalite behind the gate (dynamo-gate.ts), which alone listens on loopback. dynalite's own server only
 * listens on a Unix socket in a private folder (its close is what closes its LevelDB); nothing is sent
 * there, the gate hands dynalite's handler the requests it verified.
 */
export async function startDynalite(tableName: string, options: { path?: string } = {}): Promise<Dynamo> {
  closeDynaliteIterators();
  const server: Server = dynalite({
    ...(options.path === undefined ? {} : { path: options.path }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const socketDir = mkdtempSync(path.join(tmpdir(), 'dynalite-'));
  await new Promise<void>((resolve) => server.listen(path.join(socketDir, 's'), resolve));
  const credentials = localCredentials();
  const [handler] = server.listeners('request') as RequestListener[];
  if (handler === undefined) throw new Error('dynalite has no request handler');
  const gate = createServer({ maxHeaderSize: 16 * 1024 }, dynamoGate({ credentials, dynalite: handler }));
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
  const port = portOf(gate);
  const endpoint = `http://127.0.0.1:${port}`;
  const db = new DynamoDBClient({ endpoint, region: 'local', credentials });
  try {
    await db.send(new CreateTableCommand(reportsTableDefinition(tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  return {
    db,
    endpoint,
    stop: async () => {
      db.destroy();
      gate.closeAllConnections();
      await new Promise<void>((resolve) => gate.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

export interface S3 {
  s3: S3Client;
  /** The gate's address: the only way in to the local S3 (see s3-gate.ts). */
  endpoint: string;
  /** The ObjectCreated events (raw keys), each once its version can be read, with its version id. */
  onEvent: (listener: (event: CreatedEvent) => void) => void;
  /** The store's own view of its objects (the latest version of each, with its version id). */
  versions: VersionedStore;
  stop: () => Promise<void>;
}

interface S3rverApp {
  callback: () => RequestListener;
  store: S3rverStore & {
    getSubresource: (
      bucket: string,
      key: undefined,
      type: 'cors',
    ) => Promise<{ matchRule: (origin: string, method: string) => CorsRule | undefined } | null>;
  };
  logger: { close: () => void };
}
interface CorsRule {
  hasWildcardOrigin: boolean;
  exposeHeaders: string[];
}

/**
 * s3rver behind the gate. s3rver itself never listens; the gate does, on a loopback port, and hands it
 * only what S3 would accept. The SDK clients sign with the process's credentials (a random local secret
 * unless the environment sets one), which the gate verifies. Its objects are versioned, written whole
 * and listed by versioned-store.ts; the versions kept lie in `{directory}-versions`.
 */
export async function startS3rver(bucket: string, directory: string): Promise<S3> {
  const app = new S3rver({ silent: true, directory }) as S3rverApp;
  const versions = new VersionedStore(app.store, `${path.resolve(directory)}-versions`, S3rverObject);
  // s3Client takes credentials from the environment, as a Lambda does.
  const credentials = localCredentials();
  let s3: S3Client | undefined;
  const server = createServer(
    { maxHeaderSize: 16 * 1024 },
    s3Gate({
      credentials,
      s3rver: versions.handler(app.callback()),
      store: async (post) => {
        if (s3 === undefined) throw new Error('local S3 not started');
        return storePost(s3, post);
      },
      corsHeaders: async (name, origin) => {
        if (origin === undefined) return {};
        const rule = (await app.store.getSubresource(name, undefined, 'cors'))?.matchRule(origin, 'POST');
        if (rule === undefined) return {};
        return {
          'access-control-allow-origin': rule.hasWildcardOrigin ? '*' : origin,
          ...(rule.exposeHeaders.length > 0
            ? { 'access-control-expose-headers': rule.exposeHeaders.join(', ') }
            : {}),
          vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
        };
      },
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server);
  const endpoint = `http://127.0.0.1:${port}`;
  s3 = s3Client({ AWS_REGION: 'local', AWS_ENDPOINT_URL_S3: endpoint });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
  const client = s3;
  return {
    s3: client,
    endpoint,
    onEvent: (listener) => versions.onCreated(listener),
    versions,
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      app.logger.close();
    },
  };
}
