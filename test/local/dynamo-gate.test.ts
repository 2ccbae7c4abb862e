import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeSha256 } from '../../local/dynamo-gate.ts';
import { type Dynamo, startDynalite } from '../../local/emulators.ts';

/** DynamoDB's JSON error: its type under the wire name `__type`. */
const errorType = async (res: Response) =>
  Object.values((await res.json()) as Record<string, string>)[0] ?? '';

/**
 * The local DynamoDB refuses what DynamoDB refuses (issue 22 N2): an unsigned request, one signed with
 * another secret, one whose body is not the one signed, and any request from a browser origin (no CORS
 * `*`): a page on another local origin can neither scan the records nor plant a review decision.
 */
const TABLE = 'reports';
let dynamo: Dynamo;
beforeAll(async () => {
  dynamo = await startDynalite(TABLE);
});
afterAll(async () => {
  await dynamo.stop();
});

const scanBody = JSON.stringify({ TableName: TABLE });
const target = { 'x-amz-target': 'DynamoDB_20120810.Scan', 'content-type': 'application/x-amz-json-1.0' };

/** A request signed as the SDK signs it, with the given secret; `body` sent may differ from the one signed. */
async function signed(secret: string, signedBody: string, applyChecksum = true) {
  const url = new URL(dynamo.endpoint);
  const signer = new SignatureV4({
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: secret },
    region: 'local',
    service: 'dynamodb',
    sha256: NodeSha256,
    applyChecksum,
  });
  const request = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    headers: { host: url.host, ...target },
    body: signedBody,
  });
  const { host: _host, ...headers } = request.headers;
  return headers;
}

describe('the local DynamoDB gate', () => {
  it("lets the SDK's signed requests through", async () => {
    const out = await dynamo.db.send(new ScanCommand({ TableName: TABLE }));
    expect(out.Items).toEqual([]);
  });

  it('refuses an unsigned request, as curl would send it', async () => {
    const res = await fetch(dynamo.endpoint, { method: 'POST', headers: target, body: scanBody });
    expect(res.status).toBe(400);
    expect(await errorType(res)).toMatch(/MissingAuthenticationToken/);
  });

  it('refuses a request signed with another secret, and a signed request whose body was changed', async () => {
    const foreign = await fetch(dynamo.endpoint, {
      method: 'POST',
      headers: await signed('not-the-secret', scanBody),
      body: scanBody,
    });
    expect(foreign.status).toBe(400);
    expect(await errorType(foreign)).toMatch(/InvalidSignature/);
    const secret = process.env.AWS_SECRET_ACCESS_KEY ?? '';
    const ok = await fetch(dynamo.endpoint, {
      method: 'POST',
      headers: await signed(secret, scanBody),
      body: scanBody,
    });
    expect(ok.status).toBe(200);
    const other = JSON.stringify({ TableName: TABLE, Limit: 1 });
    const tampered = await fetch(dynamo.endpoint, {
      method: 'POST',
      headers: await signed(secret, scanBody),
      body: other,
    });
    expect(tampered.status).toBe(400);
    // Signed as the SDK's DynamoDB client signs (no payload hash header): the gate hashes the body itself.
    const unhashed = await fetch(dynamo.endpoint, {
      method: 'POST',
      headers: await signed(secret, scanBody, false),
      body: other,
    });
    expect(unhashed.status).toBe(400);
  });

  it('refuses any request from a browser origin, and answers no CORS (no `*`)', async () => {
    const preflight = await fetch(dynamo.endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:8080',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-amz-target',
      },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const secret = process.env.AWS_SECRET_ACCESS_KEY ?? '';
    const fromPage = await fetch(dynamo.endpoint, {
      method: 'POST',
      headers: { ...(await signed(secret, scanBody)), origin: 'http://localhost:8080' },
      body: scanBody,
    });
    expect(fromPage.status).toBe(403);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still answers a client that signs with the process credentials after a refusal', async () => {
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'LOCAL', secretAccessKey: 'guess' },
      maxAttempts: 1,
    });
    await expect(client.send(new ScanCommand({ TableName: TABLE }))).rejects.toThrow();
    client.destroy();
    expect((await dynamo.db.send(new ScanCommand({ TableName: TABLE }))).Count).toBe(0);
  });
});
