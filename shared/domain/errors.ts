import type { ApprovalStatus } from './approval';

/** A state change the approval's state machine does not allow (e.g. approving an expired approval). */
export class InvalidTransitionError extends Error {
  override readonly name = 'InvalidTransitionError';
  constructor(
    readonly approvalId: string,
    readonly from: ApprovalStatus,
    readonly to: ApprovalStatus,
  ) {
    super(`approval ${approvalId} cannot move from ${from} to ${to}`);
  }
}

export class ApprovalNotFoundError extends Error {
  override readonly name = 'ApprovalNotFoundError';
  constructor(readonly approvalId: string) {
    super(`approval ${approvalId} does not exist`);
  }
}
