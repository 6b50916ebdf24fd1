import { describe, expect, it } from 'vitest';
import { approvalsSoFar, plural } from '../../../shared/channels/approvalFacts';

describe('approvalsSoFar', () => {
  it('counts people, not identities: alice by e-mail and by Slack is one approval', () => {
    // Prepare
    const votes = [
      { decision: 'approve', approver: 'email:alice@example.com', person: 'person:alice' },
      { decision: 'approve', approver: 'slack:U024BE7LH', person: 'person:alice' },
      { decision: 'approve', approver: 'email:carol@example.com', person: 'person:carol' },
      { decision: 'reject', approver: 'email:bob@example.com', person: 'person:bob' },
    ];
    // Act / Assess
    expect(approvalsSoFar(votes)).toBe(2);
  });

  it('falls back to the identity for votes recorded without a person', () => {
    expect(approvalsSoFar([{ decision: 'approve', approver: 'email:dan@example.com' }])).toBe(1);
  });
});

describe('plural', () => {
  it('adds an s except for one', () => {
    expect([plural(1, 'vote'), plural(0, 'vote'), plural(2, 'vote')]).toEqual(['1 vote', '0 votes', '2 votes']);
  });
});
