/**
 * Systems Manager Automation: a runbook step with action aws:approve makes the execution (and the step) wait; SSM emits
 * `EC2 Automation Step Status-change Notification` and `EC2 Automation Execution Status-change Notification` with
 * Status `Waiting` (source aws.ssm). Neither carries the approvers, message or quorum, so we read the waiting step
 * from GetAutomationExecution. Both events of one wait resolve to the same step execution, hence the same approval.
 */

import {
  type AutomationExecution,
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  type SSMClient,
  type StepExecution,
} from '@aws-sdk/client-ssm';
import type { CaptureResult, WaitingSource } from '../../app/sourcePorts';
import { tryCanonicalIdentity } from '../../domain/identity';
import * as z from '../../domain/zodMini';
import { eventBridgeEnvelope } from '../eventBridgeEnvelope';
import { isEventBridgeEvent, parseEvent } from '../parseEvent';
import type { CaptureOptions } from '../sourceDescriptor';
import { AUTOMATION_EXECUTION_ID, type SsmAutomationReference } from './ssmAutomationReference';

export const SSM_EVENT_SOURCE = 'aws.ssm';
export const AUTOMATION_STEP_STATUS_CHANGE = 'EC2 Automation Step Status-change Notification';
export const AUTOMATION_EXECUTION_STATUS_CHANGE = 'EC2 Automation Execution Status-change Notification';
const APPROVE_ACTION = 'aws:approve';

const eventSchema = z.object({
  ...eventBridgeEnvelope,
  detail: z.object({
    ExecutionId: z
      .string({ error: 'is required' })
      .check(z.regex(AUTOMATION_EXECUTION_ID, 'must be an automation execution id')),
    Status: z.string({ error: 'is required' }),
    StepName: z.optional(z.string().check(z.minLength(1))),
    Action: z.optional(z.string()),
  }),
});

/** StepExecution.Inputs values are JSON-encoded strings (`"[\"arn:…\"]"`, `"1"`); tolerate plain ones. */
function decodeInput(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** aws:approve Approvers may be IAM user names or IAM user/role ARNs; we name people `iam:<ARN>`. */
export function approverIdentity(approver: string, account: string): string {
  return approver.startsWith('arn:') ? `iam:${approver}` : `iam:arn:aws:iam::${account}:user/${approver}`;
}

function waitingApproveStep(steps: StepExecution[], stepName: string | undefined): StepExecution | undefined {
  return steps.find(
    (step) =>
      step.Action === APPROVE_ACTION &&
      step.StepStatus === 'Waiting' &&
      (stepName === undefined || step.StepName === stepName),
  );
}

/**
 * `options.ownRoleArns`: Greenlight's own roles (one per function that answers SSM waits): runbooks must list them
 * among the aws:approve Approvers so that they may send the signal, but they are not people who decide.
 */
export function ssmAutomationCapture(
  ssm: SSMClient,
  options: CaptureOptions,
  defaultTimeoutSeconds: number,
): WaitingSource {
  const ownRoleArns = new Set(options.ownRoleArns ?? []);
  async function capture(event: unknown): Promise<CaptureResult> {
    const envelope = parseEvent(eventSchema, event, 'ssm', 'Automation status-change event');
    const { detail } = envelope;
    if (detail.Status !== 'Waiting') return { kind: 'not-waiting', reason: `automation status is ${detail.Status}` };
    if (detail.Action !== undefined && detail.Action !== APPROVE_ACTION) {
      return { kind: 'not-waiting', reason: `the waiting step is ${detail.Action}, not ${APPROVE_ACTION}` };
    }

    const automation = await readAutomation(detail.ExecutionId);
    if (automation === undefined) return { kind: 'not-waiting', reason: 'the automation execution does not exist' };
    const step = waitingApproveStep(automation.StepExecutions ?? [], detail.StepName);
    if (step?.StepName === undefined) {
      return { kind: 'not-waiting', reason: `the automation no longer waits at an ${APPROVE_ACTION} step` };
    }

    const approvers = decodeInput(step.Inputs?.Approvers);
    // MinRequiredApprovals is the runbook's setting for Greenlight's own role (it signals once); the people's quorum
    // is the policy's, so it is not read.
    const message = decodeInput(step.Inputs?.Message);
    const documentName = automation.DocumentName ?? 'automation';
    const executedBy = automation.ExecutedBy?.trim();
    const requestedBy = executedBy?.startsWith('arn:') ? tryCanonicalIdentity(`iam:${executedBy}`) : undefined;
    return {
      kind: 'waiting',
      item: {
        source: 'ssm',
        // One approval per wait: the step execution id is new each time the step runs.
        naturalKey: `${detail.ExecutionId}:${step.StepExecutionId ?? step.StepName}`,
        sourceRef: {
          kind: 'ssm',
          automationExecutionId: detail.ExecutionId,
          stepName: step.StepName,
          ...(step.StepExecutionId ? { stepExecutionId: step.StepExecutionId } : {}),
          ...(automation.DocumentName ? { documentName: automation.DocumentName } : {}),
        } satisfies SsmAutomationReference,
        workflowRef: detail.ExecutionId,
        title: `Automation ${documentName}: step ${step.StepName} awaits approval`,
        ...(typeof message === 'string' && message !== '' ? { description: message } : {}),
        context: { fields: { automationExecution: detail.ExecutionId, document: documentName, step: step.StepName } },
        ...(Array.isArray(approvers)
          ? {
              approvers: approvers
                .map(String)
                .filter((approver) => !ownRoleArns.has(approver))
                // One that is no identity stays as it is: it matches nobody, so it narrows the list to nobody
                // rather than leaving it open.
                .map((approver) => approverIdentity(approver, envelope.account))
                .map((identity) => tryCanonicalIdentity(identity) ?? identity),
            }
          : {}),
        ...(requestedBy === undefined ? {} : { requestedBy }),
      },
    };
  }

  async function readAutomation(automationExecutionId: string): Promise<AutomationExecution | undefined> {
    try {
      const output = await ssm.send(
        new GetAutomationExecutionCommand({ AutomationExecutionId: automationExecutionId }),
      );
      return output.AutomationExecution;
    } catch (error) {
      if (error instanceof AutomationExecutionNotFoundException) return undefined;
      throw error;
    }
  }

  return {
    kind: 'ssm',
    defaultTimeoutSeconds,
    recognises: (event) =>
      isEventBridgeEvent(event, [AUTOMATION_STEP_STATUS_CHANGE, AUTOMATION_EXECUTION_STATUS_CHANGE], SSM_EVENT_SOURCE),
    capture,
  };
}
