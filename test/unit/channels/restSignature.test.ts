import { describe, expect, it, vi } from 'vitest';
import {
  InvalidSignatureError,
  type InvalidSignatureReason,
  SigningKeyConfigurationError,
} from '../../../shared/channels/errors';
import {
  authenticateRestRequest,
  parseRestSignatureHeader,
  signRestRequest,
  verifyRestSignature,
} from '../../../shared/channels/restSignature';

const SECRET = 'whsec_greenlight_test_vector';
const CLIENT = { keyId: 'release-bot', secret: SECRET };
const T = 1767225600; // 2026-01-01T00:00:00Z
const NOW = new Date(T * 1000);
const REQUEST = {
  method: 'POST',
  pathWithQuery: '/v1/approvals/apr_x/decision',
  body: '{"decision":"approve"}',
};
/**
 * Computed independently of our code (the keyId is not part of the signed text):
 *   printf '%s' '1767225600.POST./v1/approvals/apr_x/decision.{"decision":"approve"}' \
 *     | openssl dgst -sha256 -hmac 'whsec_greenlight_test_vector'
 */
const VECTOR_HEX = '9ca57581ea3b51851df6306af2a1955339d13a0d6893f81e528fb71bfa3d4232';
const VECTOR_HEADER = `keyId=release-bot,t=${T},v1=${VECTOR_HEX}`;

function reasonOf(action: () => void): InvalidSignatureReason | 'no error' {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidSignatureError) return error.reason;
    throw error;
  }
  return 'no error';
}

/** Parse, then verify against these secrets (undefined: the client is unknown). */
function check(
  secrets: readonly string[] | undefined,
  header: string | undefined,
  request: typeof REQUEST & { now: Date } = { ...REQUEST, now: NOW },
): void {
  verifyRestSignature(secrets, parseRestSignatureHeader(header), request);
}

describe('signRestRequest', () => {
  it('produces the documented header for the independent test vector', () => {
    // Act
    const header = signRestRequest(CLIENT, { ...REQUEST, timestamp: T });
    // Assess
    expect(header).toBe(VECTOR_HEADER);
  });

  it('upper-cases the method before signing', () => {
    // Act
    const header = signRestRequest(CLIENT, { ...REQUEST, method: 'post', timestamp: T });
    // Assess
    expect(header).toBe(VECTOR_HEADER);
  });

  it('refuses an empty secret, a keyId that is no client name and a non-integer timestamp', () => {
    // Act / Assess
    expect(() => signRestRequest({ ...CLIENT, secret: '' }, { ...REQUEST, timestamp: T })).toThrow(
      SigningKeyConfigurationError,
    );
    expect(() => signRestRequest({ ...CLIENT, keyId: 'Release Bot' }, { ...REQUEST, timestamp: T })).toThrow(TypeError);
    expect(() => signRestRequest(CLIENT, { ...REQUEST, timestamp: 1.5 })).toThrow(TypeError);
  });
});

describe('parseRestSignatureHeader', () => {
  it('reads the keyId, the timestamp text and every v1 value, in any order', () => {
    // Act
    const parsed = parseRestSignatureHeader(`v1=${VECTOR_HEX}, t=${T} ,keyId=ci-gate,v1=${'A'.repeat(64)}`);
    // Assess
    expect(parsed.keyId).toBe('ci-gate');
    expect(parsed.timestamp).toBe(String(T));
    expect(parsed.signatures.map((signature) => signature.toString('hex'))).toEqual([VECTOR_HEX, 'a'.repeat(64)]);
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('reports a %s header as missing', (_label, header) => {
    expect(reasonOf(() => parseRestSignatureHeader(header))).toBe('missing');
  });

  it.each([
    ['the single-secret format', `t=${T},v1=${VECTOR_HEX}`],
    ['the single-secret format with two v1', `t=${T},v1=${VECTOR_HEX},v1=${VECTOR_HEX}`],
  ])('reports %s (no keyId) as no-key-id, with a message naming the format', (_label, header) => {
    // Act
    let caught: unknown;
    try {
      parseRestSignatureHeader(header);
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toMatchObject({ name: 'InvalidSignatureError', reason: 'no-key-id' });
    expect((caught as Error).message).toContain('keyId=<client>,t=<unix seconds>,v1=');
  });

  it.each([
    ['no t', `keyId=release-bot,v1=${VECTOR_HEX}`],
    ['no v1', `keyId=release-bot,t=${T}`],
    ['only a keyId', 'keyId=release-bot'],
    ['non-numeric t', `keyId=release-bot,t=abc,v1=${VECTOR_HEX}`],
    ['negative t', `keyId=release-bot,t=-${T},v1=${VECTOR_HEX}`],
    ['fractional t', `keyId=release-bot,t=${T}.5,v1=${VECTOR_HEX}`],
    ['empty t', `keyId=release-bot,t=,v1=${VECTOR_HEX}`],
    ['two t', `keyId=release-bot,t=${T},t=${T},v1=${VECTOR_HEX}`],
    ['two keyId', `keyId=release-bot,keyId=ci-gate,t=${T},v1=${VECTOR_HEX}`],
    ['an empty keyId', `keyId=,t=${T},v1=${VECTOR_HEX}`],
    ['an upper-case keyId', `keyId=Release-Bot,t=${T},v1=${VECTOR_HEX}`],
    ['a keyId with a slash (a parameter path)', `keyId=../rest-signing-secret,t=${T},v1=${VECTOR_HEX}`],
    ['a keyId starting with a dot', `keyId=.bot,t=${T},v1=${VECTOR_HEX}`],
    ['a keyId of 65 characters', `keyId=${'a'.repeat(65)},t=${T},v1=${VECTOR_HEX}`],
    ['a keyId with a space inside', `keyId=release bot,t=${T},v1=${VECTOR_HEX}`],
    ['short hex', `keyId=release-bot,t=${T},v1=${VECTOR_HEX.slice(2)}`],
    ['non-hex v1', `keyId=release-bot,t=${T},v1=${'g'.repeat(64)}`],
    ['space inside the hex', `keyId=release-bot,t=${T},v1=${VECTOR_HEX.slice(0, 10)} ${VECTOR_HEX.slice(10)}`],
    ['empty element', `keyId=release-bot,t=${T},,v1=${VECTOR_HEX}`],
    ['element without =', `keyId=release-bot,t=${T},v1`],
    ['semicolons instead of commas', `keyId=release-bot;t=${T};v1=${VECTOR_HEX}`],
    ['upper-case keys', `KEYID=release-bot,T=${T},V1=${VECTOR_HEX}`],
    ['junk', 'Bearer abc.def'],
    ['overlong', `keyId=release-bot,t=${T},${`v1=${VECTOR_HEX},`.repeat(20)}`],
  ])('reports a header with %s as malformed', (_label, header) => {
    expect(reasonOf(() => parseRestSignatureHeader(header))).toBe('malformed');
  });
});

describe('verifyRestSignature', () => {
  it('accepts the independent test vector', () => {
    expect(reasonOf(() => check([SECRET], VECTOR_HEADER))).toBe('no error');
  });

  it('accepts a lower-case method from the request by upper-casing it', () => {
    expect(reasonOf(() => check([SECRET], VECTOR_HEADER, { ...REQUEST, method: 'post', now: NOW }))).toBe('no error');
  });

  it('throws an InvalidSignatureError that names the reason and carries no signature', () => {
    // Prepare
    const header = `keyId=release-bot,t=${T},v1=${'0'.repeat(64)}`;
    // Act
    let caught: unknown;
    try {
      check([SECRET], header);
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(InvalidSignatureError);
    expect(caught).toMatchObject({ name: 'InvalidSignatureError', reason: 'mismatch' });
    expect((caught as Error).message).not.toContain('0000');
    expect((caught as Error).message).not.toContain(SECRET);
  });

  it('accepts upper-case hex and spaces around elements (both carry no meaning)', () => {
    // Prepare
    const upper = `keyId=release-bot,t=${T},v1=${VECTOR_HEX.toUpperCase()}`;
    const spaced = `  keyId = release-bot ,  t = ${T} ,  v1=${VECTOR_HEX}  `;
    // Act
    const reasons = [upper, spaced].map((header) => reasonOf(() => check([SECRET], header)));
    // Assess
    expect(reasons).toEqual(['no error', 'no error']);
  });

  it('ignores unknown schemes such as a future v2 while a v1 matches', () => {
    expect(reasonOf(() => check([SECRET], `keyId=release-bot,t=${T},v2=whatever,v1=${VECTOR_HEX}`))).toBe('no error');
  });

  it.each([
    ['300 s after', T + 300, 'no error'],
    ['300 s before', T - 300, 'no error'],
    ['301 s after', T + 301, 'stale'],
    ['301 s before', T - 301, 'stale'],
  ])('with the clock %s the signed time the result is %s', (_label, nowSeconds, expected) => {
    const now = new Date(nowSeconds * 1000);
    expect(reasonOf(() => check([SECRET], VECTOR_HEADER, { ...REQUEST, now }))).toBe(expected);
  });

  it('rejects a correctly signed but old request as stale (a captured request cannot be replayed later)', () => {
    const oneHourLater = new Date((T + 3600) * 1000);
    expect(reasonOf(() => check([SECRET], VECTOR_HEADER, { ...REQUEST, now: oneHourLater }))).toBe('stale');
  });

  it.each([
    ['another approval', { pathWithQuery: '/v1/approvals/apr_y/decision' }],
    ['another method', { method: 'PUT' }],
    ['another body', { body: '{"decision":"reject"}' }],
    ['a body with a trailing newline', { body: '{"decision":"approve"}\n' }],
    ['an added query string', { pathWithQuery: '/v1/approvals/apr_x/decision?x=1' }],
  ])('refuses a signature replayed onto %s', (_label, change) => {
    const header = signRestRequest(CLIENT, { ...REQUEST, timestamp: T });
    expect(reasonOf(() => check([SECRET], header, { ...REQUEST, ...change, now: NOW }))).toBe('mismatch');
  });

  it("refuses a signature made with another secret (another client's, or a guess)", () => {
    const header = signRestRequest({ keyId: 'release-bot', secret: 'some-other-secret' }, { ...REQUEST, timestamp: T });
    expect(reasonOf(() => check([SECRET], header))).toBe('mismatch');
  });

  it('refuses a timestamp changed after signing (t is part of the signed text)', () => {
    expect(reasonOf(() => check([SECRET], `keyId=release-bot,t=${T + 1},v1=${VECTOR_HEX}`))).toBe('mismatch');
  });

  it('refuses a keyId without secrets (an unknown client) even when the signature is right for some secret', () => {
    expect(reasonOf(() => check(undefined, VECTOR_HEADER))).toBe('unknown-client');
  });

  it('accepts any of several secrets during a rotation, and stops accepting a secret once it is removed', () => {
    // Prepare
    const signedWithOld = signRestRequest({ ...CLIENT, secret: 'old-secret' }, { ...REQUEST, timestamp: T });
    // Act
    const duringRotation = reasonOf(() => check(['new-secret', 'old-secret'], signedWithOld));
    const afterRotation = reasonOf(() => check(['new-secret'], signedWithOld));
    // Assess
    expect(duringRotation).toBe('no error');
    expect(afterRotation).toBe('mismatch');
  });

  it('accepts a header carrying several v1 values when one of them matches', () => {
    // Prepare
    const otherV1 = signRestRequest({ ...CLIENT, secret: 'new-secret' }, { ...REQUEST, timestamp: T }).split('v1=')[1];
    const header = `keyId=release-bot,t=${T},v1=${otherV1},v1=${VECTOR_HEX}`;
    // Act / Assess
    expect(reasonOf(() => check([SECRET], header))).toBe('no error');
  });

  it('refuses to run with an empty list or an empty secret (an empty secret would let anyone sign)', () => {
    expect(() => check([], VECTOR_HEADER)).toThrow(SigningKeyConfigurationError);
    expect(() => check([''], VECTOR_HEADER)).toThrow(SigningKeyConfigurationError);
  });
});

describe('authenticateRestRequest', () => {
  const secretsOf = (known: Record<string, string[]>) =>
    vi.fn(async (client: string) => (Object.hasOwn(known, client) ? known[client] : undefined));

  async function refusal(header: string, known: Record<string, string[]>, now = NOW): Promise<InvalidSignatureError> {
    const error = await authenticateRestRequest(header, { ...REQUEST, now }, secretsOf(known)).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidSignatureError);
    return error as InvalidSignatureError;
  }

  it("returns the client whose own secret signed the request, after looking up that client's secrets only", async () => {
    // Prepare
    const lookup = secretsOf({ 'release-bot': [SECRET], 'ci-gate': ['ci-secret'] });
    // Act
    const client = await authenticateRestRequest(VECTOR_HEADER, { ...REQUEST, now: NOW }, lookup);
    // Assess
    expect(client).toBe('release-bot');
    expect(lookup.mock.calls).toEqual([['release-bot']]);
  });

  it("refuses a request signed with another client's secret under this keyId", async () => {
    // A client cannot sign as another: ci-gate's secret under keyId=release-bot.
    const header = signRestRequest({ keyId: 'release-bot', secret: 'ci-secret' }, { ...REQUEST, timestamp: T });
    const error = await refusal(header, { 'release-bot': [SECRET], 'ci-gate': ['ci-secret'] });
    expect(error.reason).toBe('mismatch');
  });

  it('gives an unknown client, a wrong secret and a stale timestamp the same message, and names no secret', async () => {
    // Prepare
    const known = { 'release-bot': [SECRET] };
    const unknown = signRestRequest({ keyId: 'nobody', secret: SECRET }, { ...REQUEST, timestamp: T });
    const wrong = signRestRequest({ keyId: 'release-bot', secret: 'guess' }, { ...REQUEST, timestamp: T });
    // Act
    const errors = [
      await refusal(unknown, known),
      await refusal(wrong, known),
      await refusal(VECTOR_HEADER, known, new Date((T + 301) * 1000)),
    ];
    // Assess
    expect(errors.map((error) => error.reason)).toEqual(['unknown-client', 'mismatch', 'stale']);
    expect(new Set(errors.map((error) => error.message)).size).toBe(1);
    for (const error of errors) {
      expect(error.message).not.toMatch(/nobody|release-bot|guess|whsec/);
    }
  });

  it('refuses a stale request before looking up any client (the answer cannot depend on the client)', async () => {
    // Prepare
    const lookup = secretsOf({ 'release-bot': [SECRET] });
    // Act
    const error = await authenticateRestRequest(
      VECTOR_HEADER,
      { ...REQUEST, now: new Date((T + 3600) * 1000) },
      lookup,
    ).catch((e) => e);
    // Assess
    expect(error).toMatchObject({ reason: 'stale' });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('refuses the single-secret header without looking up anything, naming the expected format', async () => {
    // Prepare
    const lookup = secretsOf({ 'release-bot': [SECRET] });
    // Act
    const error = await authenticateRestRequest(`t=${T},v1=${VECTOR_HEX}`, { ...REQUEST, now: NOW }, lookup).catch(
      (e) => e,
    );
    // Assess
    expect(error).toMatchObject({ reason: 'no-key-id' });
    expect(error.message).toMatch(/keyId=<client>,t=<unix seconds>,v1=/);
    expect(lookup).not.toHaveBeenCalled();
  });
});
