import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsError } from './awsError';
import { parseInput, readBody, resolveRoute, sendError, sendJson, sendOutput, type WireRoute } from './awsWire';
import type { CallLog, RecordedCall, ServiceName } from './callLog';
import { defaultFaultErrorName, type FaultInjector } from './faultInjector';
import type { StandinService } from './standinService';

export interface StandinServerParts {
  services: Record<ServiceName, StandinService>;
  calls: CallLog;
  faults: FaultInjector;
  now: () => Date;
  /** What `GET /__standins/state` shows. */
  inspectState: () => unknown;
}

/**
 * One node:http server for every stand-in: dispatches on `X-Amz-Target` (awsJson) or the restJson1
 * method + path, records each call, applies injected faults, and encodes answers and errors.
 * `GET /__standins/calls` and `GET /__standins/state` show the call log and the state as JSON.
 */
export function createStandinServer(parts: StandinServerParts): Server {
  return createServer((request, response) => {
    handleRequest(parts, request, response).catch((error: unknown) => {
      console.error('[aws-standins] unexpected failure:', error);
      if (!response.headersSent) sendJson(response, 500, { message: 'stand-in failure' });
      else response.destroy();
    });
  });
}

async function handleRequest(parts: StandinServerParts, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method === 'GET' && url.pathname === '/__standins/calls')
    return sendJson(response, 200, parts.calls.calls);
  if (request.method === 'GET' && url.pathname === '/__standins/state')
    return sendJson(response, 200, parts.inspectState());

  const route = resolveRoute(Object.values(parts.services), request, url);
  const service = route ? parts.services[route.service] : undefined;
  if (!route || !service?.operations.includes(route.operation)) {
    const protocol = route?.protocol ?? 'restJson1';
    const what = request.headers['x-amz-target'] ?? `${request.method} ${url.pathname}`;
    const status = route ? 400 : 404;
    return sendError(
      response,
      protocol,
      new AwsError('UnknownOperationException', `Unknown operation ${what}`, status),
    );
  }

  const call = parts.calls.record({
    service: route.service,
    operation: route.operation,
    input: undefined,
    at: parts.now().toISOString(),
  });
  let input: Record<string, unknown>;
  try {
    input = parseInput(route, request.method, url, await readBody(request));
    call.input = input;
  } catch (error) {
    return answerError(response, route, call, new AwsError('SerializationException', String(error), 400));
  }

  const fault = parts.faults.take(route.service, route.operation);
  if (fault && 'status' in fault) {
    const name = fault.errorName ?? defaultFaultErrorName(route.service, fault.status);
    return answerError(response, route, call, new AwsError(name, `Injected fault: ${name}`, fault.status));
  }
  if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
  const drop = fault && 'drop' in fault ? fault : undefined;
  if (drop && !drop.afterApply) return dropConnection(request, call);

  try {
    call.output = await service.handle(route.operation, input, callerOf(request));
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    return answerError(response, route, call, error);
  }
  if (drop) return dropConnection(request, call);
  sendOutput(response, route.protocol, call.output);
}

function answerError(response: ServerResponse, route: WireRoute, call: RecordedCall, error: AwsError): void {
  call.error = { name: error.errorName, message: error.message };
  sendError(response, route.protocol, error);
}

function dropConnection(request: IncomingMessage, call: RecordedCall): void {
  call.error = { name: 'ConnectionDropped', message: 'Injected fault: connection closed without an answer' };
  request.socket.destroy();
}

/** The access key id from the SigV4 `Authorization` header (signatures are not checked). */
function callerOf(request: IncomingMessage): string {
  return /Credential=([^/,\s]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? 'anonymous';
}
