/** Middy middleware for the REST API: body size limit first (413), then the X-Greenlight-Signature check (401). */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Clock } from '../app/ports';
import { SIGNATURE_HEADER, verifyRestSignature } from '../channels/restSignature';
import { assertBodyWithin, pathWithQuery, rawBody } from './httpRequest';

export function requireRestSignature(options: {
  secrets: () => Promise<readonly string[]>;
  clock: Clock;
  maxBodyBytes: number;
}): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: async ({ event }) => {
      assertBodyWithin(event, options.maxBodyBytes);
      verifyRestSignature(await options.secrets(), event.headers?.[SIGNATURE_HEADER], {
        method: event.requestContext.http.method,
        pathWithQuery: pathWithQuery(event),
        body: rawBody(event),
        now: options.clock.now(),
      });
    },
  };
}
