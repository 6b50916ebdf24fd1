/**
 * EC2 Image Builder: answers a workflow step parked in `WaitForAction` with SendWorkflowStepAction — RESUME
 * (approve) or STOP (reject) — see shared/reference/imagebuilder-send_workflow_step_action.boto3.rst.
 *
 * Safe to retry (invariant 4): the clientToken is derived from the approval id and the answer only, and every other
 * parameter (the reason included) from what is stored with the approval, so a retry after a crash or a lost reply
 * sends the identical request and Image Builder "returns the original response without running the operation again".
 * The reason names who decided, through which channel, when, and why (invariant 6).
 */
import { createHash } from 'node:crypto';
import { type ImagebuilderClient, SendWorkflowStepActionCommand } from '@aws-sdk/client-imagebuilder';
import type { RefusalRequest, ResumeRequest, ResumeResult, SourceResumer } from '../../app/sourcePorts';
import { clip } from '../../domain/clip';
import type { SourceReference } from '../../domain/sourceKind';
import { type AwsFailureRules, answerAndClassify, unavailableNames } from '../awsErrorClassification';
import { decisionText, refusalText } from '../decisionText';
import type { ImageBuilderReference } from './imageBuilderReference';

/** Upper bound we keep `reason` within. */
export const MAX_REASON_CHARS = 1024;
/** ClientToken shape: 1–36 characters. */
export const MAX_CLIENT_TOKEN_CHARS = 36;

const NOT_WAITING_REASONS: Record<string, string> = {
  InvalidRequestException:
    'Image Builder reports the workflow step is not waiting for an action (InvalidRequestException): already actioned, timed out or the build ended',
  ResourceNotFoundException:
    'Image Builder does not know the workflow step (ResourceNotFoundException): the build or its workflow is gone',
};

const FAILURE_RULES: AwsFailureRules<ImageBuilderReference> = {
  source: 'imagebuilder',
  service: 'Image Builder',
  referenceName: 'an Image Builder',
  notWaitingReasons: NOT_WAITING_REASONS,
  // Image Builder's own throttling and 5xx names, plus ResourceInUseException (another action on the same resource is
  // in flight: later, the step is either still waiting or answered).
  unavailableNames: unavailableNames(
    'CallRateLimitExceededException',
    'ServiceException',
    'ServiceUnavailableException',
    'ResourceInUseException',
  ),
};

export function imageBuilderResumer(client: ImagebuilderClient): SourceResumer {
  /** One SendWorkflowStepAction on the waiting step of `target`, classified like every answer. */
  const act = (
    target: { id: string; sourceRef: SourceReference },
    action: 'RESUME' | 'STOP',
    reason: string,
    clientToken: string,
  ): Promise<ResumeResult> =>
    answerAndClassify(target, FAILURE_RULES, (ref) =>
      client.send(
        new SendWorkflowStepActionCommand({
          stepExecutionId: ref.workflowStepExecutionId,
          imageBuildVersionArn: ref.imageBuildVersionArn,
          action,
          reason,
          clientToken,
        }),
      ),
    );
  return {
    kind: 'imagebuilder',
    // IdempotentParameterMismatchException lands in the rethrow: the same token with other parameters is a bug.
    resume: (request: ResumeRequest) =>
      act(
        request.approval,
        request.answer === 'approve' ? 'RESUME' : 'STOP',
        imageBuilderReason(request),
        imageBuilderClientToken(request.approval.id, request.answer),
      ),
    // STOP with its own client token: a duplicate delivery's refusal is the same request, so Image Builder answers it
    // from its idempotency record instead of acting twice.
    refuse: (request: RefusalRequest) =>
      act(
        { id: request.approvalId, sourceRef: request.sourceRef },
        'STOP',
        clip(refusalText(request), MAX_REASON_CHARS),
        imageBuilderClientToken(request.approvalId, 'refuse'),
      ),
  };
}

/** `gl-` + 32 hex characters of sha256(approvalId:answer): the same for every retry of one answer, 35 characters. */
export function imageBuilderClientToken(approvalId: string, answer: ResumeRequest['answer'] | 'refuse'): string {
  return `gl-${createHash('sha256').update(`${approvalId}:${answer}`).digest('hex').slice(0, 32)}`;
}

/**
 * E.g. `Approved by email:alice@example.com via rest at 2025-03-04T12:00:00.000Z: looks good`, or for an expiry
 * `Expired without a decision at 2025-03-04T12:00:00.000Z, stopped as the policy says`. Only stored facts go in
 * (never the attempt or the current time), so every retry sends the same reason.
 */
export function imageBuilderReason(request: ResumeRequest): string {
  return clip(decisionText(request, { approve: 'resumed', reject: 'stopped' }), MAX_REASON_CHARS);
}
