/**
 * Step Functions: a Task state `arn:aws:states:::events:putEvents.waitForTaskToken` puts an `Approval Requested`
 * event (Step Functions adds the execution and state machine ARNs to `resources`), or a Task state
 * `arn:aws:states:::lambda:invoke.waitForTaskToken` invokes the capture function directly with the request as payload.
 * Answered with SendTaskSuccess / SendTaskFailure. See events/README.md for the documentation behind each field.
 */
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import { type EventIssue, MalformedEventError } from '../../app/errors';
import type { CaptureResult, WaitingSource } from '../../app/sourcePorts';
import type { ApprovalRequest } from '../approvalRequestSchema';
import { approvalRequestSchema, MAX_REQUEST_BYTES, requestBytes, taskTokenSchema } from '../approvalRequestSchema';
import { lastArnSegment } from '../arns';
import { isEventBridgeEvent, parseEvent } from '../parseEvent';
import {
  STEP_FUNCTIONS_EXECUTION_ARN,
  STEP_FUNCTIONS_STATE_MACHINE_ARN,
  type StepFunctionsReference,
} from './stepFunctionsReference';

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
      } satisfies StepFunctionsReference,
      workflowRef: executionArn,
      title: request.title ?? `Step Functions execution ${lastArnSegment(executionArn)}`,
      ...(request.description === undefined ? {} : { description: request.description }),
      context: { links: request.context?.links ?? [], fields: request.context?.fields ?? {} },
      ...(request.approvers === undefined ? {} : { approvers: request.approvers }),
      ...(request.requiredApprovals === undefined ? {} : { requiredApprovals: request.requiredApprovals }),
      ...(request.requestedBy === undefined ? {} : { requestedBy: request.requestedBy }),
      ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
      ...(request.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: request.heartbeatSeconds }),
    },
  };
}

/**
 * Parses the request; when it is not valid but carries a usable task token, the result says so (the task is then
 * answered with a refusal), so that a workflow never waits for a request Greenlight has thrown away.
 */
function parseRequest(
  request: unknown,
  what: string,
  at: readonly string[],
  workflow: { executionArn?: string; stateMachineArn?: string },
  extraIssues: EventIssue[] = [],
): { kind: 'valid'; request: ApprovalRequest } | Extract<CaptureResult, { kind: 'invalid' }> {
  const issues = [...extraIssues];
  if (requestBytes(request) > MAX_REQUEST_BYTES) {
    issues.push({ path: at.join('.') || '(payload)', message: `must be at most ${MAX_REQUEST_BYTES} bytes of JSON` });
  }
  let parsed: ApprovalRequest | undefined;
  try {
    parsed = parseEvent(approvalRequestSchema, request, 'stepfunctions', what, at);
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    issues.push(...error.issues);
  }
  if (parsed !== undefined && issues.length === 0) return { kind: 'valid', request: parsed };
  const token = taskTokenSchema.safeParse((request as { taskToken?: unknown } | undefined)?.taskToken);
  if (!token.success) throw new MalformedEventError('stepfunctions', `not a valid ${what}`, issues);
  return {
    kind: 'invalid',
    wait: {
      source: 'stepfunctions',
      naturalKey: token.data,
      sourceRef: {
        kind: 'stepfunctions',
        taskToken: token.data,
        executionArn: workflow.executionArn ?? '',
        ...(workflow.stateMachineArn === undefined ? {} : { stateMachineArn: workflow.stateMachineArn }),
      } satisfies StepFunctionsReference,
      workflowRef: workflow.executionArn ?? '',
    },
    issues,
  };
}

/**
 * The execution and state machine ARNs Step Functions appended to the entry's `Resources` ("automatically appended",
 * connect-eventbridge.html): the last ones, never one the workflow's author listed before them, which would let a
 * request choose the policy rule of another workflow. They must name one state machine in the event's own account.
 */
function appendedWorkflow(envelope: { account: string; resources: string[] }): {
  executionArn?: string;
  stateMachineArn?: string;
  issues: EventIssue[];
} {
  const executionArn = envelope.resources.findLast((arn) => STEP_FUNCTIONS_EXECUTION_ARN.test(arn));
  const stateMachineArn = envelope.resources.findLast((arn) => STEP_FUNCTIONS_STATE_MACHINE_ARN.test(arn));
  const found = { ...(executionArn ? { executionArn } : {}), ...(stateMachineArn ? { stateMachineArn } : {}) };
  if (executionArn === undefined) {
    const message =
      'must contain the Step Functions execution ARN (added by Step Functions to events put by events:putEvents)';
    return { ...found, issues: [{ path: 'resources', message }] };
  }
  const [, , , region, account, , machine] = executionArn.split(':');
  const sameMachine =
    stateMachineArn === undefined ||
    stateMachineArn.split(':').slice(3, 7).join(':') === `${region}:${account}:stateMachine:${machine}`;
  if (!sameMachine || account !== envelope.account) {
    const message =
      'must end with the execution and state machine ARNs Step Functions appends, of one state machine in the event account';
    return { ...found, issues: [{ path: 'resources', message }] };
  }
  return { ...found, issues: [] };
}

function captureFromEventBridge(event: unknown): CaptureResult {
  const envelope = parseEvent(eventSchema, event, 'stepfunctions', 'EventBridge event');
  const { executionArn, stateMachineArn, issues: workflowIssues } = appendedWorkflow(envelope);
  const parsed = parseRequest(
    envelope.detail,
    'Approval Requested detail',
    ['detail'],
    { ...(executionArn ? { executionArn } : {}), ...(stateMachineArn ? { stateMachineArn } : {}) },
    workflowIssues,
  );
  if (parsed.kind === 'invalid') return parsed;
  return toWaitingItem(parsed.request, executionArn as string, stateMachineArn);
}

function captureFromDirectInvoke(event: unknown): CaptureResult {
  const workflow = directInvokePayloadSchema.safeParse(event);
  let workflowIssues: EventIssue[] = [];
  if (!workflow.success) {
    try {
      parseEvent(directInvokePayloadSchema, event, 'stepfunctions', 'waitForTaskToken payload');
    } catch (error) {
      if (!(error instanceof MalformedEventError)) throw error;
      workflowIssues = error.issues;
    }
  }
  const found = workflow.success ? workflow.data : {};
  const parsed = parseRequest(event, 'waitForTaskToken payload', [], found, workflowIssues);
  if (parsed.kind === 'invalid') return parsed;
  const { executionArn, stateMachineArn } = found as z.output<typeof directInvokePayloadSchema>;
  return toWaitingItem(parsed.request, executionArn, stateMachineArn);
}

export function stepFunctionsCapture(defaultTimeoutSeconds: number): WaitingSource {
  return {
    kind: 'stepfunctions',
    defaultTimeoutSeconds,
    recognises: (event) => isEventBridgeEvent(event, [APPROVAL_REQUESTED_DETAIL_TYPE]) || isDirectInvokePayload(event),
    capture: async (event) =>
      isDirectInvokePayload(event) ? captureFromDirectInvoke(event) : captureFromEventBridge(event),
  };
}
