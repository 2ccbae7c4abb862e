import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

/** The request's JSON body; undefined when it is not JSON (the caller answers 400 in its own words). */
export function jsonBody(
  event: Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'body' | 'isBase64Encoded'>,
): unknown {
  try {
    return JSON.parse(
      event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? ''),
    );
  } catch {
    return undefined;
  }
}
