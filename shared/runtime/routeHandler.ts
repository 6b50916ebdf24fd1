import httpRouterHandler, { type Route } from '@middy/http-router';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { RouteNotFoundError } from './errors';

/** The HTTP functions' router: an unknown method or path is a RouteNotFoundError, which the error middleware maps. */
export function routeHandler<TResult extends APIGatewayProxyResultV2>(
  routes: Route<APIGatewayProxyEventV2, TResult>[],
) {
  return httpRouterHandler({
    routes,
    notFoundResponse: ({ method, path }) => {
      throw new RouteNotFoundError(method, path);
    },
  });
}
