import { describe, expect, it } from 'vitest';
import { ClientMayNotActForError, InvalidIdentityError } from '../../../shared/domain/errors';
import { InvalidPolicyError, parsePolicyDocument } from '../../../shared/domain/policyDocument';
import { type ClientPolicy, clientDecider, mayActFor, policyClient } from '../../../shared/domain/restClients';
import { describeHttpError } from '../../../shared/runtime/httpErrorResponses';

const policy: ClientPolicy = {
  people: {
    alice: ['email:alice@example.com', 'slack:U024BE7LH'],
    bob: ['email:bob@example.com', 'slack:U024BE7LB'],
    carol: ['email:carol@example.com'],
  },
  identities: { identityCenterAccounts: ['111122223333'] },
  clients: {
    'alice-cli': { actsFor: ['person:alice'] },
    'release-bot': { actsFor: ['email:*@example.com', 'person:carol'] },
    'ci-gate': {},
    'empty-list': { actsFor: [] },
    'other-clients': { actsFor: ['client:ci-*'] },
  },
};

describe('mayActFor', () => {
  it.each([
    // A person entry: any identity of that person, however it is written
    ['client:alice-cli', 'email:alice@example.com', true],
    ['client:alice-cli', 'slack:U024BE7LH', true],
    ['client:alice-cli', ' email:Alice@Example.COM. ', true],
    // …an Identity Center session of a trusted account is its e-mail's person
    [
      'client:alice-cli',
      'iam:arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com',
      true,
    ],
    // …and nobody else
    ['client:alice-cli', 'email:bob@example.com', false],
    ['client:alice-cli', 'slack:U024BE7LB', false],
    ['client:alice-cli', 'email:alice+ops@example.com', false],
    ['client:alice-cli', 'client:release-bot', false],
    // A glob: the named identity itself, in canonical form
    ['client:release-bot', 'email:bob@example.com', true],
    ['client:release-bot', 'email:BOB@EXAMPLE.COM', true],
    ['client:release-bot', 'email:mallory@example.com', true],
    ['client:release-bot', 'slack:U024BE7LB', false],
    ['client:release-bot', 'email:bob@example.com.evil', false],
    ['client:release-bot', 'email:bob@evil.example', false],
    ['client:release-bot', 'slack:U024BE7LH', false],
    // …beside a person entry
    ['client:release-bot', 'email:carol@example.com', true],
    // No actsFor (absent or empty): only as itself
    ['client:ci-gate', 'client:ci-gate', true],
    ['client:ci-gate', 'email:alice@example.com', false],
    ['client:empty-list', 'email:alice@example.com', false],
    // Every declared client may name itself
    ['client:alice-cli', 'client:alice-cli', true],
    ['client:release-bot', 'client:release-bot', true],
    // A glob over clients
    ['client:other-clients', 'client:ci-gate', true],
    ['client:other-clients', 'client:release-bot', false],
    // A client the policy does not declare: nothing, not even itself
    ['client:nobody', 'client:nobody', false],
    ['client:constructor', 'client:constructor', false],
    // Not a client at all
    ['email:alice@example.com', 'email:alice@example.com', false],
  ])('%s for %s → %s', (client, approver, expected) => {
    expect(mayActFor(client, approver, policy)).toBe(expected);
  });

  it('refuses an approver that is no identity, or hides characters, as an invalid identity', () => {
    expect(() => mayActFor('client:release-bot', 'alice', policy)).toThrow(InvalidIdentityError);
    expect(() => mayActFor('client:release-bot', 'email:al\u200bice@example.com', policy)).toThrow(
      InvalidIdentityError,
    );
  });
});

describe('clientDecider', () => {
  it('decides as the client itself when the body names no approver, without via', () => {
    expect(clientDecider('client:ci-gate', undefined, policy)).toEqual({ approver: 'client:ci-gate' });
    expect(clientDecider('client:release-bot', undefined, policy)).toEqual({ approver: 'client:release-bot' });
  });

  it('decides as a named approver inside actsFor, canonical, via the client', () => {
    expect(clientDecider('client:alice-cli', 'slack:u024be7lh', policy)).toEqual({
      approver: 'slack:U024BE7LH',
      via: 'client:alice-cli',
    });
  });

  it('records no via when the client names itself', () => {
    expect(clientDecider('client:ci-gate', 'client:ci-gate', policy)).toEqual({ approver: 'client:ci-gate' });
  });

  it('refuses an approver outside actsFor with a 403 that names the client and the approver', () => {
    // Act
    let caught: unknown;
    try {
      clientDecider('client:alice-cli', 'email:Bob@example.com', policy);
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(ClientMayNotActForError);
    expect((caught as Error).message).toMatch(/^client:alice-cli may not decide for email:bob@example\.com/);
    expect(describeHttpError(caught)).toMatchObject({ statusCode: 403, code: 'may_not_act_for', expected: true });
  });
});

describe('policyClient', () => {
  it('finds declared clients only (never an object property, never a malformed name)', () => {
    expect(policyClient(policy, 'ci-gate')).toEqual({});
    expect(policyClient(policy, 'nobody')).toBeUndefined();
    expect(policyClient(policy, 'constructor')).toBeUndefined();
    expect(policyClient(policy, '__proto__')).toBeUndefined();
    expect(policyClient({}, 'ci-gate')).toBeUndefined();
  });
});

describe('the policy file: clients', () => {
  const people = { alice: ['email:alice@example.com'] };

  it('accepts clients with identity globs and person entries, or none, and defaults to no clients', () => {
    const parsed = parsePolicyDocument({
      people,
      rules: [],
      clients: { 'release-bot': { actsFor: ['email:*@example.com', 'person:alice'] }, 'ci-gate': {} },
    });
    expect(parsed.clients).toEqual({
      'release-bot': { actsFor: ['email:*@example.com', 'person:alice'] },
      'ci-gate': {},
    });
    expect(parsePolicyDocument({ people, rules: [] }).clients).toEqual({});
  });

  it.each([
    ['an upper-case client name', { clients: { 'Release-Bot': {} } }],
    ['a client name with a slash', { clients: { 'a/b': {} } }],
    ['a client name of 65 characters', { clients: { ['a'.repeat(65)]: {} } }],
    ['an actsFor entry that is no glob or person', { clients: { bot: { actsFor: ['alice'] } } }],
    ['an unknown person in actsFor', { people, clients: { bot: { actsFor: ['person:zed'] } } }],
    ['an unknown key in a client', { clients: { bot: { actsFor: [], secret: 'x' } } }],
  ])('refuses %s', (_name, document) => {
    expect(() => parsePolicyDocument({ rules: [], ...document })).toThrow(InvalidPolicyError);
  });

  it('the repository policy declares the local clients', async () => {
    const { policyDocument } = await import('../../../shared/runtime/policy');
    expect(Object.keys(policyDocument.clients ?? {}).sort()).toEqual(['alice-cli', 'ci-gate', 'release-bot']);
    expect(policyDocument.clients?.['ci-gate']?.actsFor ?? []).toEqual([]);
  });
});
