import { describe, expect, it } from 'vitest';
import {
  InvalidReviewLinkError,
  type InvalidReviewLinkReason,
  SigningKeyConfigurationError,
} from '../../../shared/channels/errors';
import {
  createReviewLinkToken,
  type ReviewLinkKeys,
  reviewLinkUrl,
  verifyReviewLinkToken,
} from '../../../shared/channels/reviewLinks';

const APPROVAL_ID = 'apr_0123456789abcdef0123456789abcdef';
const OTHER_APPROVAL_ID = 'apr_fedcba9876543210fedcba9876543210';
const APPROVER = 'email:alice@example.com';
const NOW = new Date('2026-11-22T10:00:00.000Z');
const EXPIRES_AT = new Date('2026-11-25T10:00:00.000Z');
const KEYS: ReviewLinkKeys = {
  currentKeyId: 'k2',
  keys: { k1: 'old-review-link-secret', k2: 'new-review-link-secret' },
};

function reasonOf(action: () => unknown): InvalidReviewLinkReason | 'no error' {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidReviewLinkError) return error.reason;
    throw error;
  }
  return 'no error';
}

function decodePayload(token: string): unknown {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Every variant of `text` with exactly one character in [from, to) replaced by another base64url character. */
function oneCharacterVariants(text: string, from: number, to: number): string[] {
  const variants: string[] = [];
  for (let index = from; index < to; index += 1) {
    for (const replacement of BASE64URL_ALPHABET) {
      if (replacement !== text[index]) variants.push(`${text.slice(0, index)}${replacement}${text.slice(index + 1)}`);
    }
  }
  return variants;
}

describe('createReviewLinkToken / verifyReviewLinkToken', () => {
  it('round-trips the approval id, the one approver, the expiry and the key id', () => {
    // Prepare
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT });
    // Act
    const claims = verifyReviewLinkToken(KEYS, token, { approvalId: APPROVAL_ID, now: NOW });
    // Assess
    expect(claims).toEqual({ approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT, keyId: 'k2' });
  });

  it('is a compact URL-safe token whose payload holds only id, approver, expiry, key id and version', () => {
    // Act
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT });
    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(decodePayload(token)).toEqual({
      v: 1,
      a: APPROVAL_ID,
      i: APPROVER,
      e: EXPIRES_AT.getTime() / 1000,
      k: 'k2',
    });
    expect(token).not.toContain(Buffer.from('new-review-link-secret').toString('base64url').slice(0, 12));
    expect(JSON.stringify(decodePayload(token))).not.toContain('secret');
  });

  it('stays under 400 characters for a long email identity', () => {
    // Prepare
    const longApprover = `email:${'firstname.middlename.lastname'.repeat(3)}@department.example-corporation.com`;
    // Act
    const token = createReviewLinkToken(KEYS, {
      approvalId: APPROVAL_ID,
      approver: longApprover,
      expiresAt: EXPIRES_AT,
    });
    // Assess
    expect(longApprover.length).toBeGreaterThan(100);
    expect(token.length).toBeLessThan(400);
    expect(verifyReviewLinkToken(KEYS, token, { approvalId: APPROVAL_ID, now: NOW }).approver).toBe(longApprover);
  });

  it('rejects the link once it has expired, and at the exact expiry second', () => {
    // Prepare
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT });
    // Act
    const justBefore = reasonOf(() =>
      verifyReviewLinkToken(KEYS, token, { approvalId: APPROVAL_ID, now: new Date(EXPIRES_AT.getTime() - 1) }),
    );
    const atExpiry = reasonOf(() => verifyReviewLinkToken(KEYS, token, { approvalId: APPROVAL_ID, now: EXPIRES_AT }));
    const later = reasonOf(() =>
      verifyReviewLinkToken(KEYS, token, { approvalId: APPROVAL_ID, now: new Date('2027-01-01T00:00:00Z') }),
    );
    // Assess
    expect(justBefore).toBe('no error');
    expect(atExpiry).toBe('expired');
    expect(later).toBe('expired');
  });

  it('rejects a link for another approval (a link cannot be reused on a second approval)', () => {
    // Prepare
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT });
    // Act
    const reason = reasonOf(() => verifyReviewLinkToken(KEYS, token, { approvalId: OTHER_APPROVAL_ID, now: NOW }));
    // Assess
    expect(reason).toBe('wrong-approval');
  });

  it('rejects a payload re-encoded with another approver under the original signature', () => {
    // Prepare
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT });
    const [, signature] = token.split('.');
    const forgedPayload = {
      v: 1,
      a: APPROVAL_ID,
      i: 'email:mallory@example.com',
      e: EXPIRES_AT.getTime() / 1000,
      k: 'k2',
    };
    const forged = `${Buffer.from(JSON.stringify(forgedPayload)).toString('base64url')}.${signature}`;
    // Act
    const reason = reasonOf(() => verifyReviewLinkToken(KEYS, forged, { approvalId: APPROVAL_ID, now: NOW }));
    // Assess
    expect(reason).toBe('bad-signature');
  });

  it('rejects a payload whose expiry was extended under the original signature', () => {
    // Prepare
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: NOW });
    const [, signature] = token.split('.');
    const extended = { v: 1, a: APPROVAL_ID, i: APPROVER, e: EXPIRES_AT.getTime() / 1000, k: 'k2' };
    const forged = `${Buffer.from(JSON.stringify(extended)).toString('base64url')}.${signature}`;
    // Act
    const reason = reasonOf(() => verifyReviewLinkToken(KEYS, forged, { approvalId: APPROVAL_ID, now: NOW }));
    // Assess
    expect(reason).toBe('bad-signature');
  });

  it('rejects every one-character change to the payload (including changes to unused base64 bits)', () => {
    // Prepare
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT });
    const variants = oneCharacterVariants(token, 0, token.indexOf('.'));
    // Act
    const reasons = new Set(
      variants.map((tampered) =>
        reasonOf(() => verifyReviewLinkToken(KEYS, tampered, { approvalId: APPROVAL_ID, now: NOW })),
      ),
    );
    // Assess
    expect(reasons.has('no error')).toBe(false);
    for (const reason of reasons) expect(['malformed', 'unknown-key', 'bad-signature']).toContain(reason);
  });

  it('rejects every one-character change to the signature as bad-signature (including unused base64 bits)', () => {
    // Prepare
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT });
    const variants = oneCharacterVariants(token, token.indexOf('.') + 1, token.length);
    // Act
    const reasons = new Set(
      variants.map((tampered) =>
        reasonOf(() => verifyReviewLinkToken(KEYS, tampered, { approvalId: APPROVAL_ID, now: NOW })),
      ),
    );
    // Assess
    expect([...reasons]).toEqual(['bad-signature']);
  });

  it('rejects a truncated signature as bad-signature', () => {
    // Prepare
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT });
    // Act
    const reason = reasonOf(() =>
      verifyReviewLinkToken(KEYS, token.slice(0, -4), { approvalId: APPROVAL_ID, now: NOW }),
    );
    // Assess
    expect(reason).toBe('bad-signature');
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abcdef'],
    ['three parts', 'a.b.c'],
    ['non-base64url characters', 'ab+/.cd=='],
    ['not JSON', `${Buffer.from('hello').toString('base64url')}.AAAA`],
    ['a JSON array', `${Buffer.from('[1,2]').toString('base64url')}.AAAA`],
    ['a wrong version', `${Buffer.from('{"v":2,"a":"x","i":"y","e":1,"k":"k2"}').toString('base64url')}.AAAA`],
    ['a missing approver', `${Buffer.from('{"v":1,"a":"x","e":1,"k":"k2"}').toString('base64url')}.AAAA`],
    ['an extra claim', `${Buffer.from('{"v":1,"a":"x","i":"y","e":1,"k":"k2","t":"z"}').toString('base64url')}.AAAA`],
    ['a string expiry', `${Buffer.from('{"v":1,"a":"x","i":"y","e":"1","k":"k2"}').toString('base64url')}.AAAA`],
    ['an overlong token', `${'A'.repeat(3000)}.AAAA`],
  ])('rejects a token with %s as malformed', (_label, token) => {
    // Act
    const reason = reasonOf(() => verifyReviewLinkToken(KEYS, token, { approvalId: APPROVAL_ID, now: NOW }));
    // Assess
    expect(reason).toBe('malformed');
  });

  it('keeps accepting a link signed with a previous key while that key is listed, and refuses it once removed', () => {
    // Prepare
    const signedWithK1 = createReviewLinkToken(
      { currentKeyId: 'k1', keys: { k1: 'old-review-link-secret' } },
      { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT },
    );
    const withoutK1: ReviewLinkKeys = { currentKeyId: 'k2', keys: { k2: 'new-review-link-secret' } };
    // Act
    const whileListed = reasonOf(() =>
      verifyReviewLinkToken(KEYS, signedWithK1, { approvalId: APPROVAL_ID, now: NOW }),
    );
    const afterRemoval = reasonOf(() =>
      verifyReviewLinkToken(withoutK1, signedWithK1, { approvalId: APPROVAL_ID, now: NOW }),
    );
    // Assess
    expect(whileListed).toBe('no error');
    expect(afterRemoval).toBe('unknown-key');
  });

  it('only uses own keys: neither an inherited property nor a prototype method resolves as a key', () => {
    // Prepare
    const claims = { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT };
    const signedWithInherited = createReviewLinkToken(
      { currentKeyId: 'inherited', keys: { inherited: 'inherited-secret' } },
      claims,
    );
    const keysWithPrototype: ReviewLinkKeys = {
      currentKeyId: 'k2',
      keys: Object.assign(Object.create({ inherited: 'inherited-secret' }) as Record<string, string>, {
        k2: 'new-review-link-secret',
      }),
    };
    const toStringPayload = { v: 1, a: APPROVAL_ID, i: APPROVER, e: EXPIRES_AT.getTime() / 1000, k: 'toString' };
    const toStringToken = `${Buffer.from(JSON.stringify(toStringPayload)).toString('base64url')}.${'A'.repeat(43)}`;
    // Act
    const inherited = reasonOf(() =>
      verifyReviewLinkToken(keysWithPrototype, signedWithInherited, { approvalId: APPROVAL_ID, now: NOW }),
    );
    const prototypeMethod = reasonOf(() =>
      verifyReviewLinkToken(KEYS, toStringToken, { approvalId: APPROVAL_ID, now: NOW }),
    );
    // Assess
    expect(inherited).toBe('unknown-key');
    expect(prototypeMethod).toBe('unknown-key');
  });

  it('refuses a link signed with the same key id but a different secret', () => {
    // Prepare
    const token = createReviewLinkToken(
      { currentKeyId: 'k2', keys: { k2: 'attacker-guess' } },
      { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT },
    );
    // Act
    const reason = reasonOf(() => verifyReviewLinkToken(KEYS, token, { approvalId: APPROVAL_ID, now: NOW }));
    // Assess
    expect(reason).toBe('bad-signature');
  });

  it('throws an error that names itself and carries the reason, not the token', () => {
    // Prepare
    const token = createReviewLinkToken(KEYS, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT });
    // Act
    let caught: unknown;
    try {
      verifyReviewLinkToken(KEYS, token, { approvalId: OTHER_APPROVAL_ID, now: NOW });
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toMatchObject({ name: 'InvalidReviewLinkError', reason: 'wrong-approval' });
    expect((caught as Error).message).not.toContain(token);
  });

  it('refuses to sign when the current key id has no key', () => {
    // Prepare
    const broken: ReviewLinkKeys = { currentKeyId: 'k9', keys: { k1: 'old-review-link-secret' } };
    // Act / Assess
    expect(() =>
      createReviewLinkToken(broken, { approvalId: APPROVAL_ID, approver: APPROVER, expiresAt: EXPIRES_AT }),
    ).toThrow(SigningKeyConfigurationError);
  });
});

describe('reviewLinkUrl', () => {
  it.each([
    ['https://greenlight.example.com', 'https://greenlight.example.com/review/apr_x?t=abc.def'],
    ['https://greenlight.example.com/', 'https://greenlight.example.com/review/apr_x?t=abc.def'],
    ['https://api.example.com/prod//', 'https://api.example.com/prod/review/apr_x?t=abc.def'],
    ['http://localhost:3000', 'http://localhost:3000/review/apr_x?t=abc.def'],
  ])('joins %s without double slashes', (base, expected) => {
    // Act
    const url = reviewLinkUrl(base, 'apr_x', 'abc.def');
    // Assess
    expect(url).toBe(expected);
  });

  it('refuses a base that is not an http(s) URL', () => {
    // Act / Assess
    expect(() => reviewLinkUrl('javascript:alert(1)', 'apr_x', 'abc.def')).toThrow(TypeError);
    expect(() => reviewLinkUrl('greenlight.example.com', 'apr_x', 'abc.def')).toThrow(TypeError);
  });
});
