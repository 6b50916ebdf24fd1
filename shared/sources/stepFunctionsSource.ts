/**
 * Step Functions: a Task state `arn:aws:states:::events:putEvents.waitForTaskToken` puts an `Approval Requested`
 * event (Step Functions adds the execution and state machine ARNs to `resources`), or a Task state
 * `arn:aws:states:::lambda:invoke.waitForTaskToken` invokes the capture function directly with the request as payload.
 * Answered with SendTaskSuccess / SendTaskFailure. See events/README.md for the documentation behind each field.
 */
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import type { ApprovalRequest } from './approvalRequestSchema';
import { approvalRequestSchema } from './approvalRequestSchema';
import { lastArnSegment, STEP_FUNCTIONS_EXECUTION_ARN, STEP_FUNCTIONS_STATE_MACHINE_ARN } from './arns';
import { MalformedEventError } from './errors';
import { isEventBridgeEvent, parseEvent } from './parseEvent';
import type { CaptureResult, WaitingSource } from './waitingSource';

export const APPROVAL_REQUESTED_DETAIL_TYPE = 'Approval Requested';

const eventSchema = EventBridgeSchema.extend({
  detail: z.custom<Record<string, unknown>>(
    (detail) => typeof detail === 'object' && detail !== null && !Array.isArray(detail),
    'must be a JSON object',
  ),
});

const directInvokePayloadSchema = z.object({
  executionArn: z
    .string({ error: 'is required (pass $$.Execution.Id)' })
    .regex(STEP_FUNCTIONS_EXECUTION_ARN, 'must be a Step Functions execution ARN'),
  stateMachineArn: z
    .string()
    .regex(STEP_FUNCTIONS_STATE_MACHINE_ARN, 'must be a Step Functions state machine ARN')
    .optional(),
});

/** A direct Lambda invocation from a waitForTaskToken Task: no EventBridge envelope, the token at the top level. */
function isDirectInvokePayload(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'taskToken' in event && !('detail-type' in event);
}

function toWaitingItem(
  request: ApprovalRequest,
  executionArn: string,
  stateMachineArn: string | undefined,
): CaptureResult {
  return {
    kind: 'waiting',
    item: {
      source: 'stepfunctions',
      naturalKey: request.taskToken,
      sourceRef: {
        kind: 'stepfunctions',
        taskToken: request.taskToken,
        executionArn,
        ...(stateMachineArn === undefined ? {} : { stateMachineArn }),
      },
      workflowRef: executionArn,
      title: request.title ?? `Step Functions execution ${lastArnSegment(executionArn)}`,
      ...(request.description === undefined ? {} : { description: request.description }),
      context: { links: request.context?.links ?? [], fields: request.context?.fields ?? {} },
      ...(request.approvers === undefined ? {} : { approvers: request.approvers }),
      ...(request.requiredApprovals === undefined ? {} : { requiredApprovals: request.requiredApprovals }),
      ...(request.requestedBy === undefined ? {} : { requestedBy: request.requestedBy }),
      ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
    },
  };
}

function captureFromEventBridge(event: unknown): CaptureResult {
  const envelope = parseEvent(eventSchema, event, 'stepfunctions', 'EventBridge event');
  const request = parseEvent(approvalRequestSchema, envelope.detail, 'stepfunctions', 'Approval Requested detail', [
    'detail',
  ]);
  const executionArn = envelope.resources.find((arn) => STEP_FUNCTIONS_EXECUTION_ARN.test(arn));
  if (executionArn === undefined) {
    throw new MalformedEventError('stepfunctions', 'not a valid Approval Requested event', [
      {
        path: 'resources',
        message:
          'must contain the Step Functions execution ARN (added by Step Functions to events put by events:putEvents)',
      },
    ]);
  }
  const stateMachineArn = envelope.resources.find((arn) => STEP_FUNCTIONS_STATE_MACHINE_ARN.test(arn));
  return toWaitingItem(request, executionArn, stateMachineArn);
}

function captureFromDirectInvoke(event: unknown): CaptureResult {
  const request = parseEvent(approvalRequestSchema, event, 'stepfunctions', 'waitForTaskToken payload');
  const workflow = parseEvent(directInvokePayloadSchema, event, 'stepfunctions', 'waitForTaskToken payload');
  return toWaitingItem(request, workflow.executionArn, workflow.stateMachineArn);
}

export function stepFunctionsSource(): WaitingSource {
  return {
    kind: 'stepfunctions',
    recognises: (event) => isEventBridgeEvent(event, [APPROVAL_REQUESTED_DETAIL_TYPE]) || isDirectInvokePayload(event),
    capture: async (event) =>
      isDirectInvokePayload(event) ? captureFromDirectInvoke(event) : captureFromEventBridge(event),
  };
}
