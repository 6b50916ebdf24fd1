/**
 * The approval: one workflow waiting for a person, as Greenlight records it.
 * Pure types and constructors: no AWS imports, no I/O.
 */
import { createHash } from 'node:crypto';
import type { Ballot } from './ballot';
import type { SourceKind, SourceReference } from './sourceKind';

export { SOURCE_KINDS, type SourceKind } from './sourceKind';

export const OPEN_STATUSES = ['pending', 'resuming'] as const;
export const CLOSED_STATUSES = ['approved', 'rejected', 'expired', 'cancelled', 'failed'] as const;
export type OpenStatus = (typeof OPEN_STATUSES)[number];
export type ClosedStatus = (typeof CLOSED_STATUSES)[number];
export type ApprovalStatus = OpenStatus | ClosedStatus;

export type Decision = 'approve' | 'reject';
/** What the waiting workflow is told: approved / rejected by people, or expired (answered as the policy says). */
export type Outcome = 'approved' | 'rejected' | 'expired';
/** `sso`: the web inbox, as the person signed in with the configured OpenID Connect issuer. */
export type DecisionChannel = 'review-link' | 'slack' | 'rest' | 'iam' | 'eventbridge' | 'sso' | 'system';

export interface ContextLink {
  label: string;
  url: string;
}

/** What the requester tells the approvers: free-form fields and links, shown on every surface. */
export interface ApprovalContext {
  links: ContextLink[];
  fields: Record<string, string>;
}

export interface Vote {
  /** The canonical identity the channel proved. */
  approver: string;
  /** The person it resolved to when the vote was cast (`person:<name>`, or the identity itself when unmapped). */
  person?: string;
  /** Who acted for the person, when not the person themselves (e.g. `client:<name>`, `eventbridge:<source>`). */
  via?: string;
  decision: Decision;
  channel: DecisionChannel;
  comment?: string;
  at: string;
  /** The REST caller's Idempotency-Key and a hash of its request, to tell a replay from a reuse of the key. */
  idempotencyKey?: string;
  requestHash?: string;
}

/** Error names a refused request is answered with (Step Functions `error`; the other sources get the reason). */
export type RefusalError = 'Greenlight.InvalidRequest' | 'Greenlight.NoEligibleApprovers';

/** Why Greenlight would not open an approval for a wait, and whether the workflow was told so. */
export interface Refusal {
  error: RefusalError;
  /** Fields and rules, never values. */
  reason: string;
  /** The source took the refusal (or said the wait was answered already). */
  answered: boolean;
}

export interface HistoryEntry {
  at: string;
  status: ApprovalStatus;
  by?: string;
  channel?: DecisionChannel;
  reason?: string;
}

export interface Approval {
  id: string;
  source: SourceKind;
  /** What the source needs to resume the workflow. Holds secrets (task tokens): never leaves the store. */
  sourceRef: SourceReference;
  /** The waiting workflow: execution ARN, image build version ARN or automation execution id. */
  workflowRef: string;
  title: string;
  description?: string;
  context: ApprovalContext;
  /** Identities allowed to decide (`email:…`, `slack:U…`, `iam:arn:…`); empty means the policy decides. */
  approvers: string[];
  requiredApprovals: number;
  /** How many distinct people must reject to reject; 1 makes any rejection final. */
  requiredRejections?: number;
  requestedBy?: string;
  status: ApprovalStatus;
  votes: Vote[];
  history: HistoryEntry[];
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  /** Set when the approval leaves `pending`: what the workflow is (being) told. */
  outcome?: Outcome;
  /** How many times the answer to the workflow was attempted; a touch may take over after `resumeLeaseUntil`. */
  resumeAttempts?: number;
  resumeLeaseUntil?: string;
  /** Why the source refused the answer for good (status `failed`), or why the approval closed otherwise. */
  closedReason?: string;
  /** Present on the record of a refused request (status `cancelled`): the wait was answered with this refusal. */
  refusal?: Refusal;
  /** Step Functions: the Task's HeartbeatSeconds; the schedule sends heartbeats while the approval is pending. */
  heartbeatSeconds?: number;
  /** What the policy needs to judge the vote that completes the tally in its conditional write (ballot.ts); internal. */
  ballot?: Ballot;
  /** Optimistic-concurrency counter: every write is conditional on the version it read. */
  version: number;
}

/** A waiting item as a source adapter understood it, before Greenlight opens an approval for it. */
export interface WaitingItem {
  source: SourceKind;
  /** The source's own unique id for this wait (task token, step execution id, …): the approval id derives from it. */
  naturalKey: string;
  sourceRef: SourceReference;
  workflowRef: string;
  title: string;
  description?: string;
  context?: Partial<ApprovalContext>;
  approvers?: string[];
  requiredApprovals?: number;
  requiredRejections?: number;
  requestedBy?: string;
  /** How long the workflow waits, when the request or the source says so. */
  timeoutSeconds?: number;
  /** Step Functions: the Task's HeartbeatSeconds; the schedule keeps the task alive while the approval is open. */
  heartbeatSeconds?: number;
}

/** Deterministic, URL-safe approval id: the same waiting item always maps to the same id, so capture is idempotent. */
export function approvalIdFor(source: SourceKind, naturalKey: string): string {
  const digest = createHash('sha256').update(`${source}\n${naturalKey}`).digest('hex');
  return `apr_${digest.slice(0, 32)}`;
}

export const APPROVAL_ID_PATTERN = /^apr_[0-9a-f]{32}$/;

export function isOpen(status: ApprovalStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

/**
 * Opens an approval for a waiting item: pending, no votes, one history entry. `defaultTimeoutSeconds` is how long its
 * source waits when the request does not say (each source's descriptor knows it).
 */
export function openApproval(item: WaitingItem, now: Date, defaultTimeoutSeconds: number): Approval {
  const createdAt = now.toISOString();
  const timeoutSeconds = item.timeoutSeconds ?? defaultTimeoutSeconds;
  return {
    id: approvalIdFor(item.source, item.naturalKey),
    source: item.source,
    sourceRef: item.sourceRef,
    workflowRef: item.workflowRef,
    title: item.title,
    ...(item.description === undefined ? {} : { description: item.description }),
    context: { links: item.context?.links ?? [], fields: item.context?.fields ?? {} },
    approvers: [...new Set(item.approvers ?? [])],
    requiredApprovals: item.requiredApprovals ?? 1,
    ...(item.requiredRejections === undefined ? {} : { requiredRejections: item.requiredRejections }),
    ...(item.requestedBy === undefined ? {} : { requestedBy: item.requestedBy }),
    ...(item.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: item.heartbeatSeconds }),
    status: 'pending',
    votes: [],
    history: [{ at: createdAt, status: 'pending', ...(item.requestedBy ? { by: item.requestedBy } : {}) }],
    createdAt,
    updatedAt: createdAt,
    expiresAt: new Date(now.getTime() + timeoutSeconds * 1000).toISOString(),
    version: 1,
  };
}

/** True once the deadline has passed; DynamoDB TTL is lazy, so every reader checks this itself. */
export function isPastDeadline(approval: Pick<Approval, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(approval.expiresAt);
}

/** The approval as it may be shown anywhere outside the store: without the source's secrets and internal markers. */
export type PublicApproval = Omit<
  Approval,
  'sourceRef' | 'resumeAttempts' | 'resumeLeaseUntil' | 'ballot' | 'votes'
> & {
  votes: Array<Omit<Vote, 'idempotencyKey' | 'requestHash'>>;
};

export function toPublicApproval(approval: Approval): PublicApproval {
  const {
    sourceRef: _secret,
    resumeAttempts: _attempts,
    resumeLeaseUntil: _lease,
    ballot: _ballot,
    ...rest
  } = approval;
  return {
    ...rest,
    votes: approval.votes.map(({ idempotencyKey: _key, requestHash: _hash, ...vote }) => vote),
  };
}
