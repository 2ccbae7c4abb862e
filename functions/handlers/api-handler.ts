import type { Logger } from '@aws-lambda-powertools/logger';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { jsonBody } from '../api/request-body.ts';
import { REVIEW_ROUTE, reviewRoute } from '../api/review.ts';
import type { RecordReader } from '../api/reviewed-report.ts';
import { SUMMARY_ROUTE, type SummaryDeps, summaryRoute } from '../api/summary.ts';
import { SUPERVISION_ROUTES, type SupervisionDeps, supervisionRoute } from '../api/supervision.ts';
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

/** The claim of the Cognito user pool that carries the caller's agency id. */
export const AGENCY_CLAIM = 'custom:agencyId';

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

/**
 * The upload API (HTTP API with a JWT authorizer): `POST /uploads` hands out a pre-signed POST under the
 * caller's prefix; `GET /uploads/{id}` returns the caller's own upload's record; `GET /uploads?year=YYYY`
 * lists the caller's own uploads for a declared year with their status; `GET /supervision/{year}`
 * answers supervisors (functions/api/supervision.ts), who carry an office claim instead of an agency's;
 * `POST /reports/{reportId}/findings/{fingerprint}/review` records a supervisor's decision
 * (functions/api/review.ts).
 */
export function createApiHandler(deps: {
  signer: PostSigner;
  records: RecordReader;
  lister: UploadLister;
  policy: UploadPolicy;
  /** Reviewers' decisions, shown with an upload's findings. */
  reviews: ReviewStore;
  logger: Logger;
  /** Absent: the supervision routes answer 404 (a deployment without a registry at hand). */
  supervision?: SupervisionDeps;
  /** The 汇总's versions (GET /summary/{year}); absent: that route answers 404. */
  summaries?: SummaryDeps['summaries'];
}) {
  return async (
    event: APIGatewayProxyEventV2WithJWTAuthorizer,
    context?: Context,
  ): Promise<APIGatewayProxyStructuredResultV2> => {
    if (context !== undefined) deps.logger.addContext(context);
    if (event.routeKey === SUMMARY_ROUTE) {
      if (deps.supervision === undefined || deps.summaries === undefined)
        return json(404, { message: '未知的接口' });
      try {
        return await summaryRoute(event, { registry: deps.supervision.registry, summaries: deps.summaries });
      } catch (error) {
        deps.logger.error('summary failure', { error: error as Error });
        return json(500, { message: '服务暂时不可用，请稍后重试' });
      }
    }
    if (
      event.routeKey === REVIEW_ROUTE ||
      (SUPERVISION_ROUTES as readonly string[]).includes(event.routeKey)
    ) {
      if (deps.supervision === undefined) return json(404, { message: '未知的接口' });
      try {
        if (event.routeKey === REVIEW_ROUTE) {
          const answer = await reviewRoute(event, deps.supervision);
          if (answer.statusCode === 201) deps.logger.info('finding reviewed', { routeKey: event.routeKey });
          return answer;
        }
        return await supervisionRoute(event, deps.supervision);
      } catch (error) {
        deps.logger.error('supervision failure', { error: error as Error });
        return json(500, { message: '服务暂时不可用，请稍后重试' });
      }
    }
    const agencyId = event.requestContext.authorizer?.jwt?.claims?.[AGENCY_CLAIM];
    if (typeof agencyId !== 'string' || !AGENCY_ID.test(agencyId)) {
      return json(403, { message: '令牌中没有有效的机关标识（custom:agencyId）' });
    }
    try {
      if (event.routeKey === 'POST /uploads') {
        const body = jsonBody(event);
        if (body === undefined) throw new ApiError(400, '请求体不是 JSON');
        const upload = await createUpload(agencyId, body, deps);
        deps.logger.info('upload presigned', { agencyId, key: upload.key });
        return json(201, upload);
      }
      if (event.routeKey === 'GET /uploads') {
        return json(200, await listUploads(agencyId, event.queryStringParameters?.year, deps));
      }
      if (event.routeKey === 'GET /uploads/{id}') {
        return json(200, await getUpload(agencyId, event.pathParameters?.id ?? '', deps));
      }
      return json(404, { message: '未知的接口' });
    } catch (error) {
      if (error instanceof ApiError) return json(error.status, { message: error.message });
      deps.logger.error('api failure', { error: error as Error });
      return json(500, { message: '服务暂时不可用，请稍后重试' });
    }
  };
}
