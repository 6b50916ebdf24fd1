/**
 * An HTTP front door for the benchmark's bare functions that is the local stack's own: the same API Gateway HTTP API
 * adapter (payload format 2.0, infra/local/apiGatewayEvent.ts) and the same route matching
 * (infra/local/httpApiRoutes.ts). So a bare function and the real one differ only in what the function does.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { fromApiGatewayResult, toApiGatewayEvent } from '../../../infra/local/apiGatewayEvent';
import { type HttpApiRoute, matchHttpApiRoute } from '../../../infra/local/httpApiRoutes';
import { lambdaContext } from '../../../infra/local/lambdaContext';

export type BareHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface BareRoute {
  method: string;
  path: string;
  handler: BareHandler;
}

export async function startBareApi(bareRoutes: BareRoute[]): Promise<{ url: string; close(): Promise<void> }> {
  const routes: HttpApiRoute[] = bareRoutes.map((route, index) => ({
    functionName: `bare${index}`,
    handler: `bare${index}.handler`,
    method: route.method,
    path: route.path,
    routeKey: `${route.method} ${route.path}`,
  }));
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const match = matchHttpApiRoute(routes, request.method ?? 'GET', url.pathname);
      if (!match) {
        response.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const event = toApiGatewayEvent(
        {
          method: request.method ?? 'GET',
          url: request.url ?? '/',
          headers: request.headers,
          rawHeaders: request.rawHeaders,
          body: Buffer.concat(chunks),
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          httpVersion: request.httpVersion,
        },
        match.route,
        match.pathParameters,
      );
      const index = Number(match.route.functionName.slice(4));
      const handler = bareRoutes[index]?.handler as BareHandler;
      const result = fromApiGatewayResult(await handler(event, lambdaContext(match.route.functionName)));
      response.writeHead(result.statusCode, result.headers);
      response.end(result.body);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: String(error) }));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
