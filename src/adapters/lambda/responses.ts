// Every HTTP response the API sends is built here, so the SPEC's headers are never forgotten.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

export const STANDARD_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
});

export function jsonResult(
  statusCode: number,
  body: object,
  requestId: string,
  extraHeaders: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { ...STANDARD_HEADERS, 'X-Request-Id': requestId, ...extraHeaders },
    body: JSON.stringify(body),
  };
}
