/**
 * The signed REST API (`/v1`, see shared/channels/rest/openapi.yaml): read approvals and decide on them.
 * Every request carries X-Greenlight-Signature, signed by a client the policy declares (`clients`) with its own
 * secret; a decision is the client's own (`client:<name>`) or, inside its `actsFor`, the named approver's, recorded
 * `via` the client. Errors are the documented `{"error": {code, message}}`.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { decideApproval } from '../shared/app/decideApproval';
import { identityField } from '../shared/domain/identityField';
import { clientDecider, policyClient } from '../shared/domain/restClients';
import * as z from '../shared/domain/zodMini';
import { approvalIdOf, approvalReadRoutes, idempotencyKeyOf } from '../shared/runtime/approvalReads';
import { createDecisionDependencies } from '../shared/runtime/decisionDependencies';
import { jsonErrorResponses } from '../shared/runtime/httpErrorMiddlewares';
import { parseJsonBody } from '../shared/runtime/httpRequest';
import { decisionResponse } from '../shared/runtime/httpResponses';
import { logger } from '../shared/runtime/logger';
import { policyDocument } from '../shared/runtime/policy';
import { requireRestSignature, restClientOf } from '../shared/runtime/requireRestSignature';
import { routeHandler } from '../shared/runtime/routeHandler';
import { restClientSecrets } from '../shared/runtime/secrets';

const dependencies = createDecisionDependencies();
export const MAX_BODY_BYTES = 64 * 1024;

const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  /** Absent: the client decides as itself (`client:<name>`). */
  approver: z.optional(identityField),
  comment: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
});

/** A client's secrets: only for clients the policy declares (any other keyId is unknown without a look-up). */
async function clientSecrets(client: string): Promise<readonly string[] | undefined> {
  if (policyClient(policyDocument, client) === undefined) return undefined;
  const secrets = await restClientSecrets(client);
  if (secrets === undefined) logger.warn('the policy declares a REST client that has no secret parameter', { client });
  return secrets;
}

const routes = [
  ...approvalReadRoutes(dependencies.store, '/v1'),
  {
    method: 'POST' as const,
    path: '/v1/approvals/{id}/decision',
    handler: async (event: APIGatewayProxyEventV2) => {
      const body = parseJsonBody(event, decisionBody);
      const approvalId = approvalIdOf(event);
      // The client decides as itself, or for the approver it names when its actsFor allows (403 otherwise).
      const decider = clientDecider(restClientOf(event), body.approver, policyDocument);
      const { approval } = await decideApproval(dependencies, {
        approvalId,
        channel: 'rest',
        decision: body.decision,
        ...decider,
        ...(body.comment ? { comment: body.comment } : {}),
        ...idempotencyKeyOf(event),
      });
      return decisionResponse(approval);
    },
  },
];

export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(jsonErrorResponses(logger))
  .use(requireRestSignature({ clientSecrets, clock: dependencies.clock, maxBodyBytes: MAX_BODY_BYTES, log: logger }))
  .handler(routeHandler(routes));
