/**
 * CodePipeline: answers a Manual approval action with PutApprovalResult, status Approved or Rejected
 * (API_PutApprovalResult.html, API_ApprovalResult.html). The decision (who, how, when, why) goes into
 * `result.summary`, "Maximum length of 512" (invariant 6). PutApprovalResult takes no idempotency token: a retry after
 * our own answer went through meets ApprovalAlreadyCompletedException or InvalidApprovalTokenException, which the
 * use cases read as "already answered" (afterRetry).
 *
 * ApprovalAlreadyCompletedException ("already been approved or rejected"), InvalidApprovalTokenException ("already
 * received a response or has expired"), ActionNotFoundException, StageNotFoundException and PipelineNotFoundException
 * mean nothing waits any more. The token is a secret (invariant 1): never in a reason or an error this module throws.
 */
import { type CodePipelineClient, PutApprovalResultCommand } from '@aws-sdk/client-codepipeline';
import type { RefusalRequest, ResumeRequest, ResumeResult, SourceResumer } from '../../app/sourcePorts';
import { clip } from '../../domain/clip';
import type { SourceReference } from '../../domain/sourceKind';
import { type AwsFailureRules, answerAndClassify, unavailableNames } from '../awsErrorClassification';
import { decisionText, refusalText } from '../decisionText';
import type { CodePipelineReference } from './codePipelineReference';

export const MAX_SUMMARY_CHARS = 512;
const TOKEN_PLACEHOLDER = '[approval token]';

const NOT_WAITING_REASONS: Record<string, string> = {
  ApprovalAlreadyCompletedException:
    'CodePipeline reports the approval was already approved or rejected (ApprovalAlreadyCompletedException)',
  InvalidApprovalTokenException:
    'CodePipeline does not accept the approval token (InvalidApprovalTokenException): already answered, timed out or the action ran again',
  ActionNotFoundException:
    'CodePipeline does not find the approval action (ActionNotFoundException): the pipeline no longer has it',
  StageNotFoundException:
    'CodePipeline does not find the stage (StageNotFoundException): the pipeline no longer has it',
  PipelineNotFoundException: 'CodePipeline does not find the pipeline (PipelineNotFoundException): it was deleted',
};

const FAILURE_RULES: AwsFailureRules<CodePipelineReference> = {
  source: 'codepipeline',
  service: 'CodePipeline',
  referenceName: 'a CodePipeline',
  notWaitingReasons: NOT_WAITING_REASONS,
  // CodePipeline models no throttling or 5xx error of its own: the shared names, the HTTP status and the SDK's
  // retryable marks cover them.
  unavailableNames: unavailableNames(),
  redact: (error, ref) => redact(error, ref.token),
};

export function codePipelineResumer(client: CodePipelineClient): SourceResumer {
  const answer = (
    target: { id: string; sourceRef: SourceReference },
    status: 'Approved' | 'Rejected',
    summary: string,
  ): Promise<ResumeResult> =>
    answerAndClassify(target, FAILURE_RULES, (ref) =>
      client.send(
        new PutApprovalResultCommand({
          pipelineName: ref.pipelineName,
          stageName: ref.stageName,
          actionName: ref.actionName,
          token: ref.token,
          result: { status, summary },
        }),
      ),
    );
  return {
    kind: 'codepipeline',
    resume: (request) =>
      answer(request.approval, request.answer === 'approve' ? 'Approved' : 'Rejected', codePipelineSummary(request)),
    refuse: (request: RefusalRequest) =>
      answer(
        { id: request.approvalId, sourceRef: request.sourceRef },
        'Rejected',
        clip(refusalText(request), MAX_SUMMARY_CHARS),
      ),
  };
}

/**
 * E.g. `Approved by email:alice@example.com via rest at 2025-03-04T12:00:00.000Z: looks good`, shortened with a
 * closing `…` to the 512 characters of `summary`. Only stored facts go in, so every retry sends the same request.
 */
export function codePipelineSummary(request: ResumeRequest): string {
  return clip(decisionText(request, { approve: 'approved', reject: 'rejected' }), MAX_SUMMARY_CHARS);
}

/** Removes the token from an error's message and stack (validation messages may echo input values). */
function redact(error: unknown, token: string): unknown {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    if (current.message.includes(token)) current.message = current.message.replaceAll(token, TOKEN_PLACEHOLDER);
    if (current.stack?.includes(token)) current.stack = current.stack.replaceAll(token, TOKEN_PLACEHOLDER);
    current = current.cause;
  }
  return error;
}
