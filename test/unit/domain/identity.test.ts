import { describe, expect, it } from 'vitest';
import { InvalidIdentityError } from '../../../shared/domain/errors';
import {
  canonicalIdentity,
  globMatches,
  identityAllowed,
  identityCenterEmail,
  isIdentity,
} from '../../../shared/domain/identity';

describe('canonicalIdentity', () => {
  it.each([
    ['email:Carol@Example.COM', 'email:carol@example.com'],
    ['email:carol@example.com.', 'email:carol@example.com'],
    ['  email:carol@example.com\t', 'email:carol@example.com'],
    ['EMAIL:carol@example.com', 'email:carol@example.com'],
    ['email:ｃａｒｏｌ@ｅｘａｍｐｌｅ.ｃｏｍ', 'email:carol@example.com'],
    ['slack:u024be7lc', 'slack:U024BE7LC'],
    ['client:Deploy-Bot', 'client:deploy-bot'],
    ['iam:arn:aws:iam::111122223333:user/Alice', 'iam:arn:aws:iam::111122223333:user/Alice'],
  ])('%s → %s', (raw, canonical) => {
    expect(canonicalIdentity(raw)).toBe(canonical);
  });

  it('keeps plus-addressing as another identity (the people map can join them)', () => {
    expect(canonicalIdentity('email:carol+deploy@example.com')).not.toBe(canonicalIdentity('email:carol@example.com'));
  });

  it.each([
    ['a zero-width space', 'email:car\u200bol@example.com'],
    ['a zero-width joiner', 'email:carol\u200d@example.com'],
    ['a right-to-left override', 'email:\u202ecarol@example.com'],
    ['a byte-order mark', '\ufeffemail:carol@example.com'],
    ['a soft hyphen', 'email:car\u00adol@example.com'],
    ['a newline inside', 'email:carol@example.com\nemail:x@y.z'],
    ['a NUL', 'email:carol@example.com\u0000'],
    ['a Cyrillic look-alike letter', 'email:\u0430lice@example.com'],
    ['a combining grapheme joiner', 'email:al\u034fice@example.com'],
    ['a Hangul filler', 'email:alice\u3164@example.com'],
    ['a braille blank', 'email:alice@example.com\u2800'],
    ['a variation selector', 'email:alice\ufe0f@example.com'],
    ['a look-alike letter in an IAM ARN', 'iam:arn:aws:iam::111122223333:user/\u0430lice'],
  ])('refuses %s, without echoing the value', (_name, raw) => {
    const error = (() => {
      try {
        canonicalIdentity(raw);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(InvalidIdentityError);
    expect((error as Error).message).not.toContain('carol');
  });

  it.each([
    'alice',
    'email:alice',
    'email:alice@localhost',
    'email:a@b@example.com',
    'slack:alice',
    'iam:arn:aws:s3:::bucket',
    'person:alice',
    'client:',
    `email:${'a'.repeat(600)}@example.com`,
  ])('refuses %s as no identity', (raw) => {
    expect(isIdentity(raw)).toBe(false);
  });
});

describe('identityCenterEmail', () => {
  const TRUSTED = ['111122223333'];

  it('reads the e-mail of an Identity Center session of a trusted account, in canonical form', () => {
    expect(
      identityCenterEmail(
        'iam:arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admins_0123456789abcdef/Carol@Example.com',
        TRUSTED,
      ),
    ).toBe('email:carol@example.com');
  });

  it('believes no other account: anyone can name a role AWSReservedSSO_…', () => {
    expect(
      identityCenterEmail(
        'iam:arn:aws:sts::999999999999:assumed-role/AWSReservedSSO_Admins_0123456789abcdef/carol@example.com',
        TRUSTED,
      ),
    ).toBeUndefined();
    expect(
      identityCenterEmail(
        'iam:arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admins_0123456789abcdef/carol@example.com',
        [],
      ),
    ).toBeUndefined();
  });

  it('reads nothing from other sessions or from a session name that is no address', () => {
    expect(
      identityCenterEmail('iam:arn:aws:sts::111122223333:assumed-role/deployer/carol@example.com', TRUSTED),
    ).toBeUndefined();
    expect(
      identityCenterEmail(
        'iam:arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admins_0123456789abcdef/carol',
        TRUSTED,
      ),
    ).toBeUndefined();
    expect(identityCenterEmail('email:carol@example.com', TRUSTED)).toBeUndefined();
  });
});

describe('identityAllowed / globMatches', () => {
  it('matches * as any run of characters and everything else literally', () => {
    expect(globMatches('email:*@example.com', 'email:carol@example.com')).toBe(true);
    expect(globMatches('email:*@example.com', 'email:carol@example.com.evil.example')).toBe(false);
    expect(globMatches('email:*@example.com', 'email:carol@exampleXcom')).toBe(false);
  });

  it('matches an Identity Center session by its ARN, not by the e-mail it stands for', () => {
    const session =
      'iam:arn:aws:sts::999999999999:assumed-role/AWSReservedSSO_Admins_0123456789abcdef/carol@example.com';
    expect(identityAllowed(session, ['email:*@example.com'])).toBe(false);
    expect(identityAllowed(session, ['iam:arn:aws:sts::999999999999:assumed-role/AWSReservedSSO_*'])).toBe(true);
  });
});
