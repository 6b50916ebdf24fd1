import { describe, expect, it } from 'vitest';
import { type Approval, openApproval, type WaitingItem } from '../../../shared/domain/approval';
import {
  ApprovalClosedError,
  ApprovalExpiredError,
  ConflictingVoteError,
  InvalidIdentityError,
  NotAnApproverError,
  SelfApprovalError,
} from '../../../shared/domain/errors';
import {
  applyPolicy,
  assertMayVote,
  canonicalVoter,
  matchingRule,
  notificationRouting,
  type PolicyDocument,
  type PolicyRule,
  personOf,
  tallyVotes,
} from '../../../shared/domain/policy';
import { InvalidPolicyError, parsePolicyDocument } from '../../../shared/domain/policyDocument';

/** The default wait of most sources (openApproval's third argument). */
const SEVEN_DAYS = 7 * 24 * 60 * 60;

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
      SEVEN_DAYS,
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
    expect(personOf('slack:U024BE7LH', { people })).toBe('person:alice');
    expect(personOf('email:alice@example.com', { people })).toBe('person:alice');
    expect(personOf('email:mallory@example.com', { people })).toBe('email:mallory@example.com');
  });

  it('compares canonical forms: case, a trailing dot and full-width letters do not make another person', () => {
    expect(personOf('email:Alice@Example.COM.', { people })).toBe('person:alice');
    expect(personOf('email:ａｌｉｃｅ@example.com', { people })).toBe('person:alice');
    expect(personOf('email:alice+ops@example.com', { people })).toBe('email:alice+ops@example.com');
  });

  it('takes an IAM Identity Center session of a trusted account, named by an e-mail address, as that person', () => {
    const directory = { people, identityCenterAccounts: ['111122223333'] };
    const session =
      'iam:arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Deployers_0123456789abcdef/Alice@example.com';
    expect(personOf(session, directory)).toBe('person:alice');
    expect(personOf(session.replace('Alice@example.com', 'dan@example.com'), directory)).toBe('email:dan@example.com');
    expect(personOf('iam:arn:aws:sts::111122223333:assumed-role/deployer/alice@example.com', directory)).toBe(
      'iam:arn:aws:sts::111122223333:assumed-role/deployer/alice@example.com',
    );
  });

  it('believes no Identity Center session of an account the policy does not trust', () => {
    const foreign = 'iam:arn:aws:sts::999999999999:assumed-role/AWSReservedSSO_Mine_0000/alice@example.com';
    expect(personOf(foreign, { people, identityCenterAccounts: ['111122223333'] })).toBe(foreign);
    expect(personOf(foreign.replace('999999999999', '111122223333'), { people })).not.toBe('person:alice');
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
    expect(applyPolicy(imageItem('base'), policy)).toEqual({
      kind: 'eligible',
      item: expect.objectContaining({
        approvers: ['person:alice', 'person:bob', 'email:carol@example.com'],
        requiredApprovals: 2,
        requiredRejections: 2,
        timeoutSeconds: 3600,
      }),
    });
  });

  it("narrows the rule's approvers by person to those the request names, never adding one", () => {
    // Prepare: mallory is not on the rule; alice is named by her Slack id, carol in another spelling
    const item = {
      ...imageItem('base'),
      approvers: ['email:mallory@evil.example', 'slack:U024BE7LH', 'email:carol@example.com'],
      requiredApprovals: 2,
    };
    // Act
    const applied = applyPolicy(item, policy);
    // Assess
    expect(applied).toMatchObject({
      kind: 'eligible',
      item: { approvers: ['person:alice', 'email:carol@example.com'], requiredApprovals: 2 },
    });
  });

  it('refuses a request whose approvers are all outside the rule (no e-mail goes to them)', () => {
    const applied = applyPolicy({ ...imageItem('base'), approvers: ['email:mallory@evil.example'] }, policy);
    expect(applied).toEqual({ kind: 'refused', reason: expect.stringContaining('"images"') });
  });

  it("raises the rule's quorum when the request asks for more, never lowers it", () => {
    const lower = applyPolicy({ ...imageItem('base'), requiredApprovals: 1 }, policy);
    const higher = applyPolicy({ ...imageItem('base'), requiredApprovals: 3 }, policy);
    expect(lower.kind === 'eligible' && lower.item.requiredApprovals).toBe(2);
    expect(higher.kind === 'eligible' && higher.item.requiredApprovals).toBe(3);
  });

  it("shortens the rule's deadline when the request asks for less, never lengthens it", () => {
    const shorter = applyPolicy({ ...imageItem('base'), timeoutSeconds: 120 }, policy);
    const longer = applyPolicy({ ...imageItem('base'), timeoutSeconds: 86_400 }, policy);
    expect(shorter.kind === 'eligible' && shorter.item.timeoutSeconds).toBe(120);
    expect(longer.kind === 'eligible' && longer.item.timeoutSeconds).toBe(3600);
  });

  it('refuses a quorum the eligible people cannot reach, the requester not counted', () => {
    // Prepare: the rule has 3 people and needs 2; bob asks, so only alice and carol may approve
    const reachable = applyPolicy({ ...imageItem('base'), requestedBy: 'email:bob@example.com' }, policy);
    const unreachable = applyPolicy(
      { ...imageItem('base'), requestedBy: 'email:bob@example.com', requiredApprovals: 3 },
      policy,
    );
    expect(reachable.kind).toBe('eligible');
    expect(unreachable).toEqual({ kind: 'refused', reason: expect.stringContaining('3 approvals are needed') });
  });

  it('counts two identities of one mapped person once: narrowing to them cannot reach a quorum of two', () => {
    const item = { ...imageItem('base'), approvers: ['email:alice@example.com', 'slack:U024BE7LH'] };
    const applied = applyPolicy(item, policy);
    expect(applied).toEqual({ kind: 'refused', reason: expect.stringContaining('2 approvals are needed') });
  });

  it('keeps rejections reachable after narrowing', () => {
    const applied = applyPolicy(
      { ...imageItem('base'), approvers: ['email:alice@example.com', 'email:bob@example.com'] },
      { ...policy, rules: [{ ...(policy.rules[1] as PolicyRule), requiredRejections: 3 }] },
    );
    expect(applied.kind === 'eligible' && applied.item.requiredRejections).toBe(2);
  });

  it('refuses when no rule matches: nobody is eligible', () => {
    expect(applyPolicy(imageItem('x'), { people, rules: [] })).toEqual({
      kind: 'refused',
      reason: 'no policy rule covers this imagebuilder workflow',
    });
  });
});

describe('notificationRouting', () => {
  it('e-mails nobody outside identities.allowed', () => {
    const bounded: PolicyDocument = { ...policy, identities: { allowed: ['email:*@example.com'] } };
    const routing = notificationRouting(bounded, {
      source: 'ssm',
      workflowRef: 'x',
      approvers: ['email:carol@example.com', 'email:mallory@evil.example'],
    });
    expect(routing.emailRecipients).toEqual(['carol@example.com']);
  });

  it('does not invite the requester to approve their own request', () => {
    const routing = notificationRouting(policy, {
      source: 'ssm',
      workflowRef: 'x',
      approvers: ['person:alice', 'person:bob'],
      requestedBy: 'slack:U024BE7LH',
    });
    expect(routing.emailRecipients).toEqual(['bob@example.com']);
  });
});

describe('canonicalVoter', () => {
  it('canonicalises the identity and refuses one outside identities.allowed', () => {
    const bound = { people, allowedIdentities: ['email:*@example.com'] };
    expect(canonicalVoter('apr_x', ' email:Carol@Example.COM. ', bound)).toBe('email:carol@example.com');
    expect(() => canonicalVoter('apr_x', 'email:mallory@evil.example', bound)).toThrow(NotAnApproverError);
    expect(() => canonicalVoter('apr_x', 'email:car\u200bol@example.com', bound)).toThrow(InvalidIdentityError);
  });
});

describe('assertMayVote', () => {
  it.each([
    ['in capitals with a trailing dot', 'email:Carol@Example.COM.'],
    ['with surrounding spaces', '  email:carol@example.com '],
    [
      'as an IAM Identity Center session',
      'iam:arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_0123456789abcdef/carol@example.com',
    ],
  ])('refuses a requester written %s approving their own request', (_how, requestedBy) => {
    const requested = approval({ approvers: ['email:alice@example.com', 'email:carol@example.com'], requestedBy });
    const directory = { people, identityCenterAccounts: ['111122223333'] };
    expect(() =>
      assertMayVote(requested, { approver: 'email:carol@example.com', decision: 'approve' }, directory, now),
    ).toThrow(SelfApprovalError);
  });

  it('accepts any identity of a person the allow-list names as person:<name>', () => {
    const byPerson = approval({ approvers: ['person:alice'] });
    expect(() =>
      assertMayVote(byPerson, { approver: 'slack:U024BE7LH', decision: 'approve' }, { people }, now),
    ).not.toThrow();
    expect(() =>
      assertMayVote(byPerson, { approver: 'email:bob@example.com', decision: 'approve' }, { people }, now),
    ).toThrow(NotAnApproverError);
  });

  it('accepts an approver under any of their identities', () => {
    expect(() =>
      assertMayVote(approval(), { approver: 'slack:U024BE7LH', decision: 'approve' }, { people }, now),
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
    expect(() => assertMayVote(subject, { approver, decision }, { people }, now)).toThrow(errorClass);
  });

  it('lets the requester reject (withdraw) their own request', () => {
    expect(() =>
      assertMayVote(approval(), { approver: 'email:bob@example.com', decision: 'reject' }, { people }, now),
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
    expect(tallyVotes(twoOfAlice, { people })).toBe('pending');
    expect(tallyVotes(aliceAndBob, { people })).toBe('approved');
  });

  it('rejects at the first rejection by default, or at requiredRejections', () => {
    const oneReject = [vote('email:alice@example.com', 'reject')];
    expect(tallyVotes(approval({ votes: oneReject }), { people })).toBe('rejected');
    expect(tallyVotes(approval({ votes: oneReject, requiredRejections: 2 }), { people })).toBe('pending');
  });
});

function manyPeople(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `email:person${index}@example.com`);
}

describe('parsePolicyDocument', () => {
  it('accepts the repository policy file shape', () => {
    expect(parsePolicyDocument({ people, rules: policy.rules }).rules).toHaveLength(3);
  });

  it.each([
    ['an approver that is not an identity', { rules: [{ name: 'x', match: {}, approvers: ['alice'] }] }],
    ['an unknown source', { rules: [{ name: 'x', match: { source: 'lambda' }, approvers: [] }] }],
    ['an unknown top-level key', { people: {}, rules: [], extra: true }],
    ['a zero quorum', { rules: [{ name: 'x', match: {}, approvers: [], requiredApprovals: 0 }] }],
    ['an identity with a zero-width space', { people: { a: ['email:a\u200b@example.com'] }, rules: [] }],
    ['one identity in two people', { people: { a: ['email:a@example.com'], b: ['email:A@example.com.'] }, rules: [] }],
    ['a person the people map does not know', { rules: [{ name: 'x', match: {}, approvers: ['person:zed'] }] }],
    [
      'a person named after an object property',
      { rules: [{ name: 'x', match: {}, approvers: ['person:constructor'] }] },
    ],
    [
      'a quorum no set of distinct people can reach',
      {
        people,
        rules: [{ name: 'x', match: {}, approvers: ['person:alice', 'slack:U024BE7LH'], requiredApprovals: 2 }],
      },
    ],
    [
      'rejections no set of distinct people can reach',
      { people, rules: [{ name: 'x', match: {}, approvers: ['person:alice'], requiredRejections: 2 }] },
    ],
    [
      'an identity outside identities.allowed',
      {
        identities: { allowed: ['email:*@example.com'] },
        rules: [{ name: 'x', match: {}, approvers: ['email:mallory@evil.example'] }],
      },
    ],
    ['more people than one approval may hold', { rules: [{ name: 'x', match: {}, approvers: manyPeople(51) }] }],
  ])('refuses %s, naming where', (_name, document) => {
    expect(() => parsePolicyDocument(document)).toThrow(InvalidPolicyError);
  });

  it('stores every identity in canonical form', () => {
    const parsed = parsePolicyDocument({
      people: { carol: [' email:Carol@Example.COM. ', 'slack:u024be7lc'] },
      rules: [{ name: 'x', match: {}, approvers: ['person:carol', 'email:Dan@Example.com'], requiredApprovals: 2 }],
    });
    expect(parsed.people.carol).toEqual(['email:carol@example.com', 'slack:U024BE7LC']);
    expect(parsed.rules[0]?.approvers).toEqual(['person:carol', 'email:dan@example.com']);
  });
});
