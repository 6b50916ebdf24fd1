/**
 * Events that say a workflow has ended — whoever ended it — so that its open approvals can be closed:
 * Step Functions `Step Functions Execution Status Change` (SUCCEEDED, FAILED, TIMED_OUT, ABORTED), Image Builder
 * `EC2 Image Builder Image State Change` (AVAILABLE, FAILED, CANCELLED, DELETED), SSM
 * `EC2 Automation Execution Status-change Notification` with a terminal status. See events/README.md.
 */
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { z } from 'zod';
import type { SourceKind } from '../domain/approval';
import { AUTOMATION_EXECUTION_ID, IMAGE_BUILD_VERSION_ARN, STEP_FUNCTIONS_EXECUTION_ARN } from './arns';
import { MalformedEventError } from './errors';
import { isEventBridgeEvent, parseEvent } from './parseEvent';
import { AUTOMATION_EXECUTION_STATUS_CHANGE, SSM_EVENT_SOURCE } from './ssmAutomationSource';

export interface WorkflowEnded {
  source: SourceKind;
  workflowRef: string;
  status: string;
}

export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';
export const IMAGE_STATE_CHANGE = 'EC2 Image Builder Image State Change';
export const TERMINAL_STATUSES: Record<SourceKind, readonly string[]> = {
  stepfunctions: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
  imagebuilder: ['AVAILABLE', 'FAILED', 'CANCELLED', 'DELETED'],
  ssm: [
    'Success',
    'Failed',
    'TimedOut',
    'Cancelled',
    'CompletedWithSuccess',
    'CompletedWithFailure',
    'Exited',
    'Rejected',
  ],
};

const stepFunctionsEnded = EventBridgeSchema.extend({
  detail: z.object({
    executionArn: z.string().regex(STEP_FUNCTIONS_EXECUTION_ARN, 'must be a Step Functions execution ARN'),
    status: z.enum(TERMINAL_STATUSES.stepfunctions as [string, ...string[]]),
  }),
});
const imageEnded = EventBridgeSchema.extend({
  resources: z.array(z.string()).refine((arns) => arns.some((arn) => IMAGE_BUILD_VERSION_ARN.test(arn)), {
    message: 'must contain the image build version ARN',
  }),
  detail: z.object({ state: z.object({ status: z.enum(TERMINAL_STATUSES.imagebuilder as [string, ...string[]]) }) }),
});
const automationEnded = EventBridgeSchema.extend({
  detail: z.object({
    ExecutionId: z.string().regex(AUTOMATION_EXECUTION_ID, 'must be an automation execution id'),
    Status: z.enum(TERMINAL_STATUSES.ssm as [string, ...string[]]),
  }),
});

export function isWorkflowEndedEvent(event: unknown): boolean {
  return (
    isEventBridgeEvent(event, [EXECUTION_STATUS_CHANGE], 'aws.states') ||
    isEventBridgeEvent(event, [IMAGE_STATE_CHANGE], 'aws.imagebuilder') ||
    isEventBridgeEvent(event, [AUTOMATION_EXECUTION_STATUS_CHANGE], SSM_EVENT_SOURCE)
  );
}

/** The ended workflow an event reports; MalformedEventError when it is not such an event. */
export function workflowEndedFrom(event: unknown): WorkflowEnded {
  if (isEventBridgeEvent(event, [EXECUTION_STATUS_CHANGE], 'aws.states')) {
    const { detail } = parseEvent(stepFunctionsEnded, event, 'stepfunctions', 'execution status change');
    return { source: 'stepfunctions', workflowRef: detail.executionArn, status: detail.status };
  }
  if (isEventBridgeEvent(event, [IMAGE_STATE_CHANGE], 'aws.imagebuilder')) {
    const parsed = parseEvent(imageEnded, event, 'imagebuilder', 'image state change');
    const imageArn = parsed.resources.find((arn) => IMAGE_BUILD_VERSION_ARN.test(arn)) as string;
    return { source: 'imagebuilder', workflowRef: imageArn, status: parsed.detail.state.status };
  }
  if (isEventBridgeEvent(event, [AUTOMATION_EXECUTION_STATUS_CHANGE], SSM_EVENT_SOURCE)) {
    const { detail } = parseEvent(automationEnded, event, 'ssm', 'automation status change');
    return { source: 'ssm', workflowRef: detail.ExecutionId, status: detail.Status };
  }
  throw new MalformedEventError(undefined, 'not an event that reports a workflow ending');
}
