/** The other half of a source adapter: answering the waiting workflow once Greenlight has decided. */
import type { Approval, DecisionChannel, Outcome, RefusalError, SourceKind } from '../domain/approval';
import type { SourceReference } from '../domain/sourceReference';

export interface ResumeRequest {
  /** The approval, with its sourceRef (task token, step execution id, …). */
  approval: Approval;
  outcome: Outcome;
  /** What the workflow is told: approve (RESUME / Approve / SendTaskSuccess) or not. Expired follows the policy. */
  answer: 'approve' | 'reject';
  /** The identities whose votes made the decision (empty for an expiry). */
  decidedBy: string[];
  channel: DecisionChannel;
  /** The deciders' comments, joined; may be empty. */
  comment?: string;
  decidedAt: string;
  /** 1 for the first call; more when finishing a resume that was interrupted (crash, timeout, throttling). */
  attempt: number;
}

export type ResumeResult =
  /** The source accepted the answer. */
  | { kind: 'resumed' }
  /**
   * The source says the workflow no longer waits for this answer (already answered, timed out, stopped): terminal.
   * On attempt > 1 this may be our own earlier call that succeeded before a crash.
   */
  | {
      kind: 'not-waiting';
      reason: string;
      /** The refusal answered a retry the SDK made itself: the attempt before it may have been delivered. */
      afterRetry?: boolean;
    };

export type { RefusalError };

/** A wait Greenlight will not open an approval for: answered at once (fail / STOP / Reject) with why. */
export interface RefusalRequest {
  /** The approval id the wait would have had (the answer's idempotency and the cause name it). */
  approvalId: string;
  sourceRef: SourceReference;
  error: RefusalError;
  /** Why, naming fields and rules, never values. */
  reason: string;
}

export interface SourceResumer {
  readonly kind: SourceKind;
  /**
   * Sends exactly one answer call (the SDK's standard retry handles throttling and 5xx inside it). Throws
   * SourceUnavailableError when the source could not be reached or kept failing: the resume is finished later.
   */
  resume(request: ResumeRequest): Promise<ResumeResult>;
  /**
   * Answers a wait that will never become an approval with a refusal; the same error rules as `resume`. A duplicate
   * delivery's second refusal meets the source's own "already answered" error (not-waiting).
   */
  refuse(request: RefusalRequest): Promise<ResumeResult>;
}
