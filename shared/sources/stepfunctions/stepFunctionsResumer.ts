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
import { type AwsFailureRules, answerAndClassify, unavailableNames, withoutSecret } from '../awsErrorClassification';
import { decisionDocument, failureErrorName, refusalDocument } from '../decisionDocument';
import type { StepFunctionsReference } from './stepFunctionsReference';

export const MAX_OUTPUT_BYTES = 262_144;
export const MAX_CAUSE_CHARS = 32_768;

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
  redact: (error, ref) => withoutSecret(error, ref.taskToken, TOKEN_PLACEHOLDER),
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

/** What a refused task's Catch receives as `Cause`, within the 32 768 characters of the API. */
export function refusalCause(request: RefusalRequest): string {
  return refusalDocument(request, (json) => json.length <= MAX_CAUSE_CHARS);
}
