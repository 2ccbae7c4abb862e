import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { COGNITO_CLAIMS, SUPERVISORS_GROUP } from '../functions/api/claims.ts';
import { matchRoute, ROUTE_SPECS } from '../functions/api/routes.ts';
import { DEFAULT_UPLOAD_POLICY } from '../functions/api/uploads.ts';
import { AGENCY_CLAIM, createApiHandler } from '../functions/handlers/api-handler.ts';
import { PAGE_FILES, VENDOR_FILES } from '../functions/pages/site.ts';
import { reportTypesForPage } from '../functions/pipeline/report-types.ts';
import { pageVocabulary } from '../functions/report/page-vocabulary.ts';
import { answerAndClose, BodyTooLarge, readBody } from './http-answer.ts';
import type { LocalDeps } from './local-deps.ts';

/**
 * `report-pipeline local --serve`: the upload API and its web page on localhost, against the local
 * pipeline. Instead of Cognito, each registered agency has a development token `dev-{agencyId}`; the server
 * turns it into the JWT claims API Gateway would pass, so the Lambda's own handler answers. Each office has
 * `dev-office-{officeId}`: a supervisor's claims (the supervisors group and the office), for the
 * supervisor page at /supervisor.html.
 */
export const devToken = (agencyId: string) => `dev-${agencyId}`;
const WEB = path.join(import.meta.dirname, 'web');
const PAGE = path.join(WEB, 'index.html');
export const devOfficeToken = (officeId: string) => `dev-office-${officeId}`;
export const REPORT_TYPES_PATH = '/report-types.json';
/** The template's words for the report view (functions/report/page-vocabulary.ts). */
export const VOCABULARY_PATH = '/template-vocabulary.json';
/** The pages' files and the vendored packages, as hosted on AWS (functions/pages/site.ts: one list). */
const ASSETS: Record<string, string> = Object.fromEntries(
  Object.entries(PAGE_FILES).map(([name, type]) => [`/${name}`, type]),
);
const require = createRequire(import.meta.url);
const VENDOR: Record<string, { type: string; path: string }> = Object.fromEntries(
  Object.entries(VENDOR_FILES).map(([name, v]) => [
    `/${name}`,
    { type: v.type, path: path.join(path.dirname(require.resolve(v.pkg)), v.file) },
  ]),
);
/** API Gateway's payload limit: a larger body is refused, and never read whole. */
export const API_BODY_LIMIT = 10 * 1024 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;

/** API Gateway's own answers (`{"message": …}`), for what never reaches the function. */
function answer(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  answerAndClose(req, res, status, { 'content-type': 'application/json' }, JSON.stringify({ message }));
}

/** What the API server is handed from the local run's wiring (local-deps.ts). */
export type ServedDeps = Pick<
  LocalDeps,
  'bucket' | 'signer' | 'records' | 'uploads' | 'reviews' | 'submissions' | 'summaries' | 'registry'
>;

export async function serve(deps: ServedDeps, port: number): Promise<{ server: Server; url: string }> {
  await deps.bucket.allowBrowserPosts();
  const logger = new Logger({ serviceName: 'report-pipeline-local-api', logLevel: 'SILENT' });
  const { records, reviews, registry } = deps;
  const handler = createApiHandler({
    signer: deps.signer,
    records,
    lister: deps.uploads,
    policy: DEFAULT_UPLOAD_POLICY,
    reviews,
    logger,
    supervision: { registry, submissions: deps.submissions, records, reviews },
    summaries: deps.summaries,
  });
  const tokens = new Map<string, Record<string, string>>([
    ...registry.agencies.map(
      (a) => [devToken(a.id), { sub: `dev-user-${a.id}`, [AGENCY_CLAIM]: a.id }] as const,
    ),
    ...registry.offices.map(
      (o) =>
        [
          devOfficeToken(o.id),
          {
            sub: `dev-office-user-${o.id}`,
            [COGNITO_CLAIMS.office]: o.id,
            [COGNITO_CLAIMS.groups]: `[${SUPERVISORS_GROUP}]`,
          },
        ] as const,
    ),
  ]);

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The raw path, not `new URL`: `//host/uploads/x` must not turn into another host's path.
    const target = req.url ?? '/';
    const pathname = target.split('?')[0] ?? '/';
    const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
    if (req.method === 'GET' && (pathname === '/' || pathname === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await readFile(PAGE));
      return;
    }
    // The page's `accept` attribute and its extension → MIME map come from the pipeline's one list.
    if (req.method === 'GET' && pathname === REPORT_TYPES_PATH) {
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(reportTypesForPage()));
      return;
    }
    const asset = Object.hasOwn(ASSETS, pathname) ? ASSETS[pathname] : undefined;
    if (req.method === 'GET' && asset !== undefined) {
      res.writeHead(200, { 'content-type': asset }).end(await readFile(path.join(WEB, pathname)));
      return;
    }
    const vendored = Object.hasOwn(VENDOR, pathname) ? VENDOR[pathname] : undefined;
    if (req.method === 'GET' && vendored !== undefined) {
      res
        .writeHead(200, { 'content-type': vendored.type, 'cache-control': 'max-age=3600' })
        .end(await readFile(vendored.path));
      return;
    }
    if (req.method === 'GET' && pathname === VOCABULARY_PATH) {
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify(pageVocabulary()));
      return;
    }
    const matched = ROUTE_SPECS.flatMap((spec) => {
      const params = spec.method === req.method ? matchRoute(spec, pathname) : null;
      return params === null ? [] : [{ routeKey: spec.routeKey, params }];
    })[0];
    if (matched === undefined) return answer(req, res, 404, 'Not Found');
    const { routeKey } = matched;
    let pathParameters: Record<string, string> | undefined;
    try {
      // API Gateway passes path parameters decoded, and none for a route without any.
      const decoded = Object.entries(matched.params).map(([k, v]) => [k, decodeURIComponent(v)]);
      pathParameters = decoded.length === 0 ? undefined : Object.fromEntries(decoded);
    } catch {
      return answer(req, res, 400, 'Bad Request');
    }
    // API Gateway's authorizer answers 401 before the function sees a request without a valid token.
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const claims = tokens.get(token);
    if (claims === undefined) return answer(req, res, 401, 'Unauthorized');
    let body: Buffer;
    try {
      body = req.method === 'POST' ? await readBody(req, API_BODY_LIMIT) : Buffer.alloc(0);
    } catch (error) {
      if (error instanceof BodyTooLarge) return answer(req, res, 413, 'Request Entity Too Large');
      throw error;
    }
    const event = {
      version: '2.0',
      routeKey,
      rawPath: pathname,
      rawQueryString: query,
      headers: req.headers as Record<string, string>,
      requestContext: {
        http: {
          method: req.method ?? 'GET',
          path: pathname,
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: '',
        },
        routeKey,
        stage: '$default',
        authorizer: { jwt: { claims, scopes: [] } },
      },
      pathParameters,
      queryStringParameters: query === '' ? undefined : Object.fromEntries(new URLSearchParams(query)),
      // As API Gateway: a request without a body (a GET) has none, not an empty one.
      ...(body.length === 0 ? {} : { body: body.toString('utf8') }),
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
    const out = await handler(event);
    res.writeHead(out.statusCode ?? 200, out.headers as Record<string, string>).end(out.body ?? '');
  };

  // Every request ends in an answer, and no request's failure ends the server.
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      // A client that went away mid-request is not a failure of the server.
      if (!req.socket.destroyed)
        process.stderr.write(`local API: ${req.method} ${req.url}: ${(error as Error).stack ?? error}\n`);
      answer(req, res, 500, 'Internal Server Error');
    });
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const [status, message] =
      error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large'] : [400, 'Bad Request'];
    const body = JSON.stringify({ message });
    if (socket.writable) {
      socket.end(
        `HTTP/1.1 ${status} ${message}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
