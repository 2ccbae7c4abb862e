import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { z } from 'zod';
import { parseUploadKey } from '../pipeline/keys.ts';
import type { Registry } from '../pipeline/registry.ts';
import { fingerprintOf } from '../pipeline/review.ts';
import {
  Decision,
  FINGERPRINT,
  REASON_MAX,
  type ReviewDecision,
  type ReviewStore,
} from '../pipeline/review-decision.ts';
import { supervises } from '../pipeline/supervision.ts';
import { submissionYear } from '../pipeline/table-layout.ts';
import { json, type Result } from './answer.ts';
import { callerOffice } from './caller.ts';
import { type ClaimNames, COGNITO_CLAIMS } from './claims.ts';
import { jsonBody } from './request-body.ts';
import { type RecordReader, reviewedReport } from './reviewed-report.ts';
import { keyForReportId } from './upload-keys.ts';

/**
 * `POST /reports/{reportId}/findings/{fingerprint}/review` with `{"decision", "reason"}`: a supervisor of
 * the report's agency confirms or dismisses one finding of the report's current record. The decision is
 * stored as its own item (functions/pipeline/review-decision.ts); the answer is the report's review view.
 */
export const REVIEW_ROUTE = 'POST /reports/{reportId}/findings/{fingerprint}/review';

export interface ReviewDeps {
  registry: Registry;
  records: RecordReader;
  reviews: ReviewStore;
  now?: () => Date;
  /** The token's claim names (functions/api/claims.ts); Cognito's by default. */
  claimNames?: ClaimNames;
}

export const ReviewRequest = z.strictObject({
  decision: Decision,
  reason: z.string().trim().min(1).max(REASON_MAX),
});

/** The reviewer's name: the token's user name, else its subject. */
function reviewerOf(claims: Record<string, unknown> | undefined): string {
  for (const claim of ['cognito:username', 'username', 'sub']) {
    const value = claims?.[claim];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'unknown';
}

/**
 * The refusal of an office deciding on a report outside its subtree, or null. Checked before the record is
 * read (an office learns nothing about reports outside its subtree) and, in the API, before the body.
 */
function outsideSubtree(
  registry: Registry,
  office: string,
  key: string,
): { ok: false; status: 403; message: string } | null {
  const agencyId = parseUploadKey(key)?.agencyId ?? '';
  return supervises(registry, office, agencyId)
    ? null
    : { ok: false, status: 403, message: `无权复核 ${agencyId} 的报告：它不在本机构监督范围内` };
}

export type DecideOutcome =
  | {
      ok: true;
      decision: ReviewDecision;
      answer: Awaited<ReturnType<typeof reviewedReport>> & Record<string, unknown>;
    }
  | { ok: false; status: 403 | 404 | 409; message: string };

/**
 * One decision by an office on one finding of the report at `key`: the office must supervise the report's
 * agency, the report must have a readable current record, and the finding must be in it. The API route and
 * the CLI (`report-pipeline review`) both decide through here.
 */
export async function decideFinding(
  request: {
    office: string;
    reviewer: string;
    key: string;
    fingerprint: string;
    decision: Decision;
    reason: string;
  },
  deps: ReviewDeps,
): Promise<DecideOutcome> {
  const { key, fingerprint, office } = request;
  const agencyId = parseUploadKey(key)?.agencyId ?? '';
  const refused = outsideSubtree(deps.registry, office, key);
  if (refused !== null) return refused;
  const record = await deps.records.current(key);
  if (record === null) return { ok: false, status: 404, message: '未找到该报告（或尚在处理中）' };
  const year = submissionYear(record);
  if (record.status === 'FAILED' || year === null) {
    return { ok: false, status: 409, message: '该文件无法处理，没有可复核的问题；请机关重新上传' };
  }
  const issue = FINGERPRINT.test(fingerprint)
    ? record.issues.find((i) => fingerprintOf(i) === fingerprint)
    : undefined;
  if (issue === undefined) {
    return { ok: false, status: 404, message: `该报告的当前记录中没有问题 ${fingerprint}` };
  }
  const decision: ReviewDecision = {
    agencyId,
    year,
    fingerprint,
    code: issue.code,
    decision: request.decision,
    reason: request.reason,
    reviewer: request.reviewer,
    office,
    at: (deps.now?.() ?? new Date()).toISOString(),
    objectKey: key,
    versionId: record.upload?.versionId ?? null,
  };
  await deps.reviews.decide(decision);
  const view = await reviewedReport(key, record, deps.reviews);
  return {
    ok: true,
    decision,
    answer: { decision, objectKey: key, agencyId, year, status: record.status, ...view },
  };
}

export async function reviewRoute(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  deps: ReviewDeps,
): Promise<Result> {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  const office = callerOffice(claims, deps.registry, deps.claimNames);
  if (office === null) {
    return json(403, {
      message: `仅限政务公开监督机构复核（令牌不属于 supervisors 组，或没有有效的 ${(deps.claimNames ?? COGNITO_CLAIMS).office}）`,
    });
  }
  const key = keyForReportId(event.pathParameters?.reportId ?? '');
  if (key === null) return json(404, { message: '未找到该报告' });
  const refused = outsideSubtree(deps.registry, office, key);
  if (refused !== null) return json(refused.status, { message: refused.message });
  const body = ReviewRequest.safeParse(jsonBody(event));
  if (!body.success) {
    return json(400, {
      message: `请求无效：应为 {"decision":"CONFIRMED"或"DISMISSED","reason":"1–${REASON_MAX} 字的理由"}`,
    });
  }
  const outcome = await decideFinding(
    {
      office,
      reviewer: reviewerOf(claims),
      key,
      fingerprint: event.pathParameters?.fingerprint ?? '',
      decision: body.data.decision,
      reason: body.data.reason,
    },
    deps,
  );
  return outcome.ok ? json(201, outcome.answer) : json(outcome.status, { message: outcome.message });
}
