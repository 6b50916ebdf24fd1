import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Approval, toPublicApproval } from '../domain/approval';

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/**
 * What a decision request gets back: 200 with the approval (vote recorded, or decided and answered), 202 while the
 * answer to the workflow is still being delivered, 409 `workflow_not_waiting` when the source refused it for good.
 */
/** 409 when the source refused the answer for good, 202 while it is still being delivered, otherwise 200. */
export function decisionStatusCode(approval: Pick<Approval, 'status'>): 200 | 202 | 409 {
  if (approval.status === 'failed') return 409;
  return approval.status === 'resuming' ? 202 : 200;
}

export function decisionResponse(approval: Approval): APIGatewayProxyStructuredResultV2 {
  const statusCode = decisionStatusCode(approval);
  if (statusCode === 409) {
    return jsonResponse(409, {
      error: {
        code: 'workflow_not_waiting',
        message: `the decision was recorded but the workflow no longer waits for it: ${approval.closedReason ?? 'refused by the source'}`,
      },
    });
  }
  return jsonResponse(statusCode, toPublicApproval(approval));
}
