/** The approval store port: every state change is one conditional write on one item. */
import type { Approval, HistoryEntry, OpenStatus, Outcome, SourceKind, Vote } from '../domain/approval';
import type { DecidingVoteTerms } from '../domain/ballot';

export type CreateResult = 'created' | 'already-exists';

export interface OpenApprovalsPage {
  items: Approval[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  nextCursor?: string;
}

/** A vote expected to complete the tally, with the move to `resuming` it then makes (decideApproval.ts). */
export interface DecidingVote extends DecidingVoteTerms {
  approvalId: string;
  vote: Vote;
  outcome: Exclude<Outcome, 'expired'>;
  /** The history entry of the move to `resuming`. */
  history: HistoryEntry;
  now: string;
  resumeLeaseUntil: string;
}

/**
 * Written: the approval as it now stands (`resuming`, this caller holds the lease). Not written: the ballot did not
 * admit the vote, and `approval` is the item as the refused write found it — or undefined when the store cannot
 * tell (no such item, or a DynamoDB that does not return it): read it.
 */
export type DecidingVoteResult = { written: true; approval: Approval } | { written: false; approval?: Approval };

export interface ApprovalStore {
  /** Stores a new approval unless one with the same id exists (duplicate delivery): never overwrites. */
  create(approval: Approval): Promise<CreateResult>;
  get(id: string): Promise<Approval | undefined>;
  /**
   * Replaces the approval if it is still at `approval.version - 1`; otherwise throws ApprovalVersionConflictError.
   * `previous`, when the caller holds the approval exactly as stored at that version, lets the store send only what
   * changed.
   */
  update(approval: Approval, previous?: Approval): Promise<void>;
  /**
   * One conditional write, no read before it: records the vote and moves the approval to `resuming` if it is pending,
   * not past its deadline, and its ballot admits the vote as the one completing the tally (admitsDecidingVote).
   */
  castDecidingVote(write: DecidingVote): Promise<DecidingVoteResult>;
  /** Open approvals in one status, oldest first. */
  listOpen(query: { status: OpenStatus; limit: number; cursor?: string }): Promise<OpenApprovalsPage>;
  findByWorkflow(source: SourceKind, workflowRef: string): Promise<Approval[]>;
  /**
   * Approvals closed at or after `since` (until `now`), most recently closed first, at most `limit`. Approvals closed
   * before this query existed are not indexed and not found.
   */
  listClosedSince(query: { since: Date; now: Date; limit: number }): Promise<Approval[]>;
}
