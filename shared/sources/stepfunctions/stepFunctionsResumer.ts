/**
 * Step Functions: answers a task parked with `.waitForTaskToken`.
 * - approve → SendTaskSuccess, `output` = the decision as JSON (≤ 262144 bytes of UTF-8, API_SendTaskSuccess.html).
 * - reject → SendTaskFailure, `error` = Greenlight.Rejected | Greenlight.Expired (≤ 256 characters) and `cause` = the
 *   same JSON (≤ 32768 characters, API_SendTaskFailure.html), so a Catch on the state can branch on the error name.
 * The comment is the only unbounded field: it is shortened until the document fits, never the other fields.
 *
 * TaskTimedOut ("already closed"), TaskDoesNotExist and InvalidToken mean nothing waits for this answer any more.
 * The task token is a secret (invariant 1): it never appears in a reason or in an error this module throws.
 */
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { RefusalRequest, ResumeRequest, ResumeResult, SourceResumer } from '../../app/sourcePorts';
import type { Outcome } from '../../domain/approval';
import { prefix } from '../../domain/clip';
import { type AwsFailureRules, answerAndClassify, unavailableNames } from '../awsErrorClassification';
import type { StepFunctionsReference } from './stepFunctionsReference';

export const REJECTED_ERROR = 'Greenlight.Rejected';
export const EXPIRED_ERROR = 'Greenlight.Expired';
export const MAX_OUTPUT_BYTES = 262_144;
export const MAX_CAUSE_CHARS = 32_768;

/** What the workflow receives as task output (approve) or as the failure's cause (reject). */
export interface StepFunctionsDecisionDocument {
  approvalId: string;
  outcome: Outcome;
  decidedBy: string[];
  channel: string;
  comment?: string;
  /** Present (true) only when the comment had to be shortened to fit the field's limit. */
  commentTruncated?: true;
  decidedAt: string;
}

const NOT_WAITING_REASONS: Record<string, string> = {
  TaskTimedOut:
    'Step Functions reports the task is no longer waiting (TaskTimedOut): already answered, timed out or the execution ended',
  TaskDoesNotExist:
    'Step Functions reports the task does not exist (TaskDoesNotExist): the execution or its task is gone',
  InvalidToken:
    'Step Functions does not accept the task token (InvalidToken): the task no longer exists or the token is not valid',
};

const TOKEN_PLACEHOLDER = '[task token]';

const FAILURE_RULES: AwsFailureRules<StepFunctionsReference> = {
  source: 'stepfunctions',
  service: 'Step Functions',
  referenceName: 'a Step Functions',
  notWaitingReasons: NOT_WAITING_REASONS,
  // Older throttling names the SFN SDK still classifies, 5xx names, plus KMS throttling (encrypted state machines).
  unavailableNames: unavailableNames(
    'Throttling',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'ThrottledException',
    'KmsThrottlingException',
    'InternalServerError',
    'ServiceUnavailable',
  ),
  redact: (error, ref) => redact(error, ref.taskToken),
};

export function stepFunctionsResumer(client: SFNClient): SourceResumer {
  return {
    kind: 'stepfunctions',
    resume: (request: ResumeRequest): Promise<ResumeResult> =>
      answerAndClassify(request.approval, FAILURE_RULES, async (ref) => {
        if (request.answer === 'approve') {
          const output = decisionDocument(request, (json) => Buffer.byteLength(json, 'utf8') <= MAX_OUTPUT_BYTES);
          await client.send(new SendTaskSuccessCommand({ taskToken: ref.taskToken, output }));
        } else {
          const cause = decisionDocument(request, (json) => json.length <= MAX_CAUSE_CHARS);
          await client.send(
            new SendTaskFailureCommand({ taskToken: ref.taskToken, error: failureErrorName(request.outcome), cause }),
          );
        }
      }),
    refuse: (request: RefusalRequest): Promise<ResumeResult> =>
      answerAndClassify({ id: request.approvalId, sourceRef: request.sourceRef }, FAILURE_RULES, (ref) =>
        client.send(
          new SendTaskFailureCommand({
            taskToken: ref.taskToken,
            error: request.error,
            cause: refusalCause(request),
          }),
        ),
      ),
  };
}

/**
 * What a refused task's Catch receives as `Cause`: `{approvalId, outcome: "refused", error, reason}`, within the
 * 32 768 characters of the API; the reason is shortened after encoding (escaped characters count as sent).
 */
export function refusalCause(request: RefusalRequest): string {
  const document = (reason: string) =>
    JSON.stringify({ approvalId: request.approvalId, outcome: 'refused', error: request.error, reason });
  const fits = (json: string) => json.length <= MAX_CAUSE_CHARS;
  if (fits(document(request.reason))) return document(request.reason);
  let low = 0;
  let high = request.reason.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(document(`${prefix(request.reason, middle)}…`))) low = middle;
    else high = middle - 1;
  }
  return document(`${prefix(request.reason, low)}…`);
}

/** The stable error name a Catch in the state machine can match. */
export function failureErrorName(outcome: Outcome): string {
  return outcome === 'expired' ? EXPIRED_ERROR : REJECTED_ERROR;
}

/**
 * The decision as JSON, with the comment shortened (by whole characters, ending in `…`) as little as needed for
 * `fits` to accept the document.
 */
export function decisionDocument(request: ResumeRequest, fits: (json: string) => boolean): string {
  const render = (comment: string | undefined, truncated: boolean): string => {
    const document: StepFunctionsDecisionDocument = {
      approvalId: request.approval.id,
      outcome: request.outcome,
      decidedBy: request.decidedBy,
      channel: request.channel,
      ...(comment ? { comment } : {}),
      ...(truncated ? { commentTruncated: true as const } : {}),
      decidedAt: request.decidedAt,
    };
    return JSON.stringify(document);
  };
  const comment = request.comment;
  const full = render(comment, false);
  if (!comment || fits(full)) return full;
  // Longest prefix that fits: the JSON grows with the prefix, so a binary search finds it in ~20 renders.
  const shortened = (length: number) => render(`${prefix(comment, length)}…`, true);
  let low = 0;
  let high = comment.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(shortened(middle))) low = middle;
    else high = middle - 1;
  }
  return shortened(low);
}

/** Removes the task token from an error's message and stack (AWS validation messages may echo input values). */
function redact(error: unknown, taskToken: string): unknown {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current.message.includes(taskToken)) current.message = current.message.replaceAll(taskToken, TOKEN_PLACEHOLDER);
    if (current.stack?.includes(taskToken)) current.stack = current.stack.replaceAll(taskToken, TOKEN_PLACEHOLDER);
    current = current.cause;
  }
  return error;
}
