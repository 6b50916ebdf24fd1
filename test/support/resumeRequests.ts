/** Approvals waiting in each source, and the resume requests that answer them, for the resumer tests. */

import type { ResumeRequest } from '../../shared/app/sourcePorts';
import { type Approval, openApproval } from '../../shared/domain/approval';
import type { ImageBuilderReference } from '../../shared/sources/imagebuilder/imageBuilderReference';
import type { DurableFunctionReference } from '../../shared/sources/lambda/durableFunctionReference';
import type { SsmAutomationReference } from '../../shared/sources/ssm/ssmAutomationReference';
import type { StepFunctionsReference } from '../../shared/sources/stepfunctions/stepFunctionsReference';

/** The default wait of most sources (openApproval's third argument). */
const SEVEN_DAYS = 7 * 24 * 60 * 60;

/** When the fixture approvals open, unless a test says otherwise. */
export const OPENED_AT = '2025-03-04T12:00:00.000Z';
/** When the fixture decisions are taken. */
export const DECIDED_AT = '2025-03-04T12:30:00.000Z';

/** A Step Functions task waiting for its token, keyed like the source does: by the task token. */
export function stepFunctionsApproval(
  reference: Omit<StepFunctionsReference, 'kind'>,
  title: string,
  openedAt = new Date(OPENED_AT),
): Approval {
  return openApproval(
    {
      source: 'stepfunctions',
      naturalKey: reference.taskToken,
      sourceRef: { kind: 'stepfunctions', ...reference },
      workflowRef: reference.executionArn,
      title,
    },
    openedAt,
    SEVEN_DAYS,
  );
}

/** An Image Builder workflow step waiting for an action, keyed like the source does: by the step execution id. */
export function imageBuilderApproval(
  reference: Omit<ImageBuilderReference, 'kind'>,
  title: string,
  openedAt = new Date(OPENED_AT),
): Approval {
  return openApproval(
    {
      source: 'imagebuilder',
      naturalKey: reference.workflowStepExecutionId,
      sourceRef: { kind: 'imagebuilder', ...reference },
      workflowRef: reference.imageBuildVersionArn,
      title,
    },
    openedAt,
    SEVEN_DAYS,
  );
}

/** An SSM Automation `aws:approve` step, keyed like the source does: execution id and step execution id or name. */
export function ssmAutomationApproval(
  reference: Omit<SsmAutomationReference, 'kind'>,
  title: string,
  openedAt = new Date(OPENED_AT),
): Approval {
  return openApproval(
    {
      source: 'ssm',
      naturalKey: `${reference.automationExecutionId}:${reference.stepExecutionId ?? reference.stepName}`,
      sourceRef: { kind: 'ssm', ...reference },
      workflowRef: reference.automationExecutionId,
      title,
    },
    openedAt,
    SEVEN_DAYS,
  );
}

/** A Lambda durable function waiting on a callback, keyed like the source does: by the callback id. */
export function lambdaApproval(
  reference: Omit<DurableFunctionReference, 'kind'>,
  title: string,
  openedAt = new Date(OPENED_AT),
): Approval {
  return openApproval(
    {
      source: 'lambda',
      naturalKey: reference.callbackId,
      sourceRef: { kind: 'lambda', ...reference },
      workflowRef: reference.durableExecutionArn,
      title,
    },
    openedAt,
    SEVEN_DAYS,
  );
}

/** alice's approval over REST at {@link DECIDED_AT}, first attempt, with whatever the test changes. */
export function resumeRequest(approval: Approval, overrides: Partial<ResumeRequest> = {}): ResumeRequest {
  return {
    approval,
    outcome: 'approved',
    answer: 'approve',
    decidedBy: ['email:alice@example.com'],
    channel: 'rest',
    comment: 'looks good',
    decidedAt: DECIDED_AT,
    attempt: 1,
    ...overrides,
  };
}
