/**
 * The one mapping from named errors to the documented HTTP errors (`{"error": {"code", "message"}}`), used by the REST
 * API as JSON and by the review pages as HTML. Unknown errors are 500 with a message that leaks nothing.
 */
import {
  CsrfTokenError,
  InvalidReviewLinkError,
  InvalidSignatureError,
  InvalidSlackSignatureError,
  InvalidSsoSessionError,
  ReviewPostOriginError,
  SsoSignInError,
} from '../channels/errors';
import {
  ApprovalClosedError,
  ApprovalExpiredError,
  ApprovalNotFoundError,
  ClientMayNotActForError,
  ConflictingVoteError,
  IdempotencyKeyReusedError,
  InvalidIdentityError,
  NotAnApproverError,
  SelfApprovalError,
} from '../domain/errors';
import { ApprovalVersionConflictError, InvalidCursorError } from '../store/errors';
import { MalformedJsonError, PayloadTooLargeError, RequestValidationError, RouteNotFoundError } from './errors';

export interface HttpErrorDescription {
  statusCode: number;
  code: string;
  message: string;
  /** Whether the message may be shown as it is (our own wording, no internals). */
  expected: boolean;
}

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

function describe(statusCode: number, code: string, message: string): HttpErrorDescription {
  return { statusCode, code, message, expected: true };
}

export function describeHttpError(error: unknown): HttpErrorDescription {
  if (error instanceof InvalidSignatureError || error instanceof InvalidSlackSignatureError) {
    return describe(401, 'invalid_signature', error.message);
  }
  if (error instanceof InvalidReviewLinkError) {
    return error.reason === 'expired'
      ? describe(410, 'link_expired', 'This review link has expired. Ask for a new one.')
      : describe(403, 'invalid_link', 'This review link is not valid.');
  }
  if (error instanceof ReviewPostOriginError) {
    return describe(
      403,
      'not_from_review_page',
      "This decision did not come from Greenlight's review page. Open your review link and decide on the page.",
    );
  }
  if (error instanceof InvalidSsoSessionError) return describe(401, 'not_signed_in', error.message);
  if (error instanceof CsrfTokenError) return describe(403, 'invalid_csrf_token', error.message);
  if (error instanceof SsoSignInError) {
    return describe(error.reason === 'identity' ? 403 : 401, 'sign_in_refused', error.message);
  }
  if (error instanceof PayloadTooLargeError) return describe(413, 'payload_too_large', error.message);
  if (error instanceof MalformedJsonError) return describe(400, 'malformed_json', error.message);
  if (error instanceof RequestValidationError) return describe(422, 'validation_failed', error.message);
  if (error instanceof RouteNotFoundError) return describe(404, 'not_found', error.message);
  if (error instanceof ApprovalNotFoundError) return describe(404, 'not_found', error.message);
  if (error instanceof NotAnApproverError) return describe(403, 'not_an_approver', error.message);
  if (error instanceof ClientMayNotActForError) return describe(403, 'may_not_act_for', error.message);
  if (error instanceof SelfApprovalError) return describe(403, 'self_approval', error.message);
  if (error instanceof ApprovalClosedError) return describe(409, 'already_decided', error.message);
  if (error instanceof ConflictingVoteError) return describe(409, 'conflicting_vote', error.message);
  if (error instanceof ApprovalExpiredError) return describe(410, 'expired', error.message);
  if (error instanceof IdempotencyKeyReusedError) return describe(422, 'idempotency_key_reused', error.message);
  if (error instanceof InvalidIdentityError) return describe(422, 'invalid_identity', error.message);
  if (error instanceof InvalidCursorError) return describe(422, 'invalid_cursor', error.message);
  if (error instanceof ApprovalVersionConflictError) {
    return describe(429, 'throttled', 'too many concurrent decisions on this approval; retry shortly');
  }
  if (error instanceof Error && THROTTLING_ERRORS.has(error.name)) {
    return describe(429, 'throttled', 'the service is busy; retry shortly');
  }
  return { statusCode: 500, code: 'internal', message: 'internal error', expected: false };
}
