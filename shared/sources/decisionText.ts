/** The human sentence the answer carries into the source's own audit field (Image Builder reason, SSM Comment). */
import type { RefusalRequest, ResumeRequest } from '../app/sourcePorts';

/**
 * E.g. `Approved by email:alice@example.com via rest at 2025-03-04T12:00:00.000Z: looks good`, or for an expiry
 * `Expired without a decision at …, stopped as the policy says` (the source's own verb for the answer). Only stored
 * facts go in (never the attempt or the current time), so every retry sends the same text.
 */
export function decisionText(request: ResumeRequest, answerVerbs: { approve: string; reject: string }): string {
  const headline =
    request.outcome === 'expired'
      ? `Expired without a decision at ${request.decidedAt}, ${answerVerbs[request.answer]} as the policy says`
      : `${request.outcome === 'approved' ? 'Approved' : 'Rejected'} by ${request.decidedBy.join(', ') || 'Greenlight'} via ${request.channel} at ${request.decidedAt}`;
  return request.comment ? `${headline}: ${request.comment}` : headline;
}

/** E.g. `Refused by Greenlight (Greenlight.NoEligibleApprovers): no policy rule covers this ssm workflow`. */
export function refusalText(request: RefusalRequest): string {
  return `Refused by Greenlight (${request.error}): ${request.reason}`;
}
