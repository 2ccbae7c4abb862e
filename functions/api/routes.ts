import { REVIEW_ROUTE } from './review.ts';
import { SUMMARY_ROUTE } from './summary.ts';
import { FINDINGS_ROUTE, STATUS_ROUTE } from './supervision.ts';

/**
 * The API's route table, one list for the three places that need it: the stack declares each route on the
 * HTTP API (lib/constructs/upload-api.ts), `local --serve` matches requests against it (local/serve.ts),
 * and the API Lambda's handler registers each with Powertools' Router (functions/handlers/api-handler.ts).
 */
export const API_ROUTES = [
  'POST /uploads',
  'GET /uploads',
  'GET /uploads/{id}',
  STATUS_ROUTE,
  FINDINGS_ROUTE,
  REVIEW_ROUTE,
  SUMMARY_ROUTE,
] as const;

export type ApiRoute = (typeof API_ROUTES)[number];

export interface RouteSpec {
  routeKey: ApiRoute;
  method: 'GET' | 'POST';
  /** API Gateway's path template, e.g. `/uploads/{id}`. */
  path: string;
}

export const ROUTE_SPECS: readonly RouteSpec[] = API_ROUTES.map((routeKey) => {
  const [method = '', path = ''] = routeKey.split(' ');
  if (method !== 'GET' && method !== 'POST')
    throw new Error(`route ${routeKey}: only GET and POST are served`);
  return { routeKey, method, path };
});

/** The path parameters of a request path for a route, as API Gateway would pass them; null if it does not match. */
export function matchRoute(spec: RouteSpec, pathname: string): Record<string, string> | null {
  const template = spec.path.split('/');
  const parts = pathname.split('/');
  if (template.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of template.entries()) {
    const part = parts[i] ?? '';
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (name === undefined) {
      if (part !== segment) return null;
    } else {
      if (part === '') return null;
      params[name] = part;
    }
  }
  return params;
}
