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
    readonly purpose: 'rest-signature' | 'review-link' | 'sso-session',
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

/** Why the inbox did not accept a session cookie: none sent, not ours (tampered, another key), or past its time. */
export type InvalidSsoSessionReason = 'missing' | 'invalid' | 'expired';

/** No usable inbox session (401): the person signs in again. The message names no cookie value. */
export class InvalidSsoSessionError extends Error {
  override readonly name = 'InvalidSsoSessionError';
  constructor(
    readonly reason: InvalidSsoSessionReason,
    options?: { cause?: unknown },
  ) {
    super(
      reason === 'expired'
        ? 'your sign-in has expired: sign in again'
        : 'you are not signed in (or your sign-in is not valid)',
      options,
    );
  }
}

/** An inbox POST without the session's CSRF token (403): it was not sent by the inbox page itself. */
export class CsrfTokenError extends Error {
  override readonly name = 'CsrfTokenError';
  constructor() {
    super("the form did not carry this sign-in's CSRF token; reload the page and try again");
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
 * Why a sign-in with the OpenID Connect issuer was refused: `state` (no or another sign-in under way), `issuer` (the
 * issuer refused, or its answer — ID token, signature, issuer, audience, nonce — did not verify), `email` (no verified
 * e-mail address in the ID token), `identity` (the address is not an identity Greenlight accepts).
 */
export type SsoSignInReason = 'state' | 'issuer' | 'email' | 'identity';

const SSO_SIGN_IN_MESSAGES: Record<SsoSignInReason, string> = {
  state: 'this sign-in was not started here or took too long: start again',
  issuer: 'the sign-in could not be verified with the identity provider',
  email: 'the identity provider did not confirm a verified e-mail address',
  identity: 'this e-mail address may not use Greenlight',
};

/** A sign-in that did not prove an allowed, verified e-mail address (401; `identity`: 403). Changes nothing. */
export class SsoSignInError extends Error {
  override readonly name = 'SsoSignInError';
  constructor(
    readonly reason: SsoSignInReason,
    options?: { cause?: unknown },
  ) {
    super(SSO_SIGN_IN_MESSAGES[reason], options);
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
