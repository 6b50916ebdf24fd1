/**
 * An `Approval Decision` event from automation: decided through the same use case as every other channel. A refusal
 * by the policy is final (logged and announced as not applied), so it is not retried.
 */
import { isDecisionRefusal } from '../domain/errors';
import { type DecideDependencies, type DecisionRequest, decideApproval } from './decideApproval';

export type DecisionEventOutcome =
  | { applied: true; approvalId: string; status: string }
  | { applied: false; approvalId: string; code: string; reason: string };

export async function applyDecisionEvent(
  deps: DecideDependencies,
  request: Omit<DecisionRequest, 'channel'>,
): Promise<DecisionEventOutcome> {
  try {
    const { approval } = await decideApproval(deps, { ...request, channel: 'eventbridge' });
    return { applied: true, approvalId: approval.id, status: approval.status };
  } catch (error) {
    if (!isDecisionRefusal(error)) throw error; // transient or unknown: let Lambda retry
    deps.log.warn('decision event refused', { approvalId: request.approvalId, refusal: error.name });
    return { applied: false, approvalId: request.approvalId, code: error.name, reason: error.message };
  }
}
