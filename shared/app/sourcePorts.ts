/**
 * What the use cases need of a source (shared/sources/<kind>/ implements them): recognise and read its waits, answer
 * them, ask whether they still wait, and read the events that say its workflow ended.
 */
import type { Approval, DecisionChannel, Outcome, RefusalError, SourceKind, WaitingItem } from '../domain/approval';
import type { SourceReference } from '../domain/sourceKind';
import type { EventIssue } from './errors';

export type CaptureResult =
  | { kind: 'waiting'; item: WaitingItem }
  /** The event is valid but nothing waits any more (e.g. a late duplicate after the step was answered). */
  | { kind: 'not-waiting'; reason: string }
  /**
   * The event is not a valid request, yet it carries what is needed to answer the wait (a task token): the wait is
   * answered with a refusal instead of being left hanging. `issues` name paths and rules, never values.
   */
  | { kind: 'invalid'; wait: AnswerableWait; issues: EventIssue[] };

/** What identifies a wait and answers it, without anything else of the request. */
export type AnswerableWait = Pick<WaitingItem, 'source' | 'naturalKey' | 'sourceRef' | 'workflowRef'>;

export interface WaitingSource {
  readonly kind: SourceKind;
  /** How long the source's workflow waits when the request does not say. */
  readonly defaultTimeoutSeconds: number;
  /** Whether this adapter is the one for this event (by its source and detail-type or its shape). */
  recognises(event: unknown): boolean;
  /** Reads the waiting item out of the event; throws MalformedEventError when the event is not valid. */
  capture(event: unknown): Promise<CaptureResult>;
}

export type WaitingState =
  | { kind: 'waiting' }
  | { kind: 'ended'; status: string }
  | { kind: 'unknown'; reason: string };

/**
 * Asking a source whether a workflow still waits, for approvals whose "ended" event may have been lost. Anything
 * unclear (throttled, denied, unknown shape) is `unknown`: the sweep then changes nothing.
 */
export interface SourceProbe {
  stillWaiting(approval: Approval): Promise<WaitingState>;
  /**
   * Tells a source that watches for signs of life (a Step Functions Task with HeartbeatSeconds) that Greenlight still
   * holds the wait; `ended` when the source says nothing waits any more.
   */
  keepAlive?(approval: Approval): Promise<WaitingState>;
}

/** An event that says a workflow ended, whoever ended it: its open approvals close. */
export interface WorkflowEnded {
  source: SourceKind;
  workflowRef: string;
  status: string;
}

/** The answer half of a source adapter: answering the waiting workflow once Greenlight has decided. */

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
