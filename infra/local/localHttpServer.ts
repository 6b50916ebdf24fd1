/**
 * The local stack's HTTP front door for people: a page listing open approvals, the same as JSON, and an endpoint
 * that injects an event (used by `npm run event`). Nothing here shows a task token: it renders public views only.
 */

import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OPEN_STATUSES, type PublicApproval, toPublicApproval } from '../../shared/domain/approval';
import type { ApprovalStore } from '../../shared/store/approvalStore';
import { fromApiGatewayResult, toApiGatewayEvent } from './apiGatewayEvent';
import type { EventBusKind } from './eventRules';
import { loadHttpApiRoutes, matchHttpApiRoute } from './httpApiRoutes';
import { authorizeIamRequest, type LocalIamUsers, signedRequestHeaders } from './iamAuthorization';
import type { LocalEventBus } from './localEventBus';
import type { LocalFunctions } from './localFunctions';
import { type OutboxSources, renderOutboxPage, sendOutboxInteraction } from './localOutbox';
import { readRequestBody } from './readRequestBody';

const MAX_EVENT_BYTES = 256 * 1024; // EventBridge's own limit for an event
const MAX_API_BODY_BYTES = 10 * 1024 * 1024; // API Gateway HTTP API's payload limit; the functions enforce their own

interface LocalHttpServerOptions {
  port: number;
  store: ApprovalStore;
  publish: (event: unknown, bus?: EventBusKind) => ReturnType<LocalEventBus['publish']>;
  functions: LocalFunctions;
  outbox: OutboxSources;
  /** The IAM users whose SigV4 signatures the `aws_iam` routes accept. */
  iamUsers?: LocalIamUsers;
  /** Before an injected event is delivered: the stand-ins hold the wait it announces (as AWS would). */
  adoptAnnouncedWait?: (event: unknown) => void;
}

export async function listOpenApprovals(store: ApprovalStore): Promise<PublicApproval[]> {
  const approvals: PublicApproval[] = [];
  for (const status of OPEN_STATUSES) {
    let cursor: string | undefined;
    do {
      const page = await store.listOpen({ status, limit: 100, ...(cursor ? { cursor } : {}) });
      approvals.push(...page.items.map(toPublicApproval));
      cursor = page.nextCursor;
    } while (cursor);
  }
  return approvals;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function renderApprovalsPage(approvals: PublicApproval[]): string {
  const rows = approvals
    .map(
      (approval) =>
        `<tr><td>${escapeHtml(approval.source)}</td><td><code>${escapeHtml(approval.id)}</code></td>` +
        `<td>${escapeHtml(approval.title)}</td><td>${escapeHtml(approval.status)}</td>` +
        `<td>${escapeHtml(approval.approvers.join(', ') || '(policy)')}</td><td>${escapeHtml(approval.expiresAt)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Greenlight (local)</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4rem .6rem;text-align:left}</style>
</head><body><h1>Greenlight — open approvals (${approvals.length})</h1>
<table><thead><tr><th>Source</th><th>Id</th><th>Title</th><th>Status</th><th>Approvers</th><th>Expires</th></tr></thead>
<tbody>${rows}</tbody></table>
<p>JSON: <a href="/local/approvals">/local/approvals</a> · What was sent to Slack and by e-mail: <a href="/local/outbox">outbox</a></p></body></html>`;
}

function readBody(request: IncomingMessage, limit = MAX_EVENT_BYTES): Promise<Buffer> {
  return readRequestBody(request, limit, () => new HttpError(413, `the request body is larger than ${limit} bytes`));
}

/** API Gateway HTTP API in front of the functions serverless.yml routes there (payload format 2.0). */
async function serveHttpApi(
  functions: LocalFunctions,
  routes: ReturnType<typeof loadHttpApiRoutes>,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  iamUsers: LocalIamUsers = { users: [] },
): Promise<boolean> {
  const match = matchHttpApiRoute(routes, request.method ?? 'GET', url.pathname);
  if (!match) return false;
  const body = await readBody(request, MAX_API_BODY_BYTES);
  // IAM-authorised routes: the gateway checks the SigV4 signature and answers 403 itself, before any function runs.
  const iam =
    match.route.authorization === 'AWS_IAM'
      ? await authorizeIamRequest(
          {
            method: request.method ?? 'GET',
            url: request.url ?? '/',
            headers: signedRequestHeaders(request.rawHeaders),
            body,
          },
          iamUsers,
        )
      : undefined;
  if (iam && !iam.ok) {
    response.writeHead(iam.statusCode, { 'content-type': 'application/json', 'x-amzn-errortype': iam.errorType });
    response.end(JSON.stringify({ message: iam.message }));
    return true;
  }
  const event = toApiGatewayEvent(
    {
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
      rawHeaders: request.rawHeaders,
      body,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      httpVersion: request.httpVersion,
    },
    match.route,
    match.pathParameters,
    iam?.ok ? { authorizer: { ...iam.authorizer } } : {},
  );
  const result = fromApiGatewayResult((await functions.invoke(match.route.functionName, event)) as never);
  response.writeHead(result.statusCode, {
    ...result.headers,
    ...(result.cookies.length > 0 ? { 'set-cookie': result.cookies } : {}),
  });
  response.end(result.body);
  return true;
}

class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(response: ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  response.writeHead(status, { 'content-type': `${contentType}; charset=utf-8` });
  response.end(typeof body === 'string' ? body : JSON.stringify(body, null, 2));
}

async function injectEvent(options: LocalHttpServerOptions, request: IncomingMessage, url: URL): Promise<unknown> {
  let event: unknown;
  try {
    event = JSON.parse((await readBody(request)).toString('utf8'));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'the body is not JSON');
  }
  options.adoptAnnouncedWait?.(event);
  const isEnvelope = typeof event === 'object' && event !== null && 'detail-type' in event;
  if (!isEnvelope) {
    // A Step Functions lambda:invoke.waitForTaskToken payload: a synchronous invocation of capture.
    try {
      return { invoked: 'capture', result: await options.functions.invoke('capture', event) };
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      return { invoked: 'capture', error: { name: failure.name, message: failure.message } };
    }
  }
  const bus = url.searchParams.get('bus');
  if (bus !== null && bus !== 'default' && bus !== 'custom' && bus !== 'decisions') {
    throw new HttpError(400, 'bus must be default, custom or decisions');
  }
  const deliveries = await options.publish(event, bus ?? undefined);
  return { deliveries };
}

export async function startLocalHttpServer(options: LocalHttpServerOptions) {
  const apiRoutes = loadHttpApiRoutes();
  const selfUrl = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      if (await serveHttpApi(options.functions, apiRoutes, request, response, url, options.iamUsers)) {
        // answered by a function, as API Gateway would
      } else if (request.method === 'GET' && url.pathname === '/') {
        send(response, 200, renderApprovalsPage(await listOpenApprovals(options.store)), 'text/html');
      } else if (request.method === 'GET' && url.pathname === '/local/approvals') {
        send(response, 200, { items: await listOpenApprovals(options.store) });
      } else if (request.method === 'GET' && url.pathname === '/local/outbox') {
        send(response, 200, renderOutboxPage(options.outbox, url.searchParams.get('notice') ?? undefined), 'text/html');
      } else if (request.method === 'POST' && url.pathname === '/local/outbox/slack') {
        const form = new URLSearchParams((await readBody(request)).toString('utf8'));
        const notice = await sendOutboxInteraction(options.outbox, selfUrl(), form);
        response.writeHead(303, { location: `/local/outbox?notice=${encodeURIComponent(notice)}` });
        response.end();
      } else if (request.method === 'POST' && url.pathname === '/local/events') {
        send(response, 200, await injectEvent(options, request, url));
      } else {
        send(response, 404, {
          error: { code: 'not_found', message: `no route for ${request.method} ${url.pathname}` },
        });
      }
    } catch (error) {
      if (error instanceof HttpError) {
        send(response, error.status, { error: { code: 'bad_request', message: error.message } });
      } else {
        console.error('local http server error', error);
        send(response, 500, { error: { code: 'internal', message: 'internal error' } });
      }
    }
  });
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
