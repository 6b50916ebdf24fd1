/**
 * The IAM-authenticated API (`/v1/iam`, see shared/channels/rest/openapi.yaml): the same reads and decisions as the
 * signed REST API, for people who call with their own AWS credentials (SigV4, e.g. `npx greenlight approve <id>`).
 * API Gateway checks the signature (routes with `authorizer: { type: aws_iam }`); the approver is the caller it proved,
 * `iam:<requestContext.authorizer.iam.userArn>`, never a value from the body: a body naming an `approver` is refused.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { decideApproval } from '../shared/app/decideApproval';
import * as z from '../shared/domain/zodMini';
import { approvalIdOf, approvalReadRoutes, idempotencyKeyOf } from '../shared/runtime/approvalReads';
import { createDecisionDependencies } from '../shared/runtime/decisionDependencies';
import { jsonErrorResponses } from '../shared/runtime/httpErrorMiddlewares';
import { parseJsonBody } from '../shared/runtime/httpRequest';
import { decisionResponse } from '../shared/runtime/httpResponses';
import { logger } from '../shared/runtime/logger';
import { iamCallerOf, requireIamCaller } from '../shared/runtime/requireIamCaller';
import { routeHandler } from '../shared/runtime/routeHandler';

const dependencies = createDecisionDependencies();
export const MAX_BODY_BYTES = 64 * 1024;

const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
  approver: z.optional(
    z.never({ error: 'the approver is the IAM caller who signed the request; leave it out of the body' }),
  ),
});

const routes = [
  ...approvalReadRoutes(dependencies.store, '/v1/iam'),
  {
    method: 'POST' as const,
    path: '/v1/iam/approvals/{id}/decision',
    handler: async (event: APIGatewayProxyEventV2) => {
      const body = parseJsonBody(event, decisionBody);
      const approvalId = approvalIdOf(event);
      const { approval } = await decideApproval(dependencies, {
        approvalId,
        channel: 'iam',
        decision: body.decision,
        approver: iamCallerOf(event),
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
  .use(requireIamCaller({ maxBodyBytes: MAX_BODY_BYTES }))
  .handler(routeHandler(routes));
