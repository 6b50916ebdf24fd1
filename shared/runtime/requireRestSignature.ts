/**
 * Middy middleware for the REST API: body size limit first (413), then the X-Greenlight-Signature check (401), which
 * establishes the caller: the client whose own secret signed the request. Routes read it with `restClientOf(event)`.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Clock, Log } from '../app/ports';
import { InvalidSignatureError } from '../channels/errors';
import { authenticateRestRequest, SIGNATURE_HEADER } from '../channels/restSignature';
import { clientIdentity } from '../domain/restClients';
import { assertBodyWithin, pathWithQuery, rawBody } from './httpRequest';

/**
 * The caller of each request that passed the check (`client:<name>`), kept beside the event rather than in it: nothing
 * a request carries can set it.
 */
const callers = new WeakMap<APIGatewayProxyEventV2, string>();

/** The client (`client:<name>`) that signed this request; throws when the signature middleware did not run. */
export function restClientOf(event: APIGatewayProxyEventV2): string {
  const caller = callers.get(event);
  if (caller === undefined) throw new Error('the REST signature middleware did not establish the caller');
  return caller;
}

export function requireRestSignature(options: {
  /**
   * The secrets of a client by name: undefined when the policy declares no such client, or it has no secret. Only
   * well-formed client names are asked for.
   */
  clientSecrets: (client: string) => Promise<readonly string[] | undefined>;
  clock: Clock;
  maxBodyBytes: number;
  log?: Log;
}): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: async ({ event }) => {
      assertBodyWithin(event, options.maxBodyBytes);
      const header = event.headers?.[SIGNATURE_HEADER];
      try {
        const client = await authenticateRestRequest(
          header,
          {
            method: event.requestContext.http.method,
            pathWithQuery: pathWithQuery(event),
            body: rawBody(event),
            now: options.clock.now(),
          },
          options.clientSecrets,
        );
        callers.set(event, clientIdentity(client));
      } catch (error) {
        // The caller hears one message for an unknown client, a wrong secret and a stale timestamp; the log says which.
        if (error instanceof InvalidSignatureError) {
          options.log?.info('rest signature refused', { reason: error.reason, keyId: claimedKeyId(header) });
        }
        throw error;
      }
    },
  };
}

/** The keyId a refused header claims, when it is a well-formed client name (never anything else from the header). */
function claimedKeyId(header: string | undefined): string | undefined {
  const match = /(?:^|,)\s*keyId=([a-z0-9][a-z0-9._-]{0,63})\s*(?:,|$)/.exec(header?.slice(0, 1024) ?? '');
  return match?.[1];
}
