/**
 * The ballot must judge the vote that completes a tally exactly as the policy functions do: whatever it admits, the
 * policy allows, is no replay, and decides; whatever the policy would decide with (and no Idempotency-Key clash), it
 * admits. The store's conditional write encodes the same terms (test/integration/decidingVote.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { admitsDecidingVote, ballotOf, directoryFingerprint } from '../../../shared/domain/ballot';
import { type Directory, personOf } from '../../../shared/domain/policy';
import { approvalWith, directory, pendingApproval, policyDecides, vote } from '../../support/ballotArbitraries';

describe('ballot', () => {
  it('admits exactly the votes the policy allows that complete the tally (no replay, no key used before)', () => {
    fc.assert(
      fc.property(pendingApproval, vote, (approval, next) => {
        const ballot = ballotOf(approval, directory);
        const terms = {
          directory: directoryFingerprint(directory),
          person: personOf(next.approver, directory),
          decision: next.decision,
          ...(next.key === undefined ? {} : { idempotencyKey: next.key }),
        };
        const keyUsed = next.key !== undefined && approval.votes.some((v) => v.idempotencyKey === next.key);
        expect(admitsDecidingVote(ballot, terms)).toBe(
          policyDecides(approval, next.approver, next.decision) && !keyUsed,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('is never trusted under another directory (the people map changed since it was made)', () => {
    const approval = approvalWith({
      approvers: ['person:alice'],
      requestedBy: undefined,
      requiredApprovals: 1,
      requiredRejections: 1,
      votes: [],
    });
    const ballot = ballotOf(approval, directory);
    const moved: Directory = { ...directory, people: { ...directory.people, alice: ['email:alice@example.org'] } };
    const terms = { person: 'person:alice', decision: 'approve' as const };
    expect(admitsDecidingVote(ballot, { ...terms, directory: directoryFingerprint(directory) })).toBe(true);
    expect(directoryFingerprint(moved)).not.toBe(directoryFingerprint(directory));
    expect(admitsDecidingVote(ballot, { ...terms, directory: directoryFingerprint(moved) })).toBe(false);
    expect(admitsDecidingVote(undefined, { ...terms, directory: directoryFingerprint(directory) })).toBe(false);
  });

  it('fingerprints who is who, not the order the policy file lists them in', () => {
    const reordered: Directory = {
      people: {
        carol: [...(directory.people.carol ?? [])].reverse(),
        bob: ['email:bob@example.com'],
        alice: ['slack:U0ALICE', 'email:alice@example.com'],
      },
      identityCenterAccounts: ['111122223333'],
    };
    expect(directoryFingerprint(reordered)).toBe(directoryFingerprint(directory));
    expect(directoryFingerprint({ people: directory.people })).not.toBe(directoryFingerprint(directory));
  });
});
