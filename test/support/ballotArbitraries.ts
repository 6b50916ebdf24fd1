/** Approvals and votes for the ballot's tests: every kind of identity the directory resolves, in a small world. */
import fc from 'fast-check';
import { type Approval, type Decision, openApproval, type Vote } from '../../shared/domain/approval';
import { assertMayVote, type Directory, personOf, tallyVotes } from '../../shared/domain/policy';

export const directory: Directory = {
  people: {
    alice: ['email:alice@example.com', 'slack:U0ALICE'],
    bob: ['email:bob@example.com'],
    carol: ['email:carol@example.com', 'iam:arn:aws:iam::111122223333:user/carol'],
  },
  identityCenterAccounts: ['111122223333'],
};
export const NOW = new Date('2026-11-29T12:00:00.000Z');

/** Identities of every kind the directory resolves: mapped, unmapped, an Identity Center session of alice. */
const IDENTITIES = [
  'email:alice@example.com',
  'slack:U0ALICE',
  'iam:arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123/alice@example.com',
  'email:bob@example.com',
  'email:carol@example.com',
  'iam:arn:aws:iam::111122223333:user/carol',
  'email:dave@example.com',
  'slack:U0ERIN',
] as const;
const ALLOW_LIST_ENTRIES = [...IDENTITIES, 'person:alice', 'person:bob', 'person:carol'];

export function approvalWith(input: {
  approvers: string[];
  requestedBy: string | undefined;
  requiredApprovals: number;
  requiredRejections: number;
  votes: Array<{ approver: string; decision: Decision; key?: string }>;
}): Approval {
  const opened = openApproval(
    {
      source: 'stepfunctions',
      naturalKey: 'token',
      sourceRef: { kind: 'stepfunctions', taskToken: 'token', executionArn: 'arn:aws:states:::execution:x:y' },
      workflowRef: 'arn:aws:states:::execution:x:y',
      title: 'Deploy',
      approvers: input.approvers,
      requiredApprovals: input.requiredApprovals,
      requiredRejections: input.requiredRejections,
      ...(input.requestedBy === undefined ? {} : { requestedBy: input.requestedBy }),
    },
    new Date(NOW.getTime() - 60_000),
    7 * 24 * 60 * 60,
  );
  const votes: Vote[] = input.votes.map((vote) => ({
    approver: vote.approver,
    person: personOf(vote.approver, directory),
    decision: vote.decision,
    channel: 'rest',
    at: NOW.toISOString(),
    ...(vote.key === undefined ? {} : { idempotencyKey: vote.key, requestHash: 'h' }),
  }));
  return { ...opened, votes };
}

/** The policy's own judgement: allowed, no replay, and the vote completes the tally. */
export function policyDecides(approval: Approval, approver: string, decision: Decision): boolean {
  const voter = personOf(approver, directory);
  if (approval.votes.some((vote) => personOf(vote.approver, directory) === voter)) return false;
  try {
    assertMayVote(approval, { approver, decision }, directory, NOW);
  } catch {
    return false;
  }
  const voted = { ...approval, votes: [...approval.votes, { approver, decision, channel: 'rest' as const, at: '' }] };
  return tallyVotes(voted, directory) !== 'pending';
}

export const vote = fc.record({
  approver: fc.constantFrom(...IDENTITIES),
  decision: fc.constantFrom<Decision>('approve', 'reject'),
  key: fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined }),
});

export const pendingApproval = fc
  .record({
    approvers: fc.uniqueArray(fc.constantFrom(...ALLOW_LIST_ENTRIES), { minLength: 1, maxLength: 6 }),
    requestedBy: fc.option(fc.constantFrom(...IDENTITIES), { nil: undefined }),
    requiredApprovals: fc.integer({ min: 1, max: 3 }),
    requiredRejections: fc.integer({ min: 1, max: 2 }),
    votes: fc.array(vote, { maxLength: 3 }),
  })
  .map(approvalWith)
  // Only approvals the policy could have produced: one vote per person, the tally still open.
  .filter(
    (approval) =>
      new Set(approval.votes.map((v) => personOf(v.approver, directory))).size === approval.votes.length &&
      tallyVotes(approval, directory) === 'pending',
  );
