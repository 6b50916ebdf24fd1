/**
 * The three AWS wire protocols the stand-ins speak, as the SDK v3 (de)serializers in @aws-sdk/core expect:
 * - awsJson1_0 / awsJson1_1: `POST /` with `X-Amz-Target: <Service>.<Operation>`, JSON body both ways,
 *   `Content-Type: application/x-amz-json-1.x`; an error is `{"__type": "<ShapeName>", "message": "…"}`
 *   with a 4xx/5xx status (the SDK reads `__type`, then `code`, then `x-amzn-errortype`).
 * - restJson1: method + path per operation, query string for GET members, JSON body otherwise; an error
 *   carries its shape name in the `x-amzn-errortype` header and `{"message": "…"}` in the body.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../readRequestBody';
import type { AwsError } from './awsError';
import { newUuid } from './awsIds';
import type { ServiceName } from './callLog';
import { IMAGE_BUILDER_ROUTES } from './imageBuilderStandin';
import type { Input } from './inputFields';
import { SES_ROUTES } from './sesStandin';

export type WireProtocol = 'awsJson1_0' | 'awsJson1_1' | 'restJson1';

export interface WireRoute {
  service: ServiceName;
  operation: string;
  protocol: WireProtocol;
}

const JSON_RPC_TARGETS: Record<string, { service: ServiceName; protocol: WireProtocol }> = {
  AWSStepFunctions: { service: 'sfn', protocol: 'awsJson1_0' },
  AmazonSSM: { service: 'ssm', protocol: 'awsJson1_1' },
  AWSEvents: { service: 'eventbridge', protocol: 'awsJson1_1' },
};

/** restJson1 operations: method + path → service and operation. */
const REST_ROUTES: { service: ServiceName; method: string; path: string; operation: string }[] = [
  ...IMAGE_BUILDER_ROUTES.map((route) => ({ service: 'imagebuilder' as const, ...route })),
  ...SES_ROUTES.map((route) => ({ service: 'sesv2' as const, ...route })),
];

const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Finds the service and operation a request is for, or undefined when it matches nothing. */
export function resolveRoute(request: IncomingMessage, url: URL): WireRoute | undefined {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', operation = ''] = target.split('.');
    const known = JSON_RPC_TARGETS[prefix];
    return known ? { ...known, operation } : undefined;
  }
  const route = REST_ROUTES.find((entry) => entry.method === request.method && entry.path === url.pathname);
  return route ? { service: route.service, operation: route.operation, protocol: 'restJson1' } : undefined;
}

/** Reads the body as text; rejects bodies over 2 MiB. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const body = await readRequestBody(request, MAX_BODY_BYTES, () => new Error('Request body too large'));
  return body.toString('utf8');
}

/** The operation input: query members for restJson1 GET, else the JSON body (an empty body is `{}`). */
export function parseInput(route: WireRoute, method: string | undefined, url: URL, body: string): Input {
  if (route.protocol === 'restJson1' && method === 'GET') return Object.fromEntries(url.searchParams);
  const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('Body is not an object');
  return parsed as Input;
}

export function sendOutput(response: ServerResponse, protocol: WireProtocol, output: unknown): void {
  send(response, 200, contentType(protocol), JSON.stringify(output ?? {}));
}

export function sendError(response: ServerResponse, protocol: WireProtocol, error: AwsError): void {
  if (protocol === 'restJson1') {
    response.setHeader('x-amzn-errortype', error.errorName);
    send(response, error.status, contentType(protocol), JSON.stringify({ message: error.message }));
    return;
  }
  // `message` and `Message` both: SFN/EventBridge model the member lower-case, most SSM errors upper-case.
  const body = { __type: error.errorName, message: error.message, Message: error.message };
  send(response, error.status, contentType(protocol), JSON.stringify(body));
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json', `${JSON.stringify(value, null, 2)}\n`);
}

function contentType(protocol: WireProtocol): string {
  if (protocol === 'awsJson1_0') return 'application/x-amz-json-1.0';
  if (protocol === 'awsJson1_1') return 'application/x-amz-json-1.1';
  return 'application/json';
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': newUuid(),
  });
  response.end(body);
}
