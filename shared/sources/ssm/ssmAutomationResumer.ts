/**
 * Systems Manager Automation: answers an `aws:approve` step with SendAutomationSignal Approve / Reject
 * (shared/reference/ssm-SendAutomationSignal.api.txt). The decision (who, how, when, why) goes into
 * `Payload.Comment` (invariant 6): the API allows at most 10 values of 1–512 characters, so the text is split into
 * consecutive pieces and, beyond 10 pieces, shortened with a closing `…`.
 *
 * InvalidAutomationSignalException ("not valid for the current Automation execution": answered, timed out, ended),
 * AutomationExecutionNotFoundException and AutomationStepNotFoundException mean nothing waits any more.
 */
import { SendAutomationSignalCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { RefusalRequest, ResumeRequest, ResumeResult, SourceResumer } from '../../app/sourcePorts';
import { clip, prefix } from '../../domain/clip';
import { type AwsFailureRules, answerAndClassify, unavailableNames } from '../awsErrorClassification';
import { decisionText, refusalText } from '../decisionText';
import type { SsmAutomationReference } from './ssmAutomationReference';

export const MAX_COMMENT_VALUE_CHARS = 512;
export const MAX_COMMENT_VALUES = 10;

const NOT_WAITING_REASONS: Record<string, string> = {
  InvalidAutomationSignalException:
    'Systems Manager reports the automation is not waiting for this signal (InvalidAutomationSignalException): already answered, timed out or the execution ended',
  AutomationExecutionNotFoundException:
    'Systems Manager does not know the automation execution (AutomationExecutionNotFoundException): it ended and is gone',
  AutomationStepNotFoundException:
    'Systems Manager does not find the approval step (AutomationStepNotFoundException): the step is no longer running',
};

const FAILURE_RULES: AwsFailureRules<SsmAutomationReference> = {
  source: 'ssm',
  service: 'Systems Manager',
  referenceName: 'an SSM Automation',
  notWaitingReasons: NOT_WAITING_REASONS,
  // The query-style throttling and 5xx names SSM may answer with.
  unavailableNames: unavailableNames('Throttling', 'RequestLimitExceeded', 'InternalServerError', 'ServiceUnavailable'),
};

export function ssmAutomationResumer(client: SSMClient): SourceResumer {
  return {
    kind: 'ssm',
    resume: (request: ResumeRequest): Promise<ResumeResult> =>
      answerAndClassify(request.approval, FAILURE_RULES, (ref) =>
        client.send(
          new SendAutomationSignalCommand({
            AutomationExecutionId: ref.automationExecutionId,
            SignalType: request.answer === 'approve' ? 'Approve' : 'Reject',
            Payload: { Comment: ssmComment(request) },
          }),
        ),
      ),
    refuse: (request: RefusalRequest): Promise<ResumeResult> =>
      answerAndClassify({ id: request.approvalId, sourceRef: request.sourceRef }, FAILURE_RULES, (ref) =>
        client.send(
          new SendAutomationSignalCommand({
            AutomationExecutionId: ref.automationExecutionId,
            SignalType: 'Reject',
            Payload: { Comment: commentValues(refusalText(request)) },
          }),
        ),
      ),
  };
}

/**
 * The `Comment` values: e.g. `["Approved by email:alice@example.com via rest at 2025-03-04T12:00:00.000Z: looks good"]`.
 * Joined without a separator they give back the text (or its beginning followed by `…` when it was too long).
 */
export function ssmComment(request: ResumeRequest): string[] {
  return commentValues(decisionText(request, { approve: 'approved', reject: 'rejected' }));
}

/** Consecutive pieces of `text` within the API's 10 values of at most 512 characters. */
function commentValues(text: string): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0 && pieces.length < MAX_COMMENT_VALUES - 1) {
    const piece = prefix(rest, MAX_COMMENT_VALUE_CHARS);
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  if (rest.length > 0) pieces.push(clip(rest, MAX_COMMENT_VALUE_CHARS));
  return pieces;
}
