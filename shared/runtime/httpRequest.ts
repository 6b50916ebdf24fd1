/** Reading API Gateway HTTP API (payload 2.0) requests: raw body, size limit, JSON + zod/mini validation. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from '../domain/zodMini';
import { MalformedJsonError, PayloadTooLargeError, RequestValidationError } from './errors';

/** The body exactly as the client sent it (the REST signature covers these bytes). */
export function rawBody(event: APIGatewayProxyEventV2): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function assertBodyWithin(event: APIGatewayProxyEventV2, limitBytes: number): void {
  const size = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').length
      : Buffer.byteLength(event.body)
    : 0;
  if (size > limitBytes) throw new PayloadTooLargeError(limitBytes);
}

/** The path and query string as the client requested them. */
export function pathWithQuery(event: APIGatewayProxyEventV2): string {
  return event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
}

export function parseWith<Schema extends z.ZodMiniType>(
  schema: Schema,
  value: unknown,
  at: string[] = [],
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RequestValidationError(
    result.error.issues.map((issue) => ({
      path: [...at, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
    { cause: result.error },
  );
}

export function parseJsonBody<Schema extends z.ZodMiniType>(
  event: APIGatewayProxyEventV2,
  schema: Schema,
): z.output<Schema> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody(event));
  } catch (error) {
    throw new MalformedJsonError({ cause: error });
  }
  return parseWith(schema, parsed);
}

export function parseFormBody<Schema extends z.ZodMiniType>(
  event: APIGatewayProxyEventV2,
  schema: Schema,
): z.output<Schema> {
  return parseWith(schema, Object.fromEntries(new URLSearchParams(rawBody(event))));
}
