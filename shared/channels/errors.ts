/**
 * Errors raised by the channels (REST signatures, review links, review pages).
 * Messages name the rule that failed, never a secret, a signature or a token.
 */

export type InvalidSignatureReason = 'missing' | 'malformed' | 'stale' | 'mismatch';

const SIGNATURE_MESSAGES: Record<InvalidSignatureReason, string> = {
  missing: 'the X-Greenlight-Signature header is missing',
  malformed: 'the X-Greenlight-Signature header is malformed',
  stale: 'the signature timestamp is more than 300 seconds away from now',
  mismatch: 'the signature does not match the request',
};

/** A REST call whose `X-Greenlight-Signature` does not prove it came, just now, from a holder of the secret (401). */
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

export type InvalidSlackSignatureReason = 'missing' | 'malformed' | 'stale' | 'mismatch';

const SLACK_SIGNATURE_MESSAGES: Record<InvalidSlackSignatureReason, string> = {
  missing: 'the X-Slack-Signature or X-Slack-Request-Timestamp header is missing',
  malformed: 'the X-Slack-Signature or X-Slack-Request-Timestamp header is malformed',
  stale: 'the Slack request timestamp is more than 300 seconds away from now',
  mismatch: 'the Slack signature does not match the request',
};

/** A request that does not prove it came, just now, from Slack (signed with the app's signing secret) (401). */
export class InvalidSlackSignatureError extends Error {
  override readonly name = 'InvalidSlackSignatureError';
  constructor(
    readonly reason: InvalidSlackSignatureReason,
    options?: { cause?: unknown },
  ) {
    super(SLACK_SIGNATURE_MESSAGES[reason], options);
  }
}
