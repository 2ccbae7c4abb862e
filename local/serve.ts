import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { DynamoRecordStore } from '../functions/adapters/dynamo-record-store.ts';
import { S3PostSigner } from '../functions/adapters/s3-post-signer.ts';
import { DEFAULT_UPLOAD_POLICY } from '../functions/api/uploads.ts';
import { AGENCY_CLAIM, createApiHandler } from '../functions/handlers/api-handler.ts';
import { reportTypesForPage } from '../functions/pipeline/report-types.ts';
import { BUCKET, type LocalPipeline, TABLE } from './local-pipeline.ts';

/**
 * `report-pipeline local --serve`: the upload API and its web page on localhost, against the local
 * pipeline. Instead of Cognito, each registered agency has a development token `dev-{agencyId}`; the server
 * turns it into the JWT claims API Gateway would pass, so the Lambda's own handler answers.
 */
export const devToken = (agencyId: string) => `dev-${agencyId}`;
const PAGE = path.join(import.meta.dirname, 'web', 'index.html');
export const REPORT_TYPES_PATH = '/report-types.json';

export async function serve(pipeline: LocalPipeline, port: number): Promise<{ server: Server; url: string }> {
  await pipeline.s3.send(
    new PutBucketCorsCommand({
      Bucket: BUCKET,
      CORSConfiguration: {
        CORSRules: [
          { AllowedOrigins: ['*'], AllowedMethods: ['POST'], AllowedHeaders: ['*'], MaxAgeSeconds: 3600 },
        ],
      },
    }),
  );
  const handler = createApiHandler({
    signer: new S3PostSigner(pipeline.s3, BUCKET),
    records: new DynamoRecordStore(pipeline.db, TABLE),
    policy: DEFAULT_UPLOAD_POLICY,
    logger: new Logger({ serviceName: 'report-pipeline-local-api', logLevel: 'SILENT' }),
  });
  const tokens = new Map(pipeline.registry.agencies.map((a) => [devToken(a.id), a.id]));

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(PAGE));
      return;
    }
    // The page's `accept` attribute and its extension → MIME map come from the pipeline's one list.
    if (req.method === 'GET' && url.pathname === REPORT_TYPES_PATH) {
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(reportTypesForPage()));
      return;
    }
    const route =
      req.method === 'POST' && url.pathname === '/uploads'
        ? 'POST /uploads'
        : req.method === 'GET' && /^\/uploads\/[^/]+$/.test(url.pathname)
          ? 'GET /uploads/{id}'
          : null;
    if (route === null) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    // API Gateway's authorizer answers 401 before the function sees a request without a valid token.
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const agencyId = tokens.get(token);
    if (agencyId === undefined) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const event = {
      version: '2.0',
      routeKey: route,
      rawPath: url.pathname,
      rawQueryString: '',
      headers: req.headers as Record<string, string>,
      requestContext: {
        http: {
          method: req.method ?? 'GET',
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: '',
        },
        routeKey: route,
        stage: '$default',
        authorizer: {
          jwt: { claims: { sub: `dev-user-${agencyId}`, [AGENCY_CLAIM]: agencyId }, scopes: [] },
        },
      },
      pathParameters:
        route === 'GET /uploads/{id}'
          ? { id: decodeURIComponent(url.pathname.split('/')[2] ?? '') }
          : undefined,
      body: Buffer.concat(chunks).toString('utf8'),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    const out = await handler(event);
    res.writeHead(out.statusCode ?? 200, out.headers as Record<string, string>).end(out.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
