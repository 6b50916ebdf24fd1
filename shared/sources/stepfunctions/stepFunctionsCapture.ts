/**
 * Step Functions: a Task state `arn:aws:states:::events:putEvents.waitForTaskToken` puts an `Approval Requested`
 * event (Step Functions adds the execution and state machine ARNs to `resources`), or a Task state
 * `arn:aws:states:::lambda:invoke.waitForTaskToken` invokes the capture function directly with the request as payload.
 * Answered with SendTaskSuccess / SendTaskFailure. See events/README.md for the documentation behind each field.
 */
import { type EventIssue, MalformedEventError } from '../../app/errors';
import type { CaptureResult, WaitingSource } from '../../app/sourcePorts';
import * as z from '../../domain/zodMini';
import { parseAnswerableRequest } from '../answerableRequest';
import { approvalRequestedBy, approvalRequestedEventSchema } from '../approvalRequested';
import type { ApprovalRequest } from '../approvalRequestSchema';
import { approvalRequestSchema, taskTokenSchema } from '../approvalRequestSchema';
import { lastArnSegment } from '../arns';
import { parseEvent } from '../parseEvent';
import {
  STEP_FUNCTIONS_EXECUTION_ARN,
  STEP_FUNCTIONS_STATE_MACHINE_ARN,
  type StepFunctionsReference,
} from './stepFunctionsReference';

const directInvokePayloadSchema = z.object({
  executionArn: z
    .string({ error: 'is required (pass $$.Execution.Id)' })
    .check(z.regex(STEP_FUNCTIONS_EXECUTION_ARN, 'must be a Step Functions execution ARN')),
  stateMachineArn: z.optional(
    z.string().check(z.regex(STEP_FUNCTIONS_STATE_MACHINE_ARN, 'must be a Step Functions state machine ARN')),
  ),
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
  const parsed = parseAnswerableRequest({
    schema: approvalRequestSchema,
    request,
    source: 'stepfunctions',
    what,
    at,
    extraIssues,
    handle: (candidate) => {
      const token = taskTokenSchema.safeParse((candidate as { taskToken?: unknown } | undefined)?.taskToken);
      return token.success ? token.data : undefined;
    },
  });
  if (parsed.kind === 'valid') return parsed;
  return {
    kind: 'invalid',
    wait: {
      source: 'stepfunctions',
      naturalKey: parsed.handle,
      sourceRef: {
        kind: 'stepfunctions',
        taskToken: parsed.handle,
        executionArn: workflow.executionArn ?? '',
        ...(workflow.stateMachineArn === undefined ? {} : { stateMachineArn: workflow.stateMachineArn }),
      } satisfies StepFunctionsReference,
      workflowRef: workflow.executionArn ?? '',
    },
    issues: parsed.issues,
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
  const envelope = parseEvent(approvalRequestedEventSchema, event, 'stepfunctions', 'EventBridge event');
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
    // An `Approval Requested` event with a callback id and no task token is a Lambda durable function's request.
    recognises: (event) => approvalRequestedBy(event) === 'stepfunctions' || isDirectInvokePayload(event),
    capture: async (event) =>
      isDirectInvokePayload(event) ? captureFromDirectInvoke(event) : captureFromEventBridge(event),
  };
}
