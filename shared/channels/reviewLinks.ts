/**
 * Review links for Slack and email. A link binds one approval id, ONE approver identity and an expiry, signed with
 * HMAC-SHA256 under a key that has an id, so keys can be rotated: links signed with an older key keep working while
 * that key is still listed, and stop the moment it is removed.
 *
 *   token = base64url(JSON {v:1, a:<approval id>, i:<approver identity>, e:<expiry, unix seconds>, k:<key id>})
 *           + "." + base64url(HMAC-SHA256(key, "greenlight/review-link/v1." + <first part>))
 *
 * The token carries nothing secret (invariant 1): no task token, no key, only what the page may show anyway.
 * Opening a link never decides (invariant 2): the token only proves who is looking; the page POSTs the decision.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidReviewLinkError, SigningKeyConfigurationError } from './errors';

export interface ReviewLinkKeys {
  /** The key new links are signed with. */
  currentKeyId: string;
  /** Every key still accepted, by id (secrets as strings). Remove a key to revoke every link it signed. */
  keys: Record<string, string>;
}

export interface ReviewLinkClaims {
  approvalId: string;
  approver: string;
  /** Whole seconds: the token stores the expiry rounded down to the second. */
  expiresAt: Date;
  keyId: string;
}

/** Domain separation: a review-link MAC can never be mistaken for any other MAC made with the same secret. */
const SIGNING_CONTEXT = 'greenlight/review-link/v1.';
const TOKEN_VERSION = 1;
const MAX_TOKEN_LENGTH = 2048;
const MAX_CLAIM_LENGTH = 512;
const SIGNATURE_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PAYLOAD_KEYS = ['a', 'e', 'i', 'k', 'v'];

interface Payload {
  v: typeof TOKEN_VERSION;
  a: string;
  i: string;
  e: number;
  k: string;
}

function keyFor(keys: ReviewLinkKeys, keyId: string): string | undefined {
  // Own properties only: an id such as "__proto__" or "toString" must not find anything.
  if (!Object.hasOwn(keys.keys, keyId)) return undefined;
  const secret = keys.keys[keyId];
  return typeof secret === 'string' && secret.length > 0 ? secret : undefined;
}

function mac(secret: string, encodedPayload: string): Buffer {
  return createHmac('sha256', secret).update(`${SIGNING_CONTEXT}${encodedPayload}`, 'utf8').digest();
}

function isClaimText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CLAIM_LENGTH;
}

/** Decodes base64url, refusing any text that is not the canonical encoding of its bytes (no malleable tokens). */
function decodeCanonicalBase64Url(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

export function createReviewLinkToken(
  keys: ReviewLinkKeys,
  claims: { approvalId: string; approver: string; expiresAt: Date },
): string {
  const secret = keyFor(keys, keys.currentKeyId);
  if (secret === undefined) {
    throw new SigningKeyConfigurationError('review-link', 'the current key id has no usable key');
  }
  if (!isClaimText(claims.approvalId)) throw new TypeError('approvalId must be a non-empty string');
  if (!isClaimText(claims.approver)) throw new TypeError('approver must be a non-empty string');
  const expiresAtMs = claims.expiresAt.getTime();
  if (!Number.isFinite(expiresAtMs)) throw new TypeError('expiresAt must be a valid date');

  const payload: Payload = {
    v: TOKEN_VERSION,
    a: claims.approvalId,
    i: claims.approver,
    e: Math.floor(expiresAtMs / 1000),
    k: keys.currentKeyId,
  };
  const encodedPayload = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${encodedPayload}.${mac(secret, encodedPayload).toString('base64url')}`;
}

function parsePayload(encodedPayload: string): Payload {
  const bytes = decodeCanonicalBase64Url(encodedPayload);
  if (bytes === undefined) throw new InvalidReviewLinkError('malformed');
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidReviewLinkError('malformed', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidReviewLinkError('malformed');
  }
  const record = parsed as Record<string, unknown>;
  const wellFormed =
    Object.keys(record).sort().join() === PAYLOAD_KEYS.join() &&
    record.v === TOKEN_VERSION &&
    isClaimText(record.a) &&
    isClaimText(record.i) &&
    isClaimText(record.k) &&
    Number.isSafeInteger(record.e) &&
    (record.e as number) >= 0;
  if (!wellFormed) throw new InvalidReviewLinkError('malformed');
  return record as unknown as Payload;
}

/**
 * Checks a review link token for one approval at one moment; returns its claims (who is reviewing) or throws
 * {@link InvalidReviewLinkError}: `malformed` | `unknown-key` | `bad-signature` | `expired` | `wrong-approval`.
 * Nothing in the payload is trusted before the signature has been checked, except the key id used to check it.
 */
export function verifyReviewLinkToken(
  keys: ReviewLinkKeys,
  token: string,
  expected: { approvalId: string; now: Date },
): ReviewLinkClaims {
  const nowMs = expected.now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('now must be a valid date');
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !TOKEN_PATTERN.test(token)) {
    throw new InvalidReviewLinkError('malformed');
  }
  const [encodedPayload = '', encodedSignature = ''] = token.split('.');
  const payload = parsePayload(encodedPayload);

  const secret = keyFor(keys, payload.k);
  if (secret === undefined) throw new InvalidReviewLinkError('unknown-key');

  const signature = decodeCanonicalBase64Url(encodedSignature);
  if (signature === undefined || signature.length !== SIGNATURE_BYTES) {
    throw new InvalidReviewLinkError('bad-signature');
  }
  if (!timingSafeEqual(mac(secret, encodedPayload), signature)) throw new InvalidReviewLinkError('bad-signature');

  if (nowMs >= payload.e * 1000) throw new InvalidReviewLinkError('expired');
  if (payload.a !== expected.approvalId) throw new InvalidReviewLinkError('wrong-approval');

  return { approvalId: payload.a, approver: payload.i, expiresAt: new Date(payload.e * 1000), keyId: payload.k };
}

/** `<base>/review/<approval id>?t=<token>`, with exactly one slash between the base and `review`. */
export function reviewLinkUrl(publicBaseUrl: string, approvalId: string, token: string): string {
  let base: URL;
  try {
    base = new URL(publicBaseUrl);
  } catch (error) {
    throw new TypeError('publicBaseUrl must be an absolute URL', { cause: error });
  }
  if ((base.protocol !== 'https:' && base.protocol !== 'http:') || base.search !== '' || base.hash !== '') {
    throw new TypeError('publicBaseUrl must be an http(s) URL without query or fragment');
  }
  const prefix = `${base.origin}${base.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '')}`;
  return `${prefix}/review/${encodeURIComponent(approvalId)}?t=${encodeURIComponent(token)}`;
}
