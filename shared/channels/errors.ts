/**
 * Errors raised by the channels (REST signatures, review links, review pages).
 * Messages name the rule that failed, never a secret, a signature or a token.
 */

/**
 * Why a REST signature was refused. `no-key-id`: the header of the single-secret API (`t=…,v1=…` without `keyId`).
 * `unknown-client`: no such client in the policy, or no secret parameter for it. The reason is for logs and tests;
 * the message of `unknown-client`, `mismatch` and `stale` is one and the same, so a caller cannot tell them apart.
 */
export type InvalidSignatureReason = 'missing' | 'malformed' | 'no-key-id' | 'unknown-client' | 'stale' | 'mismatch';

export const REST_SIGNATURE_FORMAT = 'keyId=<client>,t=<unix seconds>,v1=<hex HMAC-SHA256>';
const NOT_VALID = `the X-Greenlight-Signature is not valid for this request (unknown client, wrong secret, or a timestamp more than 300 seconds away from now)`;

const SIGNATURE_MESSAGES: Record<InvalidSignatureReason, string> = {
  missing: `the X-Greenlight-Signature header is missing; expected ${REST_SIGNATURE_FORMAT}`,
  malformed: `the X-Greenlight-Signature header is malformed; expected ${REST_SIGNATURE_FORMAT}`,
  'no-key-id': `the X-Greenlight-Signature header has no keyId (the format without it is no longer accepted); expected ${REST_SIGNATURE_FORMAT}, signed with that client's own secret`,
  'unknown-client': NOT_VALID,
  stale: NOT_VALID,
  mismatch: NOT_VALID,
};

/**
 * A REST call whose `X-Greenlight-Signature` does not prove it came, just now, from a client the policy declares,
 * holding that client's secret (401).
 */
export class InvalidSignatureError extends Error {
  override readonly name = 'InvalidSignatureError';
  constructor(
    readonly reason: InvalidSignatureReason,
    options?: { cause?: unknown },
  ) {
    super(SIGNATURE_MESSAGES[reason], options);
  }
}

export type InvalidReviewLinkReason = 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'wrong-approval';

const REVIEW_LINK_MESSAGES: Record<InvalidReviewLinkReason, string> = {
  malformed: 'the review link is malformed',
  'unknown-key': 'the review link was signed with a key that is no longer accepted',
  'bad-signature': 'the review link signature is not valid',
  expired: 'the review link has expired',
  'wrong-approval': 'the review link belongs to another approval',
};

/** A review link token that is not valid for this approval now. */
export class InvalidReviewLinkError extends Error {
  override readonly name = 'InvalidReviewLinkError';
  constructor(
    readonly reason: InvalidReviewLinkReason,
    options?: { cause?: unknown },
  ) {
    super(REVIEW_LINK_MESSAGES[reason], options);
  }
}

/**
 * A review-link decision that was not posted by Greenlight's own review page (403): its `Origin` is not the public
 * base URL's origin and its `Sec-Fetch-Site` is not `same-origin` (a cross-site Origin, `Origin: null`, a cross-site
 * or same-site fetch, or neither header). Carries what the request said, cut short; the message names only the rule.
 */
export class ReviewPostOriginError extends Error {
  override readonly name = 'ReviewPostOriginError';
  constructor(
    readonly origin: string | undefined,
    readonly fetchSite: string | undefined,
  ) {
    super("the decision was not posted from Greenlight's review page (Origin and Sec-Fetch-Site do not show it)");
  }
}

/**
 * The signing configuration cannot be used (no secret, an empty secret, an unknown current key id).
 * A deployment fault, not bad input: it names the problem, never the secret.
 */
export class SigningKeyConfigurationError extends Error {
  override readonly name = 'SigningKeyConfigurationError';
  constructor(
    readonly purpose: 'rest-signature' | 'review-link',
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${purpose} signing configuration: ${problem}`, options);
  }
}

/** `foreign-team` / `foreign-app`: signed, but `team.id` / `api_app_id` is not the configured workspace / app. */
export type InvalidSlackSignatureReason =
  | 'missing'
  | 'malformed'
  | 'stale'
  | 'mismatch'
  | 'foreign-team'
  | 'foreign-app';

const SLACK_SIGNATURE_MESSAGES: Record<InvalidSlackSignatureReason, string> = {
  missing: 'the X-Slack-Signature or X-Slack-Request-Timestamp header is missing',
  malformed: 'the X-Slack-Signature or X-Slack-Request-Timestamp header is malformed',
  stale: 'the Slack request timestamp is more than 300 seconds away from now',
  mismatch: 'the Slack signature does not match the request',
  'foreign-team': 'the Slack request does not come from the configured workspace',
  'foreign-app': 'the Slack request does not come from the configured Slack app',
};

/**
 * A request that does not prove it came, just now, from Slack (signed with the app's signing secret), or that Slack
 * sent for another workspace or app than the configured ones (401).
 */
export class InvalidSlackSignatureError extends Error {
  override readonly name = 'InvalidSlackSignatureError';
  constructor(
    readonly reason: InvalidSlackSignatureReason,
    options?: { cause?: unknown },
  ) {
    super(SLACK_SIGNATURE_MESSAGES[reason], options);
  }
}

/** Slack answered `{ ok: false, error }`: the Web API's own error code (`channel_not_found`, `ratelimited`, …). */
export class SlackPlatformError extends Error {
  override readonly name = 'SlackPlatformError';
  constructor(
    readonly method: string,
    readonly error: string,
  ) {
    super(`Slack ${method} failed: ${error}`);
  }
}

/**
 * Slack could not be reached, or kept answering 429 / 5xx, or did not answer in time, after the client's retries.
 * `reason` is `timeout`, `network`, `ratelimited` or `http_<status>`.
 */
export class SlackUnavailableError extends Error {
  override readonly name = 'SlackUnavailableError';
  constructor(
    readonly method: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Slack ${method} unavailable: ${reason}`, options);
  }
}
