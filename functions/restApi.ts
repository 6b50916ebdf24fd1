/**
 * The signed REST API (`/v1`, see shared/channels/rest/openapi.yaml): read approvals and decide on them.
 * Every request carries X-Greenlight-Signature; errors are the documented `{"error": {code, message}}`.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpRouterHandler from '@middy/http-router';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { decideApproval } from '../shared/app/decideApproval';
import { APPROVAL_ID_PATTERN, toPublicApproval } from '../shared/domain/approval';
import { ApprovalNotFoundError } from '../shared/domain/errors';
import { identitySchema } from '../shared/domain/identitySchema';
import { createDecisionDependencies } from '../shared/runtime/decisionDependencies';
import { RouteNotFoundError } from '../shared/runtime/errors';
import { jsonErrorResponses } from '../shared/runtime/httpErrorMiddlewares';
import { parseJsonBody, parseWith } from '../shared/runtime/httpRequest';
import { decisionResponse, jsonResponse } from '../shared/runtime/httpResponses';
import { logger } from '../shared/runtime/logger';
import { requireRestSignature } from '../shared/runtime/requireRestSignature';
import { restSigningSecrets } from '../shared/runtime/secrets';

const dependencies = createDecisionDependencies();
export const MAX_BODY_BYTES = 64 * 1024;

const decisionBody = z
  .object({
    decision: z.enum(['approve', 'reject']),
    approver: identitySchema,
    comment: z.string().trim().max(1000).optional(),
  })
  .strict();
const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');
const listQuery = z
  .object({
    status: z.enum(['pending', 'resuming']).default('pending'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .strict();

/** A malformed id cannot name an approval: answered like an unknown one. */
function approvalIdOf(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.id ?? '';
  if (!APPROVAL_ID_PATTERN.test(id)) throw new ApprovalNotFoundError(id.slice(0, 64));
  return id;
}

const routes = [
  {
    method: 'GET' as const,
    path: '/v1/approvals',
    handler: async (event: APIGatewayProxyEventV2) => {
      const query = parseWith(listQuery, event.queryStringParameters ?? {}, ['query']);
      const page = await dependencies.store.listOpen(query);
      return jsonResponse(200, {
        items: page.items.map(toPublicApproval),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      });
    },
  },
  {
    method: 'GET' as const,
    path: '/v1/approvals/{id}',
    handler: async (event: APIGatewayProxyEventV2) => {
      const id = approvalIdOf(event);
      const approval = await dependencies.store.get(id);
      if (!approval) throw new ApprovalNotFoundError(id);
      return jsonResponse(200, toPublicApproval(approval));
    },
  },
  {
    method: 'POST' as const,
    path: '/v1/approvals/{id}/decision',
    handler: async (event: APIGatewayProxyEventV2) => {
      const body = parseJsonBody(event, decisionBody);
      const key = event.headers?.['idempotency-key'];
      const approvalId = approvalIdOf(event);
      const { approval } = await decideApproval(dependencies, {
        approvalId,
        channel: 'rest',
        decision: body.decision,
        approver: body.approver,
        ...(body.comment ? { comment: body.comment } : {}),
        ...(key === undefined ? {} : { idempotencyKey: parseWith(idempotencyKey, key, ['Idempotency-Key']) }),
      });
      return decisionResponse(approval);
    },
  },
];

export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(jsonErrorResponses(logger))
  .use(requireRestSignature({ secrets: restSigningSecrets, clock: dependencies.clock, maxBodyBytes: MAX_BODY_BYTES }))
  .handler(
    httpRouterHandler({
      routes,
      notFoundResponse: ({ method, path }) => {
        throw new RouteNotFoundError(method, path);
      },
    }),
  );
