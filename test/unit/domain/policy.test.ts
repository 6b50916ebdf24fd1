import { describe, expect, it } from 'vitest';
import { type Approval, openApproval, type WaitingItem } from '../../../shared/domain/approval';
import {
  ApprovalClosedError,
  ApprovalExpiredError,
  ConflictingVoteError,
  NotAnApproverError,
  SelfApprovalError,
} from '../../../shared/domain/errors';
import {
  applyPolicy,
  assertMayVote,
  matchingRule,
  type PolicyDocument,
  personOf,
  tallyVotes,
} from '../../../shared/domain/policy';
import { InvalidPolicyError, parsePolicyDocument } from '../../../shared/domain/policyDocument';

const people = {
  alice: ['email:alice@example.com', 'slack:U024BE7LH'],
  bob: ['email:bob@example.com'],
};
const policy: PolicyDocument = {
  people,
  rules: [
    {
      name: 'golden',
      match: { source: 'imagebuilder', resource: 'arn:aws:imagebuilder:*:image/golden-*' },
      approvers: ['person:alice'],
      requiredApprovals: 1,
    },
    {
      name: 'images',
      match: { source: 'imagebuilder' },
      approvers: ['person:alice', 'person:bob', 'email:carol@example.com'],
      requiredApprovals: 2,
      requiredRejections: 2,
      timeoutSeconds: 3600,
    },
    { name: 'everything else', match: {}, approvers: ['email:carol@example.com'] },
  ],
};
const now = new Date('2026-11-22T10:00:00.000Z');
const imageItem = (name: string): WaitingItem => ({
  source: 'imagebuilder',
  naturalKey: `step-${name}`,
  sourceRef: { kind: 'imagebuilder', workflowStepExecutionId: `step-${name}`, imageBuildVersionArn: 'x' },
  workflowRef: `arn:aws:imagebuilder:us-east-1:111122223333:image/${name}/1.0.0/1`,
  title: name,
});
function approval(overrides: Partial<Approval> = {}): Approval {
  return {
    ...openApproval(
      {
        ...imageItem('any'),
        approvers: ['email:alice@example.com', 'email:bob@example.com'],
        requestedBy: 'email:bob@example.com',
      },
      now,
    ),
    ...overrides,
  };
}
const vote = (approver: string, decision: 'approve' | 'reject') => ({
  approver,
  decision,
  channel: 'rest' as const,
  at: now.toISOString(),
});

describe('personOf', () => {
  it('names every identity of a known person alike, and leaves strangers as they are', () => {
    expect(personOf('slack:U024BE7LH', people)).toBe('person:alice');
    expect(personOf('email:alice@example.com', people)).toBe('person:alice');
    expect(personOf('email:mallory@example.com', people)).toBe('email:mallory@example.com');
  });
});

describe('matchingRule / applyPolicy', () => {
  it('picks the first rule whose source and resource glob match', () => {
    expect(matchingRule(policy, imageItem('golden-al2023'))?.name).toBe('golden');
    expect(matchingRule(policy, imageItem('base-al2023'))?.name).toBe('images');
    expect(matchingRule(policy, { source: 'ssm', workflowRef: 'x' })?.name).toBe('everything else');
    expect(matchingRule({ people, rules: [] }, imageItem('x'))).toBeUndefined();
  });

  it("keeps person:<name> entries (one per person) and takes the rule's quorum, rejections and deadline", () => {
    expect(applyPolicy(imageItem('base'), policy)).toMatchObject({
      approvers: ['person:alice', 'person:bob', 'email:carol@example.com'],
      requiredApprovals: 2,
      requiredRejections: 2,
      timeoutSeconds: 3600,
    });
  });

  it("lets the request's own approvers, quorum and timeout win over the rule", () => {
    const applied = applyPolicy(
      { ...imageItem('base'), approvers: ['email:dan@example.com'], timeoutSeconds: 120 },
      policy,
    );
    expect(applied).toMatchObject({ approvers: ['email:dan@example.com'], requiredApprovals: 1, timeoutSeconds: 120 });
  });

  it('leaves nobody able to approve when neither the request nor a rule names approvers', () => {
    expect(applyPolicy(imageItem('x'), { people, rules: [] })).toMatchObject({ approvers: [], requiredApprovals: 1 });
  });
});

describe('assertMayVote', () => {
  it('accepts any identity of a person the allow-list names as person:<name>', () => {
    const byPerson = approval({ approvers: ['person:alice'] });
    expect(() =>
      assertMayVote(byPerson, { approver: 'slack:U024BE7LH', decision: 'approve' }, people, now),
    ).not.toThrow();
    expect(() =>
      assertMayVote(byPerson, { approver: 'email:bob@example.com', decision: 'approve' }, people, now),
    ).toThrow(NotAnApproverError);
  });

  it('accepts an approver under any of their identities', () => {
    expect(() =>
      assertMayVote(approval(), { approver: 'slack:U024BE7LH', decision: 'approve' }, people, now),
    ).not.toThrow();
  });

  it.each([
    ['someone not on the allow-list', approval(), 'email:mallory@example.com', 'approve', NotAnApproverError],
    ['the requester approving', approval(), 'email:bob@example.com', 'approve', SelfApprovalError],
    ['a closed approval', approval({ status: 'approved' }), 'email:alice@example.com', 'approve', ApprovalClosedError],
    [
      'an approval whose answer is under way',
      approval({ status: 'resuming' }),
      'email:alice@example.com',
      'approve',
      ApprovalClosedError,
    ],
    [
      'a vote past the deadline',
      approval({ expiresAt: now.toISOString() }),
      'email:alice@example.com',
      'approve',
      ApprovalExpiredError,
    ],
    [
      'the opposite of an earlier vote',
      approval({ votes: [vote('slack:U024BE7LH', 'reject')] }),
      'email:alice@example.com',
      'approve',
      ConflictingVoteError,
    ],
  ] as const)('refuses %s', (_name, subject, approver, decision, errorClass) => {
    expect(() => assertMayVote(subject, { approver, decision }, people, now)).toThrow(errorClass);
  });

  it('lets the requester reject (withdraw) their own request', () => {
    expect(() =>
      assertMayVote(approval(), { approver: 'email:bob@example.com', decision: 'reject' }, people, now),
    ).not.toThrow();
  });
});

describe('tallyVotes', () => {
  it('approves at the quorum of distinct people, counting one person once', () => {
    const twoOfAlice = approval({
      requiredApprovals: 2,
      votes: [vote('email:alice@example.com', 'approve'), vote('slack:U024BE7LH', 'approve')],
    });
    const aliceAndBob = approval({
      requiredApprovals: 2,
      votes: [vote('email:alice@example.com', 'approve'), vote('email:bob@example.com', 'approve')],
    });
    expect(tallyVotes(twoOfAlice, people)).toBe('pending');
    expect(tallyVotes(aliceAndBob, people)).toBe('approved');
  });

  it('rejects at the first rejection by default, or at requiredRejections', () => {
    const oneReject = [vote('email:alice@example.com', 'reject')];
    expect(tallyVotes(approval({ votes: oneReject }), people)).toBe('rejected');
    expect(tallyVotes(approval({ votes: oneReject, requiredRejections: 2 }), people)).toBe('pending');
  });
});

describe('parsePolicyDocument', () => {
  it('accepts the repository policy file shape', () => {
    expect(parsePolicyDocument({ people, rules: policy.rules }).rules).toHaveLength(3);
  });

  it.each([
    ['an approver that is not an identity', { rules: [{ name: 'x', match: {}, approvers: ['alice'] }] }],
    ['an unknown source', { rules: [{ name: 'x', match: { source: 'lambda' }, approvers: [] }] }],
    ['an unknown top-level key', { people: {}, rules: [], extra: true }],
    ['a zero quorum', { rules: [{ name: 'x', match: {}, approvers: [], requiredApprovals: 0 }] }],
  ])('refuses %s, naming where', (_name, document) => {
    expect(() => parsePolicyDocument(document)).toThrow(InvalidPolicyError);
  });
});
