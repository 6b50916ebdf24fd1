/**
 * Lambda durable functions: answers a callback parked with `context.waitForCallback`.
 * - approve → SendDurableExecutionCallbackSuccess, `Result` = the decision as JSON, the document Step Functions tasks
 *   receive (at most 262144 bytes, "Maximum size is 256 KB": API_SendDurableExecutionCallbackSuccess.html). The bytes
 *   are the request body; waitForCallback resolves to them as a string.
 * - reject / expiry → SendDurableExecutionCallbackFailure with Error `{ErrorType: Greenlight.Rejected |
 *   Greenlight.Expired, ErrorMessage: the decision in words, ErrorData: the same JSON}`. The function's
 *   CallbackExternalError keeps only ErrorMessage and ErrorData (the SDK re-serialises the error without ErrorType),
 *   so ErrorData's `outcome` is what the function branches on; ErrorType still shows in the execution's history.
 *   No per-field limit is documented; GetDurableExecution says "The combined size of all error fields is limited to
 *   256 KB", so the three fields together stay within it.
 *
 * CallbackTimeoutException ("the callback ID token has either expired or the callback associated with the token has
 * already been closed") and ResourceNotFoundException mean nothing waits for this answer any more. The callback id is
 * a secret like a task token: it never appears in a reason or in an error this module throws.
 */
import {
  type LambdaClient,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from '@aws-sdk/client-lambda';
import type { RefusalRequest, ResumeRequest, ResumeResult, SourceResumer } from '../../app/sourcePorts';
import { clip } from '../../domain/clip';
import { type AwsFailureRules, answerAndClassify, unavailableNames, withoutSecret } from '../awsErrorClassification';
import { decisionDocument, failureErrorName, refusalDocument } from '../decisionDocument';
import { decisionText, refusalText } from '../decisionText';
import type { DurableFunctionReference } from './durableFunctionReference';

export const MAX_RESULT_BYTES = 262_144;
/** The combined size of ErrorType, ErrorMessage and ErrorData. */
export const MAX_ERROR_BYTES = 262_144;
/** Our own bound for the human sentence: the document in ErrorData carries everything. */
export const MAX_ERROR_MESSAGE_CHARS = 1024;

const NOT_WAITING_REASONS: Record<string, string> = {
  CallbackTimeoutException:
    'Lambda reports the callback is no longer waiting (CallbackTimeoutException): already answered, timed out or the execution ended',
  ResourceNotFoundException:
    'Lambda does not find the callback (ResourceNotFoundException): the durable execution or its callback is gone',
};

const CALLBACK_ID_PLACEHOLDER = '[callback id]';

const FAILURE_RULES: AwsFailureRules<DurableFunctionReference> = {
  source: 'lambda',
  service: 'Lambda',
  referenceName: 'a Lambda durable function',
  notWaitingReasons: NOT_WAITING_REASONS,
  // Lambda's 500 (the KMS errors are 502 server faults, which the status rule already covers).
  unavailableNames: unavailableNames('ServiceException'),
  redact: (error, ref) => withoutSecret(error, ref.callbackId, CALLBACK_ID_PLACEHOLDER),
};

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

export function durableFunctionResumer(client: LambdaClient): SourceResumer {
  /** One SendDurableExecutionCallbackFailure whose ErrorData is the largest `document` the remaining bytes allow. */
  const fail = (
    ref: DurableFunctionReference,
    errorType: string,
    message: string,
    document: (fits: (json: string) => boolean) => string,
  ) => {
    const errorMessage = clip(message, MAX_ERROR_MESSAGE_CHARS);
    const room = MAX_ERROR_BYTES - utf8Bytes(errorType) - utf8Bytes(errorMessage);
    return client.send(
      new SendDurableExecutionCallbackFailureCommand({
        CallbackId: ref.callbackId,
        Error: {
          ErrorType: errorType,
          ErrorMessage: errorMessage,
          ErrorData: document((json) => utf8Bytes(json) <= room),
        },
      }),
    );
  };
  return {
    kind: 'lambda',
    resume: (request: ResumeRequest): Promise<ResumeResult> =>
      answerAndClassify(request.approval, FAILURE_RULES, async (ref) => {
        if (request.answer === 'approve') {
          const result = decisionDocument(request, (json) => utf8Bytes(json) <= MAX_RESULT_BYTES);
          await client.send(
            new SendDurableExecutionCallbackSuccessCommand({ CallbackId: ref.callbackId, Result: result }),
          );
        } else {
          await fail(ref, failureErrorName(request.outcome), durableFunctionErrorMessage(request), (fits) =>
            decisionDocument(request, fits),
          );
        }
      }),
    refuse: (request: RefusalRequest): Promise<ResumeResult> =>
      answerAndClassify({ id: request.approvalId, sourceRef: request.sourceRef }, FAILURE_RULES, (ref) =>
        fail(ref, request.error, refusalText(request), (fits) => refusalDocument(request, fits)),
      ),
  };
}

/**
 * E.g. `Rejected by email:alice@example.com via rest at 2025-03-04T12:00:00.000Z: not now`. Only stored facts go in,
 * so every retry sends the same request.
 */
export function durableFunctionErrorMessage(request: ResumeRequest): string {
  return decisionText(request, { approve: 'succeeded', reject: 'failed' });
}
