import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { matchRoute, ROUTE_SPECS } from '../functions/api/routes.ts';
import { DEFAULT_UPLOAD_POLICY } from '../functions/api/uploads.ts';
import { createApiHandler } from '../functions/handlers/api-handler.ts';
import { generatedPageFiles, PAGE_FILES, type PagesConfig, VENDOR_FILES } from '../functions/pages/site.ts';
import { answerAndClose, BodyTooLarge, portOf, readBody, singleValued } from './http-answer.ts';
import type { LocalDeps } from './local-deps.ts';
import { LOCAL_CLAIMS, type LocalIdentity, newPassword, startIdentity } from './oidc.ts';
import { type TokenVerifier, tokenVerifier } from './token-verifier.ts';

/**
 * `report-pipeline local --serve`: the upload API and its pages on localhost, against the local pipeline,
 * with the sign-in they have on AWS: an OpenID Connect provider (local/oidc.ts, issuer `URL/oidc`) whose
 * accounts are the registry's agencies and offices, and the API's JWT authorizer's checks made on every
 * request (local/token-verifier.ts) before the Lambda's own handler answers with the verified claims.
 * The pages read `config.json` (the same {@link PagesConfig} the hosted pages get) to find the issuer.
 */
const WEB = path.join(import.meta.dirname, 'web');
const PAGE = path.join(WEB, 'index.html');
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

export interface ServeOptions {
  /** The password every account signs in with; a fresh one per run when not given (docs/local-run.md). */
  password?: string;
}

export interface Served {
  server: Server;
  url: string;
  /** The local provider's issuer (`url/oidc`) and the pages' client id: the tokens' `iss` and `aud`. */
  issuer: string;
  clientId: string;
  password: string;
}

export async function serve(deps: ServedDeps, port: number, options: ServeOptions = {}): Promise<Served> {
  await deps.bucket.allowBrowserPosts();
  const password = options.password ?? newPassword();
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
    claimNames: LOCAL_CLAIMS,
  });
  // Known once the server listens (the issuer names its port); no request is answered before.
  let identity: LocalIdentity | undefined;
  let verifier: TokenVerifier | undefined;
  let generated: Record<string, [string, string]> = {};

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The raw path, not `new URL`: `//host/uploads/x` must not turn into another host's path.
    const target = req.url ?? '/';
    const pathname = target.split('?')[0] ?? '/';
    const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
    if (identity === undefined || verifier === undefined) return answer(req, res, 503, 'Service Unavailable');
    if (await identity.handle(req, res)) return;
    if (req.method === 'GET' && (pathname === '/' || pathname === '/index.html')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await readFile(PAGE));
      return;
    }
    // config.json, the report types and the template's words: the same generated files as hosted.
    const file = Object.hasOwn(generated, pathname.slice(1)) ? generated[pathname.slice(1)] : undefined;
    if (req.method === 'GET' && file !== undefined) {
      res.writeHead(200, { 'content-type': file[0], 'cache-control': 'no-store' }).end(file[1]);
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
    // The body is read (bounded) first: a client that half-closes after sending it must not lose the
    // answer while the token is checked.
    let body: Buffer;
    try {
      body = req.method === 'POST' ? await readBody(req, API_BODY_LIMIT) : Buffer.alloc(0);
    } catch (error) {
      if (error instanceof BodyTooLarge) return answer(req, res, 413, 'Request Entity Too Large');
      throw error;
    }
    // API Gateway's authorizer answers 401 before the function sees a request without a valid token.
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const claims = await verifier.verify(token);
    if (claims === null) return answer(req, res, 401, 'Unauthorized');
    const event = {
      version: '2.0',
      routeKey,
      rawPath: pathname,
      rawQueryString: query,
      headers: singleValued(req.headers),
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
    res
      .writeHead(
        out.statusCode ?? 200,
        Object.fromEntries(Object.entries(out.headers ?? {}).map(([k, v]) => [k, String(v)])),
      )
      .end(out.body ?? '');
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
  const url = `http://127.0.0.1:${portOf(server)}`;
  const started = await startIdentity(url, registry, password);
  const config: PagesConfig = {
    apiUrl: '',
    issuer: started.issuer,
    clientId: started.clientId,
    claims: LOCAL_CLAIMS,
  };
  generated = generatedPageFiles(config);
  verifier = tokenVerifier(started.issuer, started.clientId);
  identity = started;
  return { server, url, issuer: started.issuer, clientId: started.clientId, password };
}
