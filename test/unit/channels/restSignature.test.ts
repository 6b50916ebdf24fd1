import { describe, expect, it } from 'vitest';
import {
  InvalidSignatureError,
  type InvalidSignatureReason,
  SigningKeyConfigurationError,
} from '../../../shared/channels/errors';
import { signRestRequest, verifyRestSignature } from '../../../shared/channels/restSignature';

const SECRET = 'whsec_greenlight_test_vector';
const T = 1767225600; // 2026-01-01T00:00:00Z
const NOW = new Date(T * 1000);
const REQUEST = {
  method: 'POST',
  pathWithQuery: '/v1/approvals/apr_x/decision',
  body: '{"decision":"approve"}',
};
/**
 * Computed independently of our code:
 *   printf '%s' '1767225600.POST./v1/approvals/apr_x/decision.{"decision":"approve"}' \
 *     | openssl dgst -sha256 -hmac 'whsec_greenlight_test_vector'
 */
const VECTOR_HEX = '9ca57581ea3b51851df6306af2a1955339d13a0d6893f81e528fb71bfa3d4232';
const VECTOR_HEADER = `t=${T},v1=${VECTOR_HEX}`;

function reasonOf(action: () => void): InvalidSignatureReason | 'no error' {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidSignatureError) return error.reason;
    throw error;
  }
  return 'no error';
}

describe('signRestRequest', () => {
  it('produces the documented header for the independent test vector', () => {
    // Act
    const header = signRestRequest(SECRET, { ...REQUEST, timestamp: T });
    // Assess
    expect(header).toBe(VECTOR_HEADER);
  });

  it('upper-cases the method before signing', () => {
    // Act
    const header = signRestRequest(SECRET, { ...REQUEST, method: 'post', timestamp: T });
    // Assess
    expect(header).toBe(VECTOR_HEADER);
  });

  it('refuses an empty secret and a non-integer timestamp', () => {
    // Act / Assess
    expect(() => signRestRequest('', { ...REQUEST, timestamp: T })).toThrow(SigningKeyConfigurationError);
    expect(() => signRestRequest(SECRET, { ...REQUEST, timestamp: 1.5 })).toThrow(TypeError);
  });
});

describe('verifyRestSignature', () => {
  it('accepts the independent test vector', () => {
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], VECTOR_HEADER, { ...REQUEST, now: NOW }));
    // Assess
    expect(reason).toBe('no error');
  });

  it('accepts a lower-case method from the request by upper-casing it', () => {
    // Act
    const reason = reasonOf(() =>
      verifyRestSignature([SECRET], VECTOR_HEADER, { ...REQUEST, method: 'post', now: NOW }),
    );
    // Assess
    expect(reason).toBe('no error');
  });

  it('throws an InvalidSignatureError that names the reason and carries no signature', () => {
    // Prepare
    const header = `t=${T},v1=${'0'.repeat(64)}`;
    // Act
    let caught: unknown;
    try {
      verifyRestSignature([SECRET], header, { ...REQUEST, now: NOW });
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(InvalidSignatureError);
    expect(caught).toMatchObject({ name: 'InvalidSignatureError', reason: 'mismatch' });
    expect((caught as Error).message).not.toContain('0000');
    expect((caught as Error).message).not.toContain(SECRET);
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('reports a %s header as missing', (_label, header) => {
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], header, { ...REQUEST, now: NOW }));
    // Assess
    expect(reason).toBe('missing');
  });

  it.each([
    ['no t', `v1=${VECTOR_HEX}`],
    ['no v1', `t=${T}`],
    ['non-numeric t', `t=abc,v1=${VECTOR_HEX}`],
    ['negative t', `t=-${T},v1=${VECTOR_HEX}`],
    ['fractional t', `t=${T}.5,v1=${VECTOR_HEX}`],
    ['empty t', `t=,v1=${VECTOR_HEX}`],
    ['two t', `t=${T},t=${T},v1=${VECTOR_HEX}`],
    ['short hex', `t=${T},v1=${VECTOR_HEX.slice(2)}`],
    ['non-hex v1', `t=${T},v1=${'g'.repeat(64)}`],
    ['space inside the hex', `t=${T},v1=${VECTOR_HEX.slice(0, 10)} ${VECTOR_HEX.slice(10)}`],
    ['empty element', `t=${T},,v1=${VECTOR_HEX}`],
    ['element without =', `t=${T},v1`],
    ['semicolons instead of commas', `t=${T};v1=${VECTOR_HEX}`],
    ['upper-case key', `T=${T},V1=${VECTOR_HEX}`],
    ['junk', 'Bearer abc.def'],
    ['overlong', `t=${T},${`v1=${VECTOR_HEX},`.repeat(20)}`],
  ])('reports a header with %s as malformed', (_label, header) => {
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], header, { ...REQUEST, now: NOW }));
    // Assess
    expect(reason).toBe('malformed');
  });

  it('accepts upper-case hex and spaces around elements (both carry no meaning)', () => {
    // Prepare
    const upper = `t=${T},v1=${VECTOR_HEX.toUpperCase()}`;
    const spaced = `  t = ${T} ,  v1=${VECTOR_HEX}  `;
    // Act
    const reasons = [upper, spaced].map((header) =>
      reasonOf(() => verifyRestSignature([SECRET], header, { ...REQUEST, now: NOW })),
    );
    // Assess
    expect(reasons).toEqual(['no error', 'no error']);
  });

  it('ignores unknown schemes such as a future v2 while a v1 matches', () => {
    // Prepare
    const header = `t=${T},v2=whatever,v1=${VECTOR_HEX}`;
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], header, { ...REQUEST, now: NOW }));
    // Assess
    expect(reason).toBe('no error');
  });

  it.each([
    ['300 s after', T + 300, 'no error'],
    ['300 s before', T - 300, 'no error'],
    ['301 s after', T + 301, 'stale'],
    ['301 s before', T - 301, 'stale'],
  ])('with the clock %s the signed time the result is %s', (_label, nowSeconds, expected) => {
    // Prepare
    const now = new Date(nowSeconds * 1000);
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], VECTOR_HEADER, { ...REQUEST, now }));
    // Assess
    expect(reason).toBe(expected);
  });

  it('rejects a correctly signed but old request as stale (a captured request cannot be replayed later)', () => {
    // Prepare
    const oneHourLater = new Date((T + 3600) * 1000);
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], VECTOR_HEADER, { ...REQUEST, now: oneHourLater }));
    // Assess
    expect(reason).toBe('stale');
  });

  it.each([
    ['another approval', { pathWithQuery: '/v1/approvals/apr_y/decision' }],
    ['another method', { method: 'PUT' }],
    ['another body', { body: '{"decision":"reject"}' }],
    ['a body with a trailing newline', { body: '{"decision":"approve"}\n' }],
    ['an added query string', { pathWithQuery: '/v1/approvals/apr_x/decision?x=1' }],
  ])('refuses a signature replayed onto %s', (_label, change) => {
    // Prepare
    const header = signRestRequest(SECRET, { ...REQUEST, timestamp: T });
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], header, { ...REQUEST, ...change, now: NOW }));
    // Assess
    expect(reason).toBe('mismatch');
  });

  it('refuses a signature made with another secret', () => {
    // Prepare
    const header = signRestRequest('some-other-secret', { ...REQUEST, timestamp: T });
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], header, { ...REQUEST, now: NOW }));
    // Assess
    expect(reason).toBe('mismatch');
  });

  it('refuses a timestamp changed after signing (t is part of the signed text)', () => {
    // Prepare
    const header = `t=${T + 1},v1=${VECTOR_HEX}`;
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], header, { ...REQUEST, now: NOW }));
    // Assess
    expect(reason).toBe('mismatch');
  });

  it('accepts any of several secrets during a rotation, and stops accepting a secret once it is removed', () => {
    // Prepare
    const signedWithOld = signRestRequest('old-secret', { ...REQUEST, timestamp: T });
    // Act
    const duringRotation = reasonOf(() =>
      verifyRestSignature(['new-secret', 'old-secret'], signedWithOld, { ...REQUEST, now: NOW }),
    );
    const afterRotation = reasonOf(() => verifyRestSignature(['new-secret'], signedWithOld, { ...REQUEST, now: NOW }));
    // Assess
    expect(duringRotation).toBe('no error');
    expect(afterRotation).toBe('mismatch');
  });

  it('accepts a header carrying several v1 values when one of them matches', () => {
    // Prepare
    const otherV1 = signRestRequest('new-secret', { ...REQUEST, timestamp: T }).split('v1=')[1];
    const header = `t=${T},v1=${otherV1},v1=${VECTOR_HEX}`;
    // Act
    const reason = reasonOf(() => verifyRestSignature([SECRET], header, { ...REQUEST, now: NOW }));
    // Assess
    expect(reason).toBe('no error');
  });

  it('refuses to run without a usable secret (an empty secret would let anyone sign)', () => {
    // Act / Assess
    expect(() => verifyRestSignature([], VECTOR_HEADER, { ...REQUEST, now: NOW })).toThrow(
      SigningKeyConfigurationError,
    );
    expect(() => verifyRestSignature([''], VECTOR_HEADER, { ...REQUEST, now: NOW })).toThrow(
      SigningKeyConfigurationError,
    );
  });
});
