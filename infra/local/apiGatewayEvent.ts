// The local stack's stand-in for API Gateway HTTP API's Lambda proxy integration, payload format version 2.0:
// an HTTP request becomes the event a function gets on AWS, and the function's result becomes the HTTP response.
//
// Source: "Create AWS Lambda proxy integrations for HTTP APIs in API Gateway" (formerly "Working with AWS Lambda
// proxy integrations for HTTP APIs"),
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
//   - request (payload format structure, 2.0): `version` "2.0", `routeKey`, `rawPath`, `rawQueryString` (no `?`),
//     lower-case header names with duplicate headers joined by commas, `cookies` (every Cookie header of the request,
//     one entry per cookie; the cookie header itself is not repeated in `headers`), `queryStringParameters` with
//     duplicates joined by commas, `pathParameters`, `requestContext` (accountId, apiId, domainName, domainPrefix,
//     http {method, path, protocol, sourceIp, userAgent}, requestId, routeKey, stage `$default`, time, timeEpoch),
//     `body`, `isBase64Encoded`. Fields with nothing to say (no cookies, no query, no path parameters, no body) are
//     left out, as API Gateway leaves them out.
//   - response (Lambda function response for format 2.0): a result with a `statusCode` is used as given
//     (`headers`, `cookies` → one Set-Cookie header each, `body`, `isBase64Encoded`); any other valid JSON result
//     means 200, `content-type: application/json`, not base64, with the result as the body.
// Body encoding: API Gateway passes text bodies as they are and base64-encodes everything else. It treats only
// `text/*` and JSON as text: an `application/x-www-form-urlencoded` body (an HTML form post, a Slack slash command or
// interaction) reaches the function base64-encoded — see middyjs/middy#603 ("When setting up Slack command endpoint
// to an HTTP API Gateway, the event body passed to the invoked lambda is encoded in base64 by API Gateway"). The
// local stack does the same, so a function that forgets to honour `isBase64Encoded` fails here, not only on AWS.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { HttpApiRoute } from './httpApiRoutes';

export interface LocalHttpRequest {
  method: string;
  /** Path plus query string as sent, e.g. `/v1/approvals?status=pending`. */
  url: string;
  headers: IncomingHttpHeaders;
  /**
   * `IncomingMessage.rawHeaders` when available: with it, duplicate headers are joined exactly as API Gateway joins
   * them (`,`). Node's `headers` has already joined most duplicates with `, ` and dropped duplicates of some.
   */
  rawHeaders?: readonly string[];
  body: Buffer;
  sourceIp: string;
  /** `HTTP/1.1` unless given (IncomingMessage.httpVersion, e.g. `1.1`). */
  httpVersion?: string;
}

export interface ApiGatewayEventOptions {
  now?: Date;
  requestId?: string;
  accountId?: string;
  apiId?: string;
  /** What the route's authorizer proved, as `requestContext.authorizer` (IAM: `{ iam: { userArn, … } }`). */
  authorizer?: Record<string, unknown>;
}

export interface HttpResponseParts {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Each becomes its own `Set-Cookie` header. */
  cookies: string[];
}

/** Placeholders for the parts of requestContext that only exist on AWS. */
export const LOCAL_ACCOUNT_ID = '123456789012';
export const LOCAL_API_ID = 'local';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `requestContext.time` as API Gateway writes it: `12/Mar/2020:19:03:58 +0000` (UTC). */
export function requestTime(date: Date): string {
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** True for the content types API Gateway passes through as text: `text/*`, `application/json`, `...+json`. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return mediaType.startsWith('text/') || mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** Every value of every header, by lower-cased name, in the order received. */
function headerValues(request: LocalHttpRequest): Map<string, string[]> {
  const values = new Map<string, string[]>();
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    values.set(key, [...(values.get(key) ?? []), value]);
  };
  if (request.rawHeaders) {
    for (let i = 0; i + 1 < request.rawHeaders.length; i += 2)
      add(request.rawHeaders[i] ?? '', request.rawHeaders[i + 1] ?? '');
  } else {
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) add(name, item);
    }
  }
  return values;
}

function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const joined = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    joined.set(key, [...(joined.get(key) ?? []), value]);
  }
  if (joined.size === 0) return undefined;
  return Object.fromEntries([...joined].map(([key, list]) => [key, list.join(',')]));
}

/** One entry per cookie of every Cookie header (`a=1; b=2` → `a=1`, `b=2`). */
function splitCookies(cookieHeaders: readonly string[]): string[] {
  return cookieHeaders.flatMap((header) =>
    header
      .split(';')
      .map((cookie) => cookie.trim())
      .filter((cookie) => cookie !== ''),
  );
}

/** A trace id in the documented X-Ray format `Root=1-<epoch seconds hex>-<24 hex>`. */
function traceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

/** The event API Gateway HTTP API (payload format 2.0) sends the function integrated with `route`. */
export function toApiGatewayEvent(
  request: LocalHttpRequest,
  route: Pick<HttpApiRoute, 'routeKey'>,
  pathParameters: Record<string, string>,
  options: ApiGatewayEventOptions = {},
): APIGatewayProxyEventV2 {
  const now = options.now ?? new Date();
  const queryIndex = request.url.indexOf('?');
  const rawPath = queryIndex === -1 ? request.url : request.url.slice(0, queryIndex);
  const rawQueryString = queryIndex === -1 ? '' : request.url.slice(queryIndex + 1);

  const values = headerValues(request);
  const cookies = splitCookies(values.get('cookie') ?? []);
  values.delete('cookie');
  const headers: Record<string, string> = Object.fromEntries([...values].map(([name, list]) => [name, list.join(',')]));
  // What API Gateway adds in front of the function: the client's address, the scheme and port it came in on, a trace.
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${request.sourceIp}`
    : request.sourceIp;
  headers['x-forwarded-proto'] = 'http';
  const host = headers.host ?? 'localhost';
  headers['x-forwarded-port'] = /:(\d+)$/.exec(host)?.[1] ?? '80';
  headers['x-amzn-trace-id'] ??= traceId(now);
  if (request.body.length > 0) headers['content-length'] ??= String(request.body.length);

  const domainName = host.replace(/:\d+$/, '');
  const queryStringParameters = parseQuery(rawQueryString);
  const asText = isTextContentType(headers['content-type']);

  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(queryStringParameters && { queryStringParameters }),
    ...(Object.keys(pathParameters).length > 0 && { pathParameters: { ...pathParameters } }),
    requestContext: {
      accountId: options.accountId ?? LOCAL_ACCOUNT_ID,
      apiId: options.apiId ?? LOCAL_API_ID,
      ...(options.authorizer && { authorizer: options.authorizer }),
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method.toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${request.httpVersion ?? '1.1'}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: options.requestId ?? randomBytes(10).toString('base64'),
      routeKey: route.routeKey,
      stage: '$default',
      time: requestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body.length > 0 && { body: asText ? request.body.toString('utf8') : request.body.toString('base64') }),
    isBase64Encoded: request.body.length > 0 && !asText,
  };
}

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The HTTP response API Gateway HTTP API (payload format 2.0) makes of a function's result. */
export function fromApiGatewayResult(result: APIGatewayProxyResultV2<unknown>): HttpResponseParts {
  if (isDict(result) && typeof result.statusCode === 'number') {
    const headers: Record<string, string> = {};
    if (isDict(result.headers)) {
      for (const [name, value] of Object.entries(result.headers)) {
        if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
      }
    }
    const cookies = Array.isArray(result.cookies) ? result.cookies.map(String) : [];
    const text = typeof result.body === 'string' ? result.body : '';
    return {
      statusCode: result.statusCode,
      headers,
      body: result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
      cookies,
    };
  }
  // No statusCode: API Gateway assumes 200, application/json, not base64, and the result itself is the body —
  // a string as it is, anything else as its JSON.
  const body = typeof result === 'string' ? result : (JSON.stringify(result ?? null) ?? 'null');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(body, 'utf8'),
    cookies: [],
  };
}
