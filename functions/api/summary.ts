import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { EXCLUSION_LABELS, officeSummary, type SummarySource } from '../analytics/summary.ts';
import { summaryCsv, summaryCsvFileName } from '../analytics/summary-csv.ts';
import type { Registry } from '../pipeline/registry.ts';
import { REVIEW_STATUS_LABELS } from '../pipeline/review.ts';
import { agenciesUnder, officesUnder } from '../pipeline/supervision.ts';
import { STATE_LABELS } from '../pipeline/year-status.ts';
import { csv, json, pathYear, type Result } from './answer.ts';
import { callerOffice } from './caller.ts';
import type { ClaimNames } from './claims.ts';

/**
 * `GET /summary/{year}[?office=ID][&format=csv]`: the 汇总 of the caller's office (or an office in its
 * subtree) for a year, from the table: tables 二、三、四 summed, the bodies counted and left out, the sums'
 * arithmetic findings, the indicators (functions/analytics/summary.ts). Supervisors only, as
 * `GET /supervision/{year}`.
 */
export const SUMMARY_ROUTE = 'GET /summary/{year}';

export interface SummaryDeps {
  registry: Registry;
  summaries: SummarySource;
  /** The token's claim names (functions/api/claims.ts); Cognito's by default. */
  claimNames?: ClaimNames;
}

export async function summaryRoute(
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  deps: SummaryDeps,
): Promise<Result> {
  const caller = callerOffice(event.requestContext.authorizer?.jwt?.claims, deps.registry, deps.claimNames);
  if (caller === null) return json(403, { message: '仅限政务公开监督机构使用' });
  const asked = pathYear(event);
  if ('refused' in asked) return asked.refused;
  const { year } = asked;
  const query = event.queryStringParameters ?? {};
  const office = query.office ?? caller;
  if (!officesUnder(deps.registry, caller).some((o) => o.id === office)) {
    return json(403, { message: `无权查看 ${office} 的汇总：它不在本机构监督范围内` });
  }
  const summary = await officeSummary(deps.registry, office, year, deps.summaries);
  if (query.format === 'csv') {
    return csv(summaryCsvFileName(summary), summaryCsv(summary));
  }
  // The offices directly under this one, with the bodies beneath each: the page groups its charts by them.
  const subOffices = deps.registry.offices
    .filter((o) => o.supervisedBy.includes(office))
    .map((o) => ({ id: o.id, name: o.name, agencyIds: agenciesUnder(deps.registry, o.id).map((a) => a.id) }));
  return json(200, {
    ...summary,
    subOffices,
    labels: { status: STATE_LABELS, review: REVIEW_STATUS_LABELS, reasons: EXCLUSION_LABELS },
  });
}
