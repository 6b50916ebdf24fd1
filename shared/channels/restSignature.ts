/**
 * REST request signatures (DESIGN.md, "Public contracts"):
 *
 *   X-Greenlight-Signature: t=<unix seconds>,v1=<hex>
 *   v1 = hex(HMAC-SHA256(secret, t + "." + METHOD + "." + path-with-query + "." + raw body))
 *
 * Binding the method and the path means a signed decision for one approval cannot be replayed onto another; the
 * timestamp window (±300 s) bounds replays of the same request. Several `v1=` values and several secrets are accepted
 * so a secret can be rotated without downtime. Comparisons are constant-time on equal-length buffers.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidSignatureError, SigningKeyConfigurationError } from './errors';

export const SIGNATURE_HEADER = 'x-greenlight-signature';
/** How far (seconds, either direction) the signed timestamp may be from the server's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Longest header we parse at all; a real one is ~80 characters per `v1=` value. */
const MAX_HEADER_LENGTH = 1024;
const MAX_SIGNATURES = 8;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const HEX_SHA256_PATTERN = /^[0-9a-fA-F]{64}$/;
const METHOD_PATTERN = /^[A-Za-z]{1,16}$/;

export interface SignedRequest {
  method: string;
  /** The request target exactly as sent: path and query string, not decoded or re-ordered. */
  pathWithQuery: string;
  /** The raw body exactly as sent (before any JSON parsing); empty string when there is none. */
  body: string;
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

/** Signs a request; returns the value for the `X-Greenlight-Signature` header. */
export function signRestRequest(secret: string, request: SignedRequest & { timestamp: number }): string {
  assertUsableSecret(secret);
  if (!Number.isSafeInteger(request.timestamp) || request.timestamp < 0) {
    throw new TypeError('timestamp must be a non-negative integer number of unix seconds');
  }
  if (!METHOD_PATTERN.test(request.method)) {
    throw new TypeError('method must be an HTTP method name');
  }
  const t = String(request.timestamp);
  return `t=${t},v1=${hmacSha256(secret, signingInput(t, request)).toString('hex')}`;
}

interface ParsedHeader {
  /** The timestamp text as received: it is what was signed. */
  timestamp: string;
  signatures: Buffer[];
}

/**
 * Parses `t=<digits>,v1=<64 hex>[,v1=<64 hex>…]`. Whitespace around elements is ignored; hex is case-insensitive;
 * unknown elements (a future `v2=`) are ignored. Exactly one `t` and at least one `v1` are required.
 */
function parseHeader(header: string): ParsedHeader {
  if (header.length > MAX_HEADER_LENGTH) throw new InvalidSignatureError('malformed');
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const element of header.split(',')) {
    const separator = element.indexOf('=');
    if (separator < 0) throw new InvalidSignatureError('malformed');
    const key = element.slice(0, separator).trim();
    const value = element.slice(separator + 1).trim();
    if (key === 't') {
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
  return { timestamp, signatures };
}

/**
 * Checks a request's `X-Greenlight-Signature` against every accepted secret; returns when one `v1` value matches one
 * secret, throws {@link InvalidSignatureError} (`missing` | `malformed` | `stale` | `mismatch`) otherwise.
 */
export function verifyRestSignature(
  secrets: readonly string[],
  header: string | undefined,
  request: SignedRequest & { now: Date },
): void {
  if (secrets.length === 0) throw new SigningKeyConfigurationError('rest-signature', 'no signing secret configured');
  for (const secret of secrets) assertUsableSecret(secret);
  const nowMs = request.now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('now must be a valid date');

  if (header === undefined || header.trim() === '') throw new InvalidSignatureError('missing');
  const { timestamp, signatures } = parseHeader(header);

  const nowSeconds = Math.floor(nowMs / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new InvalidSignatureError('stale');
  }

  const input = signingInput(timestamp, request);
  let matched = false;
  // Every pair is compared (no early exit), each with timingSafeEqual on two 32-byte buffers.
  for (const secret of secrets) {
    const expected = hmacSha256(secret, input);
    for (const signature of signatures) {
      if (timingSafeEqual(expected, signature)) matched = true;
    }
  }
  if (!matched) throw new InvalidSignatureError('mismatch');
}
