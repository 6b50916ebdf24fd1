/**
 * Verifies that a request came from Slack, as Slack documents in "Verifying requests from Slack"
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack, formerly
 * https://api.slack.com/authentication/verifying-requests-from-slack):
 *
 *   basestring        = "v0:" + X-Slack-Request-Timestamp + ":" + raw body
 *   X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing secret, basestring))
 *
 * A timestamp more than 5 minutes (300 s) away from now, in either direction, is refused (replays); the signatures are
 * compared in constant time on their 32 decoded bytes. The body must be the raw body exactly as received, before any
 * form or JSON parsing. Pure: no I/O; the caller passes the clock.
 *
 * A valid signature proves Slack sent the request for some app holding this signing secret; {@link verifySlackOrigin}
 * then checks the payload's workspace and app against the configured ones, refusing a mismatch like a bad signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidSlackSignatureError } from './errors';

/** Header names as Node and API Gateway (lower-cased) deliver them. */
export const SLACK_SIGNATURE_HEADER = 'x-slack-signature';
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp';
/** How far (seconds, either direction) Slack's timestamp may be from our clock. */
export const SLACK_SIGNATURE_TOLERANCE_SECONDS = 300;

const VERSION = 'v0';
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
/** Hex is accepted in either case: it is decoded and compared as bytes. */
const SIGNATURE_PATTERN = /^v0=([0-9a-fA-F]{64})$/;
/** Longest header value we look at; a real one is 67 characters. */
const MAX_HEADER_LENGTH = 256;

export interface SlackRequest {
  /** The `X-Slack-Request-Timestamp` header (unix seconds), undefined when absent. */
  timestamp: string | undefined;
  /** The `X-Slack-Signature` header (`v0=<hex>`), undefined when absent. */
  signature: string | undefined;
  /** The body exactly as received. */
  rawBody: string;
  now: Date;
}

function assertUsableSecret(signingSecret: unknown): asserts signingSecret is string {
  if (typeof signingSecret !== 'string' || signingSecret.length === 0) {
    throw new TypeError('the Slack signing secret is empty');
  }
}

function hmac(signingSecret: string, timestamp: string, rawBody: string): Buffer {
  return createHmac('sha256', signingSecret).update(`${VERSION}:${timestamp}:${rawBody}`, 'utf8').digest();
}

/** The `X-Slack-Signature` value Slack would send for this body at this time: `v0=<lowercase hex>`. */
export function signSlackRequest(signingSecret: string, timestamp: number, rawBody: string): string {
  assertUsableSecret(signingSecret);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError('timestamp must be a non-negative integer number of unix seconds');
  }
  return `${VERSION}=${hmac(signingSecret, String(timestamp), rawBody).toString('hex')}`;
}

/**
 * Returns when the request carries a fresh, matching Slack signature; throws {@link InvalidSlackSignatureError}
 * (`missing` | `malformed` | `stale` | `mismatch`) otherwise. An empty signing secret is a deployment fault (TypeError).
 */
export function verifySlackSignature(signingSecret: string, request: SlackRequest): void {
  assertUsableSecret(signingSecret);
  const nowMs = request.now.getTime();
  if (!Number.isFinite(nowMs)) throw new TypeError('now must be a valid date');

  const { timestamp, signature } = request;
  if (timestamp === undefined || timestamp.trim() === '' || signature === undefined || signature.trim() === '') {
    throw new InvalidSlackSignatureError('missing');
  }
  if (timestamp.length > MAX_HEADER_LENGTH || signature.length > MAX_HEADER_LENGTH) {
    throw new InvalidSlackSignatureError('malformed');
  }
  const receivedTimestamp = timestamp.trim();
  const match = SIGNATURE_PATTERN.exec(signature.trim());
  if (!TIMESTAMP_PATTERN.test(receivedTimestamp) || match?.[1] === undefined) {
    throw new InvalidSlackSignatureError('malformed');
  }

  const nowSeconds = Math.floor(nowMs / 1000);
  if (Math.abs(nowSeconds - Number(receivedTimestamp)) > SLACK_SIGNATURE_TOLERANCE_SECONDS) {
    throw new InvalidSlackSignatureError('stale');
  }

  const expected = hmac(signingSecret, receivedTimestamp, request.rawBody);
  const received = Buffer.from(match[1], 'hex');
  // Both are 32 bytes (the pattern guarantees 64 hex digits), so timingSafeEqual never throws on length.
  if (!timingSafeEqual(expected, received)) throw new InvalidSlackSignatureError('mismatch');
}

/** The workspace and app Greenlight's Slack app belongs to; an undefined one is not checked. */
export interface SlackOrigin {
  /** `team.id` of every interaction (SLACK_TEAM_ID). */
  teamId?: string | undefined;
  /** `api_app_id` of every interaction (SLACK_APP_ID). */
  appId?: string | undefined;
}

function member(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Returns when a (signed) interaction payload names the configured workspace (`team.id`) and app (`api_app_id`), as
 * Slack's block_actions and view_submission payloads do; throws {@link InvalidSlackSignatureError} (`foreign-team` |
 * `foreign-app`) otherwise, a missing or null `team` included. Each check runs only when its id is configured. Call it
 * after {@link verifySlackSignature} and before anything reads or changes an approval. Pure.
 */
export function verifySlackOrigin(expected: SlackOrigin, payload: unknown): void {
  if (expected.teamId !== undefined && member(member(payload, 'team'), 'id') !== expected.teamId) {
    throw new InvalidSlackSignatureError('foreign-team');
  }
  if (expected.appId !== undefined && member(payload, 'api_app_id') !== expected.appId) {
    throw new InvalidSlackSignatureError('foreign-app');
  }
}
