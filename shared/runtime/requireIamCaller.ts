/**
 * Middy middleware for the IAM-authorised routes: body size limit first (413), then the caller API Gateway proved.
 * API Gateway has already checked the SigV4 signature before the function runs (`authorizer: { type: aws_iam }`); a
 * request without an IAM caller in its context can only come from a route deployed without that authorizer, and is
 * refused (403 `not_authenticated`) rather than trusted.
 */
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { assertBodyWithin } from './httpRequest';
import { jsonResponse } from './httpResponses';

/** The ARN API Gateway's IAM authorization put in the request context (payload format 2.0), if any. */
function callerArn(event: APIGatewayProxyEventV2): string | undefined {
  const context = event.requestContext as { authorizer?: { iam?: { userArn?: unknown } } };
  const arn = context.authorizer?.iam?.userArn;
  return typeof arn === 'string' && arn !== '' ? arn : undefined;
}

/** The approver a call to an IAM route speaks for: `iam:<caller ARN>` (canonicalised by the decide use case). */
export function iamCallerOf(event: APIGatewayProxyEventV2): string {
  const arn = callerArn(event);
  if (arn === undefined) throw new Error('no IAM caller in the request context');
  return `iam:${arn}`;
}

export function requireIamCaller(options: {
  maxBodyBytes: number;
}): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  return {
    before: async ({ event }) => {
      assertBodyWithin(event, options.maxBodyBytes);
      if (callerArn(event) === undefined) {
        return jsonResponse(403, {
          error: {
            code: 'not_authenticated',
            message: 'this route takes only SigV4-signed calls authorised by API Gateway (IAM authorization)',
          },
        });
      }
      return undefined;
    },
  };
}
