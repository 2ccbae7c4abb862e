import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { findAgency, type Registry } from '../pipeline/registry.ts';
import type { ReviewStore } from '../pipeline/review-decision.ts';
import { officesUnder, supervises } from '../pipeline/supervision.ts';
import {
  KIND_LABELS,
  officeYearStatus,
  STATE_LABELS,
  type SubmissionReader,
  TIMING_LABELS,
} from '../pipeline/year-status.ts';
import { csv, json, pathYear, type Result } from './answer.ts';
import { callerOffice } from './caller.ts';
import { type ClaimNames, COGNITO_CLAIMS } from './claims.ts';
import { type RecordReader, reviewedReport } from './reviewed-report.ts';
import { statusCsv, statusCsvFileName } from './status-csv.ts';

/**
 * `GET /supervision/{year}[?office=ID][&format=csv]`: the year's status of every agency under the
 * caller's office; `GET /supervision/{year}/{agencyId}`: that agency's latest upload for the year with
 * its findings. Supervisors are their own kind of user: members of the `supervisors` group whose
 * immutable `custom:officeId` names their office. They may ask for any office in their subtree, never
 * above or beside it; agency users (no group, no office claim) get 403.
 */
export const STATUS_ROUTE = 'GET /supervision/{year}';
export const FINDINGS_ROUTE = 'GET /supervision/{year}/{agencyId}';
export const SUPERVISION_ROUTES = [STATUS_ROUTE, FINDINGS_ROUTE] as const;

export interface SupervisionDeps {
  registry: Registry;
  submissions: SubmissionReader;
  /** The record behind a submission (its findings), by object key. */
  records: RecordReader;
  /** Reviewers' decisions, for the findings' review view. */
  reviews: ReviewStore;
  now?: () => Date;
  /** The token's claim names (functions/api/claims.ts); Cognito's by default. */
  claimNames?: ClaimNames;
}

export async function supervisionRoute(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  deps: SupervisionDeps,
): Promise<Result> {
  const names = deps.claimNames ?? COGNITO_CLAIMS;
  const caller = callerOffice(event.requestContext.authorizer?.jwt?.claims, deps.registry, names);
  if (caller === null) {
    return json(403, {
      message: `仅限政务公开监督机构使用（令牌不属于 supervisors 组，或没有有效的 ${names.office}）`,
    });
  }
  const asked = pathYear(event);
  if ('refused' in asked) return asked.refused;
  const { year } = asked;
  if (event.routeKey === FINDINGS_ROUTE) {
    return agencyFindings(caller, event.pathParameters?.agencyId ?? '', year, deps);
  }
  return yearStatus(caller, year, event, deps);
}

async function agencyFindings(caller: string, agencyId: string, year: number, deps: SupervisionDeps) {
  const agency = findAgency(deps.registry, agencyId);
  if (agency === null || !supervises(deps.registry, caller, agencyId)) {
    return json(403, { message: `无权查看 ${agencyId}：它不在本机构监督范围内` });
  }
  const submission = await deps.submissions.latestSubmission(agencyId, year);
  const record = submission === null ? null : await deps.records.current(submission.objectKey);
  const review =
    submission === null || record === null
      ? { reportId: null, reviewStatus: null, issues: [], fixed: [] }
      : await reviewedReport(submission.objectKey, record, deps.reviews);
  return json(200, {
    agencyId,
    name: agency.name,
    year,
    submission,
    record,
    ...review,
  });
}

async function yearStatus(
  caller: string,
  year: number,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  deps: SupervisionDeps,
): Promise<Result> {
  const query = event.queryStringParameters ?? {};
  const office = query.office ?? caller;
  if (!officesUnder(deps.registry, caller).some((o) => o.id === office)) {
    return json(403, { message: `无权查看 ${office} 的报送情况：它不在本机构监督范围内` });
  }
  const status = await officeYearStatus(deps.registry, office, year, deps.submissions, {
    now: deps.now?.() ?? new Date(),
  });
  const accept = event.headers?.accept ?? event.headers?.Accept ?? '';
  if (query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(accept))) {
    return csv(statusCsvFileName(status), statusCsv(status));
  }
  // The labels travel with the data so that a page shows the same words as the CSV.
  return json(200, { ...status, labels: { status: STATE_LABELS, timing: TIMING_LABELS, kind: KIND_LABELS } });
}
