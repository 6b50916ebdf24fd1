import { describe, expect, it } from 'vitest';
import { CsrfTokenError, InvalidSsoSessionError } from '../../../shared/channels/errors';
import {
  assertCsrfToken,
  cookieValue,
  openPendingSignIn,
  openSession,
  safeReturnPath,
  sealPendingSignIn,
  sealSession,
  setCookie,
} from '../../../shared/channels/ssoSession';

const KEYS = { currentKeyId: 's1', keys: { s1: 'a'.repeat(64) } };
const NOW = new Date('2026-11-22T10:00:00.000Z');

async function refusal(promise: Promise<unknown>): Promise<InvalidSsoSessionError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidSsoSessionError);
  return error as InvalidSsoSessionError;
}

describe('inbox session cookies', () => {
  it('round-trips the identity and CSRF token until the session expires', async () => {
    // Prepare
    const { value, session } = await sealSession(KEYS, 'email:alice@example.com', NOW, 3600);
    // Act
    const opened = await openSession(KEYS, value, new Date(NOW.getTime() + 3599_000));
    // Assess
    expect(opened).toEqual(session);
    expect(value).not.toContain('alice');
  });

  it('refuses an expired session', async () => {
    const { value } = await sealSession(KEYS, 'email:alice@example.com', NOW, 3600);
    expect((await refusal(openSession(KEYS, value, new Date(NOW.getTime() + 3601_000)))).reason).toBe('expired');
  });

  it('refuses a tampered cookie, whichever character changed', async () => {
    // Prepare
    const { value } = await sealSession(KEYS, 'email:alice@example.com', NOW);
    const tampered = [10, value.length / 2, value.length - 3].map((at) => {
      const index = Math.floor(at);
      return `${value.slice(0, index)}${value[index] === 'A' ? 'B' : 'A'}${value.slice(index + 1)}`;
    });
    // Act / Assess
    for (const cookie of tampered) expect((await refusal(openSession(KEYS, cookie, NOW))).reason).toBe('invalid');
  });

  it('refuses a cookie sealed with a key that was removed, and a missing one', async () => {
    const { value } = await sealSession(KEYS, 'email:alice@example.com', NOW);
    const rotated = { currentKeyId: 's2', keys: { s2: 'b'.repeat(64) } };
    expect((await refusal(openSession(rotated, value, NOW))).reason).toBe('invalid');
    expect((await refusal(openSession(KEYS, undefined, NOW))).reason).toBe('missing');
  });

  it('never takes a sign-in state cookie for a session', async () => {
    const state = await sealPendingSignIn(KEYS, { state: 's', nonce: 'n', codeVerifier: 'v', returnTo: '/inbox' }, NOW);
    expect((await refusal(openSession(KEYS, state, NOW))).reason).toBe('invalid');
    await expect(openPendingSignIn(KEYS, state, NOW)).resolves.toMatchObject({ state: 's', returnTo: '/inbox' });
  });

  it('accepts only the session CSRF token', async () => {
    const { session } = await sealSession(KEYS, 'email:alice@example.com', NOW);
    expect(() => assertCsrfToken(session, session.csrfToken)).not.toThrow();
    expect(() => assertCsrfToken(session, undefined)).toThrow(CsrfTokenError);
    expect(() => assertCsrfToken(session, `${session.csrfToken}x`)).toThrow(CsrfTokenError);
  });

  it.each([
    ['/inbox/approvals/apr_1?done=1', '/inbox/approvals/apr_1?done=1'],
    ['https://evil.example/inbox', '/inbox'],
    ['//evil.example/inbox', '/inbox'],
    ['/inbox//evil.example', '/inbox'],
    ['/review/x', '/inbox'],
  ])('returns after sign-in to %s as %s (never another site)', (path, expected) => {
    expect(safeReturnPath(path)).toBe(expected);
  });

  it('sets HttpOnly, Secure, SameSite=Lax cookies and reads them back', () => {
    expect(setCookie('__Host-x', 'v', 60)).toBe('__Host-x=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax');
    expect(cookieValue(['a=1', '__Host-x=v'], '__Host-x')).toBe('v');
  });
});
