/**
 * REST request signatures (DESIGN.md, "Public contracts" and "Trust model"):
 *
 *   X-Greenlight-Signature: keyId=<client>,t=<unix seconds>,v1=<hex>
 *   v1 = hex(HMAC-SHA256(the client's secret, t + "." + METHOD + "." + path-with-query + "." + raw body))
 *
 * Each client has its own secret (one SSM parameter per client); `keyId` names the client, so a signature proves
 * which client sent the request. Binding the method and the path means a signed decision for one approval cannot be
 * replayed onto another; the timestamp window (±300 s) bounds replays of the same request. Several `v1=` values and
 * several secrets per client are accepted so a secret can be rotated without downtime. Comparisons are constant-time
 * on equal-length buffers, and a keyId without a secret is compared against a throwaway one, so an unknown client
 * costs the same work as a wrong secret and gets the same answer.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CLIENT_NAME_PATTERN } from '../domain/identity';
import { InvalidSignatureError, SigningKeyConfigurationError } from './errors';

export const SIGNATURE_HEADER = 'x-greenlight-signature';
/** How far (seconds, either direction) the signed timestamp may be from the server's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Longest header we parse at all; a real one is ~80 characters per `v1=` value plus the keyId. */
const MAX_HEADER_LENGTH = 1024;
const MAX_SIGNATURES = 8;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const HEX_SHA256_PATTERN = /^[0-9a-fA-F]{64}$/;
const METHOD_PATTERN = /^[A-Za-z]{1,16}$/;
/** Compared against when a keyId has no secret: the same work as a wrong secret, and never a match. */
const THROWAWAY_SECRET = randomBytes(32).toString('hex');

export interface SignedRequest {
  method: string;
  /** The request target exactly as sent: path and query string, not decoded or re-ordered. */
  pathWithQuery: string;
  /** The raw body exactly as sent (before any JSON parsing); empty string when there is none. */
  body: string;
}

/** Who signs: the client's name (the header's `keyId`) and its secret. */
export interface RestClientCredentials {
  keyId: string;
  secret: string;
}

/** The exact bytes that are signed. */
function signingInput(timestamp: string, request: SignedRequest): string {
  return `${timestamp}.${request.method.toUpperCase()}.${request.pathWithQuery}.${request.body}`;
}

function hmacSha256(secret: string, input: string): Buffer {
  return createHmac('sha256', secret).update(input, 'utf8').digest();
}

function assertUsableSecret(secret: unknown): asserts secret is string {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new SigningKeyConfigurationError('rest-signature', 'a signing secret is empty');
  }
}

/** Signs a request as a client; returns the value for the `X-Greenlight-Signature` header. */
export function signRestRequest(client: RestClientCredentials, request: SignedRequest & { timestamp: number }): string {
  assertUsableSecret(client.secret);
  if (!CLIENT_NAME_PATTERN.test(client.keyId)) throw new TypeError('keyId must be a client name');
  if (!Number.isSafeInteger(request.timestamp) || request.timestamp < 0) {
    throw new TypeError('timestamp must be a non-negative integer number of unix seconds');
  }
  if (!METHOD_PATTERN.test(request.method)) {
    throw new TypeError('method must be an HTTP method name');
  }
  const t = String(request.timestamp);
  return `keyId=${client.keyId},t=${t},v1=${hmacSha256(client.secret, signingInput(t, request)).toString('hex')}`;
}

/** A parsed `X-Greenlight-Signature`. */
export interface RestSignature {
  /** The client that claims to have signed (a well-formed client name; not yet known to exist). */
  keyId: string;
  /** The timestamp text as received: it is what was signed. */
  timestamp: string;
  signatures: Buffer[];
}

/**
 * Parses `keyId=<client>,t=<digits>,v1=<64 hex>[,v1=<64 hex>…]`, elements in any order. Whitespace around elements
 * is ignored; hex is case-insensitive; unknown elements (a future `v2=`) are ignored. Exactly one `keyId` (a client
 * name), exactly one `t` and at least one `v1` are required. Throws {@link InvalidSignatureError}: `missing`,
 * `malformed`, or `no-key-id` for the single-secret format (`t=…,v1=…` alone), whose message names the format.
 */
export function parseRestSignatureHeader(header: string | undefined): RestSignature {
  if (header === undefined || header.trim() === '') throw new InvalidSignatureError('missing');
  if (header.length > MAX_HEADER_LENGTH) throw new InvalidSignatureError('malformed');
  let keyId: string | undefined;
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const element of header.split(',')) {
    const separator = element.indexOf('=');
    if (separator < 0) throw new InvalidSignatureError('malformed');
    const key = element.slice(0, separator).trim();
    const value = element.slice(separator + 1).trim();
    if (key === 'keyId') {
      if (keyId !== undefined || !CLIENT_NAME_PATTERN.test(value)) throw new InvalidSignatureError('malformed');
      keyId = value;
    } else if (key === 't') {
      if (timestamp !== undefined || !TIMESTAMP_PATTERN.test(value)) throw new InvalidSignatureError('malformed');
      timestamp = value;
    } else if (key === 'v1') {
      if (!HEX_SHA256_PATTERN.test(value) || signatures.length >= MAX_SIGNATURES) {
        throw new InvalidSignatureError('malformed');
      }
      signatures.push(Buffer.from(value, 'hex'));
    } else if (key.length === 0) {
      throw new InvalidSignatureError('malformed');
    }
  }
  if (timestamp === undefined || signatures.length === 0) throw new InvalidSignatureError('malformed');
  if (keyId === undefined) throw new InvalidSignatureError('no-key-id');
  return { keyId, timestamp, signatures };
}

/** Throws `stale` when the signed time is more than 300 s away from `now`: checked before any client is looked up. */
export function assertFreshSignature(signature: Pick<RestSignature, 'timestamp'>, now: Date): void {
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('now must be a valid date');
  if (Math.abs(Math.floor(nowMs / 1000) - Number(signature.timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new InvalidSignatureError('stale');
  }
}

/**
 * Checks a parsed signature against the secrets of the client it names (`undefined`: the client is unknown or has no
 * secret); returns when one `v1` value matches one secret and the timestamp is fresh, throws
 * {@link InvalidSignatureError} (`stale` | `unknown-client` | `mismatch`, all with one message) otherwise.
 */
export function verifyRestSignature(
  secrets: readonly string[] | undefined,
  signature: RestSignature,
  request: SignedRequest & { now: Date },
): void {
  if (secrets !== undefined) {
    if (secrets.length === 0) throw new SigningKeyConfigurationError('rest-signature', 'no signing secret configured');
    for (const secret of secrets) assertUsableSecret(secret);
  }
  assertFreshSignature(signature, request.now);

  const input = signingInput(signature.timestamp, request);
  let matched = false;
  // Every pair is compared (no early exit), each with timingSafeEqual on two 32-byte buffers.
  for (const secret of secrets ?? [THROWAWAY_SECRET]) {
    const expected = hmacSha256(secret, input);
    for (const candidate of signature.signatures) {
      if (timingSafeEqual(expected, candidate)) matched = true;
    }
  }
  if (secrets === undefined) throw new InvalidSignatureError('unknown-client');
  if (!matched) throw new InvalidSignatureError('mismatch');
}

/**
 * The whole check of a request's `X-Greenlight-Signature`: parse it, refuse a stale one before any look-up, look up
 * the secrets of the client its keyId names (`undefined` when the policy declares no such client or it has no
 * secret), verify. Returns the client's name; throws {@link InvalidSignatureError} otherwise.
 */
export async function authenticateRestRequest(
  header: string | undefined,
  request: SignedRequest & { now: Date },
  secretsOf: (client: string) => Promise<readonly string[] | undefined>,
): Promise<string> {
  const signature = parseRestSignatureHeader(header);
  assertFreshSignature(signature, request.now);
  verifyRestSignature(await secretsOf(signature.keyId), signature, request);
  return signature.keyId;
}
