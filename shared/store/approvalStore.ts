/** The approval store port: every state change is one conditional write on one item. */
import type { Approval, OpenStatus, SourceKind } from '../domain/approval';

export type CreateResult = 'created' | 'already-exists';

export interface OpenApprovalsPage {
  items: Approval[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  nextCursor?: string;
}

export interface ApprovalStore {
  /** Stores a new approval unless one with the same id exists (duplicate delivery): never overwrites. */
  create(approval: Approval): Promise<CreateResult>;
  get(id: string): Promise<Approval | undefined>;
  /** Replaces the approval if it is still at `approval.version - 1`; otherwise throws ApprovalVersionConflictError. */
  update(approval: Approval): Promise<void>;
  /** Open approvals in one status, oldest first. */
  listOpen(query: { status: OpenStatus; limit: number; cursor?: string }): Promise<OpenApprovalsPage>;
  findByWorkflow(source: SourceKind, workflowRef: string): Promise<Approval[]>;
  /**
   * Approvals closed at or after `since` (until `now`), most recently closed first, at most `limit`. Approvals closed
   * before this query existed are not indexed and not found.
   */
  listClosedSince(query: { since: Date; now: Date; limit: number }): Promise<Approval[]>;
}
