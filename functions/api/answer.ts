import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** An answer of the API, as API Gateway's HTTP API takes it from the function. */
export type Result = APIGatewayProxyStructuredResultV2;

/** A JSON answer: never cached (every answer is the caller's own and may change with the next upload). */
export const json = (statusCode: number, body: unknown): Result => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

/** A CSV download (UTF-8; the body carries its BOM and CRLFs), never cached, under its file name. */
export const csv = (fileName: string, body: string): Result => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'no-store',
  },
  body,
});

/** The years a report can be declared for: the Regulations' annual reports began with 2008. */
export const REPORT_YEARS = { first: 2008, last: 2100 } as const;

/** A reporting year as the API takes it in a path or query: four digits within REPORT_YEARS. */
export function reportYearOf(text: string | undefined): number | null {
  if (text === undefined || !/^\d{4}$/.test(text)) return null;
  const year = Number(text);
  return year >= REPORT_YEARS.first && year <= REPORT_YEARS.last ? year : null;
}

/** The `{year}` path parameter as a reporting year, or the 400 answer that refuses it. */
export function pathYear(event: APIGatewayProxyEventV2): { year: number } | { refused: Result } {
  const text = event.pathParameters?.year ?? '';
  const year = reportYearOf(text);
  return year === null ? { refused: json(400, { message: `年度无效：${text}` }) } : { year };
}
