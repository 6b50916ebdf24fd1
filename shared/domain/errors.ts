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

/** The approval no longer takes votes (decided, expired, cancelled, failed, or its answer is under way). */
export class ApprovalClosedError extends Error {
  override readonly name = 'ApprovalClosedError';
  constructor(
    readonly approvalId: string,
    readonly status: ApprovalStatus,
  ) {
    super(`approval ${approvalId} is already ${status}`);
  }
}

export class ApprovalExpiredError extends Error {
  override readonly name = 'ApprovalExpiredError';
  constructor(
    readonly approvalId: string,
    readonly expiresAt: string,
  ) {
    super(`approval ${approvalId} expired at ${expiresAt}`);
  }
}

export class NotAnApproverError extends Error {
  override readonly name = 'NotAnApproverError';
  constructor(
    readonly approvalId: string,
    readonly approver: string,
  ) {
    super(`${approver} is not an approver of approval ${approvalId}`);
  }
}

export class SelfApprovalError extends Error {
  override readonly name = 'SelfApprovalError';
  constructor(
    readonly approvalId: string,
    readonly approver: string,
  ) {
    super(`${approver} requested approval ${approvalId} and may not approve it`);
  }
}

/**
 * A REST client named an `approver` its policy entry does not let it act for (`clients.<name>.actsFor`). The message
 * names the client and the approver (both the caller's own words, canonical), never the policy's entries.
 */
export class ClientMayNotActForError extends Error {
  override readonly name = 'ClientMayNotActForError';
  constructor(
    readonly client: string,
    readonly approver: string,
  ) {
    super(
      `${client} may not decide for ${approver}: the policy's actsFor of this client does not name them ` +
        '(leave out approver to decide as the client itself)',
    );
  }
}

/** The same person already voted the other way; a vote cannot be changed. */
export class ConflictingVoteError extends Error {
  override readonly name = 'ConflictingVoteError';
  constructor(
    readonly approvalId: string,
    readonly approver: string,
    readonly earlierDecision: string,
  ) {
    super(`${approver} already voted ${earlierDecision} on approval ${approvalId}`);
  }
}

/** An Idempotency-Key seen before with a different request. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly approvalId: string) {
    super(`this Idempotency-Key was already used on approval ${approvalId} with a different request`);
  }
}

/** The errors by which the policy or the approval's state refuses a decision: final, never worth a retry. */
export function isDecisionRefusal(error: unknown): error is Error {
  return (
    error instanceof ApprovalNotFoundError ||
    error instanceof ApprovalClosedError ||
    error instanceof ApprovalExpiredError ||
    error instanceof NotAnApproverError ||
    error instanceof ClientMayNotActForError ||
    error instanceof SelfApprovalError ||
    error instanceof ConflictingVoteError ||
    error instanceof IdempotencyKeyReusedError ||
    error instanceof InvalidIdentityError
  );
}

/** A value that is not an identity, or one that hides what it says (control or invisible formatting characters). */
export class InvalidIdentityError extends Error {
  override readonly name = 'InvalidIdentityError';
  /** Why, without the value: an identity that failed may carry anything. */
  constructor(readonly rule: string) {
    super(`not a valid identity: ${rule}`);
  }
}
