/**
 * Review links from Slack and email. GET renders the review page and never decides (mail scanners pre-fetch links);
 * only the page's POST records a decision, as the identity the link was issued to, and only when the browser shows it
 * was posted by that page (`Origin` = the public base URL's origin, or `Sec-Fetch-Site: same-origin`).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { decideApproval } from '../shared/app/decideApproval';
import { InvalidReviewLinkError } from '../shared/channels/errors';
import { verifyReviewLinkToken } from '../shared/channels/reviewLinks';
import { decisionMessage, renderDecisionResultPage, renderReviewPage } from '../shared/channels/reviewPages';
import { assertPostedFromReviewPage } from '../shared/channels/reviewPostOrigin';
import { APPROVAL_ID_PATTERN, toPublicApproval } from '../shared/domain/approval';
import { ApprovalNotFoundError } from '../shared/domain/errors';
import * as z from '../shared/domain/zodMini';
import { createDecisionDependencies } from '../shared/runtime/decisionDependencies';
import { htmlErrorPages } from '../shared/runtime/httpErrorMiddlewares';
import { assertBodyWithin, parseFormBody } from '../shared/runtime/httpRequest';
import { decisionStatusCode } from '../shared/runtime/httpResponses';
import { logger } from '../shared/runtime/logger';
import { policyDocument } from '../shared/runtime/policy';
import { routeHandler } from '../shared/runtime/routeHandler';
import { reviewLinkKeys } from '../shared/runtime/secrets';
import { consoleLinksFor } from '../shared/sources/sourcePresentations';

const dependencies = createDecisionDependencies();
const MAX_BODY_BYTES = 64 * 1024;
const region = process.env.AWS_REGION ?? 'us-east-1';
/** Where the review pages are served (the HTTP API's endpoint, as in the links notify sends). */
const publicBaseUrl = process.env.PUBLIC_BASE_URL || undefined;

const linkToken = z.string().check(z.minLength(1), z.maxLength(2048));
const linkQuery = z.object({ t: linkToken });
const people = {
  people: policyDocument.people,
  identityCenterAccounts: policyDocument.identities?.identityCenterAccounts ?? [],
};

/** The link's token; a URL without one (cut short when pasted) is an unusable link, not a validation error. */
function tokenOf(event: APIGatewayProxyEventV2): string {
  const query = linkQuery.safeParse(event.queryStringParameters ?? {});
  if (!query.success) throw new InvalidReviewLinkError('malformed');
  return query.data.t;
}
const decisionForm = z.object({
  t: linkToken,
  decision: z.enum(['approve', 'reject']),
  comment: z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(1000))),
    z.transform((comment: string | undefined) => comment || undefined),
  ),
});

/** The approval id from the path and the identity the link in hand was issued for it. */
async function reviewerOf(event: APIGatewayProxyEventV2, token: string) {
  const approvalId = event.pathParameters?.id ?? '';
  if (!APPROVAL_ID_PATTERN.test(approvalId)) throw new ApprovalNotFoundError(approvalId.slice(0, 64));
  const claims = verifyReviewLinkToken(await reviewLinkKeys(), token, { approvalId, now: dependencies.clock.now() });
  return { approvalId, approver: claims.approver };
}

const routes = [
  {
    method: 'GET' as const,
    path: '/review/{id}',
    handler: async (event: APIGatewayProxyEventV2) => {
      const token = tokenOf(event);
      const { approvalId, approver } = await reviewerOf(event, token);
      const approval = await dependencies.store.get(approvalId);
      if (!approval) throw new ApprovalNotFoundError(approvalId);
      const shown = toPublicApproval(approval);
      return renderReviewPage({
        approval: shown,
        approver,
        token,
        now: dependencies.clock.now(),
        consoleLinks: consoleLinksFor(shown, region),
        // The token stays in the URL the form posts to, so reopening the page after deciding shows the approval.
        formAction: `/review/${approvalId}?t=${encodeURIComponent(token)}`,
        people,
      });
    },
  },
  {
    method: 'POST' as const,
    path: '/review/{id}',
    handler: async (event: APIGatewayProxyEventV2) => {
      assertPostedFromReviewPage(event.headers ?? {}, publicBaseUrl);
      assertBodyWithin(event, MAX_BODY_BYTES);
      const form = parseFormBody(event, decisionForm);
      const { approvalId, approver } = await reviewerOf(event, form.t);
      const { approval } = await decideApproval(dependencies, {
        approvalId,
        approver,
        channel: 'review-link',
        decision: form.decision,
        ...(form.comment ? { comment: form.comment } : {}),
      });
      const shown = toPublicApproval(approval);
      return renderDecisionResultPage({
        approval: shown,
        message: decisionMessage(approval),
        statusCode: decisionStatusCode(approval),
        viewer: approver,
        now: dependencies.clock.now(),
        consoleLinks: consoleLinksFor(shown, region),
        people,
      });
    },
  },
];

export const handler = middy<APIGatewayProxyEventV2>()
  .use(injectLambdaContext(logger))
  .use(httpHeaderNormalizer())
  .use(htmlErrorPages(logger))
  .handler(routeHandler(routes));
