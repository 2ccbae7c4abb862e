import { Router } from '@aws-lambda-powertools/event-handler/http';
import type { HandlerResponse } from '@aws-lambda-powertools/event-handler/types';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { z } from 'zod';
import { json, type Result } from '../api/answer.ts';
import { type ClaimNames, COGNITO_CLAIMS } from '../api/claims.ts';
import { jsonBody } from '../api/request-body.ts';
import { reviewRoute } from '../api/review.ts';
import type { RecordReader } from '../api/reviewed-report.ts';
import { type ApiRoute, ROUTE_SPECS } from '../api/routes.ts';
import { type SummaryDeps, summaryRoute } from '../api/summary.ts';
import { type SupervisionDeps, supervisionRoute } from '../api/supervision.ts';
import {
  ApiError,
  createUpload,
  getUpload,
  listUploads,
  type PostSigner,
  type UploadLister,
  type UploadPolicy,
} from '../api/uploads.ts';
import { AGENCY_ID } from '../pipeline/keys.ts';
import type { ReviewStore } from '../pipeline/review-decision.ts';
import { addWith, type Instruments, instrumented, METRIC, NO_LAMBDA_CONTEXT } from './observability.ts';

/** The claim of the Cognito user pool that carries the caller's agency id (another issuer's: claimNames). */
export const AGENCY_CLAIM = COGNITO_CLAIMS.agency;

type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

const UNKNOWN_ROUTE = () => json(404, { message: '未知的接口' });
const UNAVAILABLE = () => json(500, { message: '服务暂时不可用，请稍后重试' });

/** The JWT authorizer's verified claims as API Gateway passes them (the event's type does not carry them). */
const JwtAuthorized = z.object({
  authorizer: z.object({
    principalId: z.string().default(''),
    integrationLatency: z.number().default(0),
    jwt: z.object({
      claims: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])),
      scopes: z
        .array(z.string())
        .nullable()
        .transform((s) => s ?? []),
    }),
  }),
});

/** The event with its authorizer read; without verified claims, none (every route then refuses). */
function withClaims(event: APIGatewayProxyEventV2): ApiEvent {
  const parsed = JwtAuthorized.safeParse(event.requestContext);
  const authorizer = parsed.success
    ? parsed.data.authorizer
    : { principalId: '', integrationLatency: 0, jwt: { claims: {}, scopes: [] } };
  return { ...event, requestContext: { ...event.requestContext, authorizer } };
}

/** API Gateway's `{id}` path parameters in the router's `:id` form. */
const routerPath = (path: string): `/${string}` => `/${path.replace(/^\//, '').replace(/\{(\w+)\}/g, ':$1')}`;

/** The router's result shape: a status is always set. */
const proxyResult = (result: Result): HandlerResponse => ({
  statusCode: result.statusCode ?? 200,
  body: result.body ?? '',
  ...(result.headers === undefined ? {} : { headers: result.headers }),
});

/**
 * The upload API (HTTP API with a JWT authorizer), dispatched by Powertools' event-handler Router over
 * the one route table (functions/api/routes.ts, which the stack and `local --serve` also declare):
 * `POST /uploads` hands out a pre-signed POST under the caller's prefix; `GET /uploads/{id}` returns the
 * caller's own upload's record; `GET /uploads?year=YYYY` lists the caller's own uploads for a declared
 * year with their status; `GET /supervision/{year}` answers supervisors (functions/api/supervision.ts),
 * who carry an office claim instead of an agency's; `POST /reports/{reportId}/findings/{fingerprint}/review`
 * records a supervisor's decision (functions/api/review.ts). Each request is counted by route and status.
 */
export function createApiHandler(
  deps: Instruments & {
    signer: PostSigner;
    records: RecordReader;
    lister: UploadLister;
    policy: UploadPolicy;
    /** Reviewers' decisions, shown with an upload's findings. */
    reviews: ReviewStore;
    /** Absent: the supervision routes answer 404 (a deployment without a registry at hand). */
    supervision?: SupervisionDeps;
    /** The 汇总's versions (GET /summary/{year}); absent: that route answers 404. */
    summaries?: SummaryDeps['summaries'];
    /** The token's claim names (functions/api/claims.ts): Cognito's unless the identity is another issuer. */
    claimNames?: ClaimNames;
  },
) {
  const { logger } = deps;
  const claimNames = deps.claimNames ?? COGNITO_CLAIMS;

  /** The agencies' routes: the caller's agency comes from its verified token, never from the request. */
  const agencyRoute =
    (answer: (agencyId: string, event: ApiEvent) => Promise<Result>) =>
    async (event: ApiEvent): Promise<Result> => {
      const agencyId = event.requestContext.authorizer.jwt.claims[claimNames.agency];
      if (typeof agencyId !== 'string' || !AGENCY_ID.test(agencyId)) {
        return json(403, { message: `令牌中没有有效的机关标识（${claimNames.agency}）` });
      }
      try {
        return await answer(agencyId, event);
      } catch (error) {
        if (error instanceof ApiError) return json(error.status, { message: error.message });
        logger.error('api failure', { error });
        return UNAVAILABLE();
      }
    };

  /** The supervisors' routes, answered only where a registry is at hand. */
  const supervisorRoute =
    (answer: (event: ApiEvent, supervision: SupervisionDeps) => Promise<Result>) =>
    async (event: ApiEvent): Promise<Result> => {
      if (deps.supervision === undefined) return UNKNOWN_ROUTE();
      try {
        // Read at each request (the deps may be getters over clients made later, as the tests' are).
        return await answer(event, { ...deps.supervision, claimNames });
      } catch (error) {
        logger.error('supervision failure', { error });
        return UNAVAILABLE();
      }
    };

  const routes: Record<ApiRoute, (event: ApiEvent) => Promise<Result>> = {
    'POST /uploads': agencyRoute(async (agencyId, event) => {
      const body = jsonBody(event);
      if (body === undefined) throw new ApiError(400, '请求体不是 JSON');
      const upload = await createUpload(agencyId, body, deps);
      logger.info('upload presigned', { agencyId, key: upload.key });
      return json(201, upload);
    }),
    'GET /uploads': agencyRoute(async (agencyId, event) =>
      json(200, await listUploads(agencyId, event.queryStringParameters?.year, deps)),
    ),
    'GET /uploads/{id}': agencyRoute(async (agencyId, event) =>
      json(200, await getUpload(agencyId, event.pathParameters?.id ?? '', deps)),
    ),
    'GET /supervision/{year}': supervisorRoute(supervisionRoute),
    'GET /summary/{year}': supervisorRoute(async (event, supervision) => {
      if (deps.summaries === undefined) return UNKNOWN_ROUTE();
      return summaryRoute(event, { registry: supervision.registry, summaries: deps.summaries, claimNames });
    }),
    'GET /supervision/{year}/{agencyId}': supervisorRoute(supervisionRoute),
    'POST /reports/{reportId}/findings/{fingerprint}/review': supervisorRoute(async (event, supervision) => {
      const answer = await reviewRoute(event, supervision);
      if (answer.statusCode === 201) logger.info('finding reviewed', { routeKey: event.routeKey });
      return answer;
    }),
  };

  // The router answers through a Web Response, whose text() drops a leading byte-order mark (the status
  // CSV's, which spreadsheets need): a route's own answer is kept by its event and returned as it is.
  const answered = new WeakMap<object, Result>();
  const app = new Router({ logger });
  for (const spec of ROUTE_SPECS) {
    const answer = routes[spec.routeKey];
    app.route(
      async (reqCtx) => {
        // The route table is API Gateway's own; the path parameters are the ones it passed.
        const result =
          reqCtx.responseType === 'ApiGatewayV2' ? await answer(withClaims(reqCtx.event)) : UNKNOWN_ROUTE();
        answered.set(reqCtx.event, result);
        addWith(deps.metrics, { route: spec.routeKey, status: String(result.statusCode ?? 200) }, [
          [METRIC.requests, 1],
        ]);
        return proxyResult(result);
      },
      { method: spec.method, path: routerPath(spec.path) },
    );
  }
  // API Gateway only passes the table's routes; anything else (a test, a misconfigured route) is unknown.
  const unmatched = async () => {
    addWith(deps.metrics, { route: 'unmatched', status: '404' }, [[METRIC.requests, 1]]);
    return proxyResult(UNKNOWN_ROUTE());
  };
  app.notFound(unmatched);
  app.methodNotAllowed(unmatched);

  return instrumented(deps, async (event: ApiEvent, context): Promise<Result> => {
    const routed = await app.resolve(event, context ?? NO_LAMBDA_CONTEXT);
    return answered.get(event) ?? routed;
  });
}
