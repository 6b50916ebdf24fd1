/**
 * What one person may do with one approval, read with the same rules the decide use case enforces (policy.ts
 * `assertMayVote`): inside `identities.allowed`, on the approval's allow-list (person by person; the allow-list was
 * fixed by `applyPolicy` at capture), not approving their own request, one vote, before the deadline. The inbox lists
 * with this, so nobody is shown an approval the decide use case would refuse them.
 */
import { type Approval, isPastDeadline, type Vote } from './approval';
import { identityAllowed } from './identity';
import { type DeciderPolicy, personOf } from './policy';

export type Eligibility =
  /** May approve or reject now. */
  | { kind: 'may-decide' }
  /** The requester: may reject, never approve. */
  | { kind: 'may-reject' }
  /** This person voted already (any of their identities). */
  | { kind: 'voted'; vote: Omit<Vote, 'idempotencyKey' | 'requestHash'> }
  /** Was an approver, but the approval is no longer open (or its deadline passed). */
  | { kind: 'closed' }
  | { kind: 'not-an-approver' };

/** `identity` is canonical (the session's). */
export function eligibilityOf(
  approval: Pick<Approval, 'approvers' | 'requestedBy' | 'votes' | 'status' | 'expiresAt'>,
  identity: string,
  policy: DeciderPolicy,
  now: Date,
): Eligibility {
  if (policy.allowedIdentities !== undefined && !identityAllowed(identity, policy.allowedIdentities)) {
    return { kind: 'not-an-approver' };
  }
  const person = personOf(identity, policy);
  if (!approval.approvers.some((approver) => personOf(approver, policy) === person)) {
    return { kind: 'not-an-approver' };
  }
  const vote = approval.votes.find((existing) => personOf(existing.approver, policy) === person);
  if (vote !== undefined) {
    const { idempotencyKey: _key, requestHash: _hash, ...shown } = vote;
    return { kind: 'voted', vote: shown };
  }
  if (approval.status !== 'pending' || isPastDeadline(approval, now)) return { kind: 'closed' };
  if (approval.requestedBy !== undefined && personOf(approval.requestedBy, policy) === person) {
    return { kind: 'may-reject' };
  }
  return { kind: 'may-decide' };
}

/** Whether the person is (or was) among those who may decide this approval, whatever its state. */
export function isApproverOf(approval: Pick<Approval, 'approvers'>, identity: string, policy: DeciderPolicy): boolean {
  if (policy.allowedIdentities !== undefined && !identityAllowed(identity, policy.allowedIdentities)) return false;
  const person = personOf(identity, policy);
  return approval.approvers.some((approver) => personOf(approver, policy) === person);
}
