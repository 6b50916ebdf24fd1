/**
 * The approver's inbox: what a signed-in person may decide now, what they could decide before, and batch decisions.
 * Reading uses the policy's eligibility (domain/eligibility.ts), the same rules the decide use case enforces; every
 * decision goes through decideApproval, one approval at a time, on the `sso` channel.
 */
import type { Approval, Decision, SourceKind } from '../domain/approval';
import { type Eligibility, eligibilityOf, isApproverOf } from '../domain/eligibility';
import type { DeciderPolicy } from '../domain/policy';
import type { ApprovalStore } from '../store/approvalStore';
import { type DecideDependencies, decideApproval } from './decideApproval';
import type { Clock } from './ports';

export interface InboxDependencies {
  store: Pick<ApprovalStore, 'listOpen' | 'listClosedSince' | 'get'>;
  policy: DeciderPolicy;
  clock: Clock;
}

export interface InboxItem {
  approval: Approval;
  eligibility: Eligibility;
}

/** Open approvals read for one inbox at most (pages of 100): beyond it, the inbox says it shows the first ones. */
export const MAX_OPEN_APPROVALS_READ = 1000;
/** Most approvals one batch decides: each is its own decision, with its own result. */
export const MAX_BATCH = 25;
const HISTORY_DAYS = 30;
const HISTORY_LIMIT = 200;

/** Pending approvals this person may decide (or reject, as requester), deadline first; optionally of one source. */
export async function listMyPendingApprovals(
  deps: InboxDependencies,
  query: { identity: string; source?: SourceKind },
): Promise<{ items: InboxItem[]; bySource: Partial<Record<SourceKind, number>>; truncated: boolean }> {
  const now = deps.clock.now();
  const mine: InboxItem[] = [];
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await deps.store.listOpen({ status: 'pending', limit: 100, ...(cursor ? { cursor } : {}) });
    read += page.items.length;
    for (const approval of page.items) {
      const eligibility = eligibilityOf(approval, query.identity, deps.policy, now);
      if (eligibility.kind === 'may-decide' || eligibility.kind === 'may-reject') mine.push({ approval, eligibility });
    }
    cursor = page.nextCursor;
  } while (cursor && read < MAX_OPEN_APPROVALS_READ);
  const bySource: Partial<Record<SourceKind, number>> = {};
  for (const { approval } of mine) bySource[approval.source] = (bySource[approval.source] ?? 0) + 1;
  const items = mine
    .filter((item) => query.source === undefined || item.approval.source === query.source)
    .sort((a, b) => a.approval.expiresAt.localeCompare(b.approval.expiresAt));
  return { items, bySource, truncated: cursor !== undefined };
}

/**
 * Approvals this person could decide that closed in the last 30 days, or that they voted on and still wait for
 * others, most recent first.
 */
export async function listMyHistory(deps: InboxDependencies, query: { identity: string }): Promise<InboxItem[]> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - HISTORY_DAYS * 24 * 60 * 60 * 1000);
  const closed = await deps.store.listClosedSince({ since, now, limit: HISTORY_LIMIT });
  const waiting: Approval[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listOpen({ status: 'pending', limit: 100, ...(cursor ? { cursor } : {}) });
    waiting.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && waiting.length < MAX_OPEN_APPROVALS_READ);
  const voted = waiting.filter(
    (approval) => eligibilityOf(approval, query.identity, deps.policy, now).kind === 'voted',
  );
  return [...voted, ...closed.filter((approval) => isApproverOf(approval, query.identity, deps.policy))]
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .map((approval) => ({ approval, eligibility: eligibilityOf(approval, query.identity, deps.policy, now) }));
}

export type BatchItemResult =
  | { approvalId: string; ok: true; approval: Approval; replayed: boolean }
  | { approvalId: string; ok: false; error: unknown };

/**
 * One decision per selected approval, each through decideApproval as the signed-in person (channel `sso`); a refusal
 * of one (not an approver, expired, decided meanwhile, …) is that item's result and does not stop the others.
 */
export async function decideBatch(
  deps: DecideDependencies,
  request: { identity: string; approvalIds: readonly string[]; decision: Decision; comment?: string },
): Promise<BatchItemResult[]> {
  const results: BatchItemResult[] = [];
  for (const approvalId of new Set(request.approvalIds)) {
    try {
      const { approval, replayed } = await decideApproval(deps, {
        approvalId,
        approver: request.identity,
        channel: 'sso',
        decision: request.decision,
        ...(request.comment ? { comment: request.comment } : {}),
      });
      results.push({ approvalId, ok: true, approval, replayed });
    } catch (error) {
      results.push({ approvalId, ok: false, error });
    }
  }
  return results;
}
