/**
 * The three AWS wire protocols the stand-ins speak, as the SDK v3 (de)serializers in @aws-sdk/core expect:
 * - awsJson1_0 / awsJson1_1: `POST /` with `X-Amz-Target: <Service>.<Operation>`, JSON body both ways,
 *   `Content-Type: application/x-amz-json-1.x`; an error is `{"__type": "<ShapeName>", "message": "…"}`
 *   with a 4xx/5xx status (the SDK reads `__type`, then `code`, then `x-amzn-errortype`).
 * - restJson1: method + path per operation, query string for GET members, JSON body otherwise (or the raw body, for
 *   an operation whose input is a blob payload); an error carries its shape name in the `x-amzn-errortype` header and
 *   `{"message": "…"}` in the body.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../readRequestBody';
import type { AwsError } from './awsError';
import { newUuid } from './awsIds';
import type { ServiceName } from './callLog';
import type { Input } from './inputFields';
import type { StandinService } from './standinService';

export type WireProtocol = 'awsJson1_0' | 'awsJson1_1' | 'restJson1';

export interface WireRoute {
  service: ServiceName;
  operation: string;
  protocol: WireProtocol;
  /** restJson1 members bound to the path (`{CallbackId}`), URL-decoded. */
  pathMembers?: Record<string, string>;
  /** restJson1: the member the raw body is bound to, when the body is a payload rather than JSON. */
  payload?: string;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Finds the service and operation a request is for, among `services`, or undefined when it matches nothing. */
export function resolveRoute(
  services: readonly StandinService[],
  request: IncomingMessage,
  url: URL,
): WireRoute | undefined {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', operation = ''] = target.split('.');
    for (const { service, wire } of services) {
      if (wire.protocol !== 'restJson1' && wire.targetPrefix === prefix) {
        return { service, operation, protocol: wire.protocol };
      }
    }
    return undefined;
  }
  for (const { service, wire } of services) {
    if (wire.protocol !== 'restJson1') continue;
    for (const route of wire.routes) {
      if (route.method !== request.method) continue;
      const pathMembers = matchPath(route.path, url.pathname);
      if (pathMembers) {
        const payload = route.payload === undefined ? {} : { payload: route.payload };
        return { service, operation: route.operation, protocol: 'restJson1', pathMembers, ...payload };
      }
    }
  }
  return undefined;
}

/** `/a/{Id}/b` against `/a/x%2By/b` → `{Id: 'x+y'}`; undefined when the path does not match. */
function matchPath(pattern: string, pathname: string): Record<string, string> | undefined {
  const patternParts = pattern.split('/');
  const parts = pathname.split('/');
  if (patternParts.length !== parts.length) return undefined;
  const members: Record<string, string> = {};
  for (const [index, part] of patternParts.entries()) {
    const actual = parts[index] ?? '';
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name === undefined) {
      if (part !== actual) return undefined;
    } else {
      if (actual === '') return undefined;
      try {
        members[name] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    }
  }
  return members;
}

/** Reads the body as text; rejects bodies over 2 MiB. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const body = await readRequestBody(request, MAX_BODY_BYTES, () => new Error('Request body too large'));
  return body.toString('utf8');
}

/**
 * The operation input: query members for restJson1 GET, the raw body as the route's payload member (absent when the
 * body is empty), else the JSON body (an empty body is `{}`).
 */
export function parseInput(route: WireRoute, method: string | undefined, url: URL, body: string): Input {
  if (route.protocol === 'restJson1' && method === 'GET') {
    return { ...Object.fromEntries(url.searchParams), ...route.pathMembers };
  }
  if (route.payload !== undefined) return { ...(body === '' ? {} : { [route.payload]: body }), ...route.pathMembers };
  const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('Body is not an object');
  return { ...(parsed as Input), ...route.pathMembers };
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
