/**
 * The approval's life: pending → resuming → approved | rejected | expired | failed; pending → expired | cancelled.
 * `resuming` means "decided, the answer to the workflow is under way": whoever touches the item next finishes it.
 */
import type { Approval, ApprovalStatus, DecisionChannel } from './approval';
import { isOpen } from './approval';
import { InvalidTransitionError } from './errors';

export const ALLOWED_TRANSITIONS: Readonly<Record<ApprovalStatus, readonly ApprovalStatus[]>> = {
  pending: ['resuming', 'expired', 'cancelled'],
  // expired: the deadline passed and the workflow is being answered as the policy says
  resuming: ['approved', 'rejected', 'expired', 'failed'],
  approved: [],
  rejected: [],
  expired: [],
  cancelled: [],
  failed: [],
};

export function canTransition(from: ApprovalStatus, to: ApprovalStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

export interface TransitionDetails {
  at: Date;
  by?: string;
  channel?: DecisionChannel;
  reason?: string;
}

/** Returns the approval in its new status with the change recorded in its history; the input is not modified. */
export function transition(approval: Approval, to: ApprovalStatus, details: TransitionDetails): Approval {
  if (!canTransition(approval.status, to)) throw new InvalidTransitionError(approval.id, approval.status, to);
  const at = details.at.toISOString();
  return {
    ...approval,
    status: to,
    updatedAt: at,
    version: approval.version + 1,
    history: [
      ...approval.history,
      {
        at,
        status: to,
        ...(details.by === undefined ? {} : { by: details.by }),
        ...(details.channel === undefined ? {} : { channel: details.channel }),
        ...(details.reason === undefined ? {} : { reason: details.reason }),
      },
    ],
  };
}

export function isClosed(approval: Pick<Approval, 'status'>): boolean {
  return !isOpen(approval.status);
}
