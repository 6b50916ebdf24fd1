/**
 * The record of a wait Greenlight refused (invalid request, nobody eligible): an approval item closed at once as
 * `cancelled`, carrying the refusal. Written with the same conditional create as a capture, so of a refusal and a
 * valid capture of one wait only one wins, and the workflow is answered by the winner alone.
 */
import { type Approval, openApproval, type Refusal, type WaitingItem } from './approval';
import { transition } from './approvalStateMachine';

export function refusedApproval(
  wait: Pick<WaitingItem, 'source' | 'naturalKey' | 'sourceRef' | 'workflowRef'> & { title?: string },
  refusal: Omit<Refusal, 'answered'>,
  now: Date,
  /** The source's default wait: how long the record is kept like an approval of that wait. */
  defaultTimeoutSeconds: number,
): Approval {
  // Only what identifies the wait (and its title): nothing the request asked for (approvers, quorum, context) is
  // kept, so a refused request names nobody.
  const opened = openApproval(
    {
      source: wait.source,
      naturalKey: wait.naturalKey,
      sourceRef: wait.sourceRef,
      workflowRef: wait.workflowRef,
      title: wait.title ?? `Refused ${wait.source} request`,
    },
    now,
    defaultTimeoutSeconds,
  );
  const reason = `refused (${refusal.error}): ${refusal.reason}`;
  return {
    ...transition(opened, 'cancelled', { at: now, by: 'greenlight', reason }),
    closedReason: reason,
    refusal: { ...refusal, answered: false },
  };
}
