/**
 * Asking a source whether a workflow still waits, for approvals whose "ended" event may have been lost (and for
 * Express state machines, which send none): DescribeExecution, GetWorkflowStepExecution, GetAutomationExecution.
 * Anything unclear (throttled, denied, unknown shape) is `unknown`: the sweep then changes nothing.
 */

import {
  GetWorkflowStepExecutionCommand,
  type ImagebuilderClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-imagebuilder';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  SendTaskHeartbeatCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import {
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { Approval, SourceKind } from '../domain/approval';

export type WaitingState =
  | { kind: 'waiting' }
  | { kind: 'ended'; status: string }
  | { kind: 'unknown'; reason: string };

export interface SourceProbe {
  stillWaiting(approval: Approval): Promise<WaitingState>;
  /**
   * Tells a source that watches for signs of life (a Step Functions Task with HeartbeatSeconds) that Greenlight still
   * holds the wait; `ended` when the source says nothing waits any more.
   */
  keepAlive?(approval: Approval): Promise<WaitingState>;
}

/** SendTaskHeartbeat's "this task is gone" errors (API_SendTaskHeartbeat.html): the same as the answer calls'. */
const TASK_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

async function probe(ask: () => Promise<WaitingState>, notFound: (error: unknown) => boolean): Promise<WaitingState> {
  try {
    return await ask();
  } catch (error) {
    if (notFound(error)) return { kind: 'ended', status: 'not found' };
    return { kind: 'unknown', reason: error instanceof Error ? error.name : 'unknown error' };
  }
}

export function createSourceProbes(clients: {
  sfn: SFNClient;
  imagebuilder: ImagebuilderClient;
  ssm: SSMClient;
}): Record<SourceKind, SourceProbe> {
  return {
    stepfunctions: {
      stillWaiting: (approval) =>
        probe(
          async () => {
            if (approval.sourceRef.kind !== 'stepfunctions')
              return { kind: 'unknown', reason: 'not a Step Functions approval' };
            const { status } = await clients.sfn.send(
              new DescribeExecutionCommand({ executionArn: approval.sourceRef.executionArn }),
            );
            // A running execution may wait on this task or have moved on; only its end is certain.
            return status === 'RUNNING' ? { kind: 'waiting' } : { kind: 'ended', status: status ?? 'unknown' };
          },
          (error) => error instanceof ExecutionDoesNotExist,
        ),
      keepAlive: (approval) =>
        probe(
          async () => {
            if (approval.sourceRef.kind !== 'stepfunctions')
              return { kind: 'unknown', reason: 'not a Step Functions approval' };
            await clients.sfn.send(new SendTaskHeartbeatCommand({ taskToken: approval.sourceRef.taskToken }));
            return { kind: 'waiting' };
          },
          (error) => error instanceof Error && TASK_GONE.has(error.name),
        ),
    },
    imagebuilder: {
      stillWaiting: (approval) =>
        probe(
          async () => {
            if (approval.sourceRef.kind !== 'imagebuilder')
              return { kind: 'unknown', reason: 'not an Image Builder approval' };
            const { status } = await clients.imagebuilder.send(
              new GetWorkflowStepExecutionCommand({ stepExecutionId: approval.sourceRef.workflowStepExecutionId }),
            );
            // The API lists PENDING | SKIPPED | RUNNING | COMPLETED | FAILED | CANCELLED; a waiting step is not finished.
            return status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED' || status === 'SKIPPED'
              ? { kind: 'ended', status }
              : { kind: 'waiting' };
          },
          (error) => error instanceof ResourceNotFoundException,
        ),
    },
    ssm: {
      stillWaiting: (approval) =>
        probe(
          async () => {
            if (approval.sourceRef.kind !== 'ssm') return { kind: 'unknown', reason: 'not an SSM approval' };
            const { stepName } = approval.sourceRef;
            const { AutomationExecution } = await clients.ssm.send(
              new GetAutomationExecutionCommand({ AutomationExecutionId: approval.sourceRef.automationExecutionId }),
            );
            const step = AutomationExecution?.StepExecutions?.find((candidate) => candidate.StepName === stepName);
            if (AutomationExecution?.AutomationExecutionStatus === 'Waiting' && step?.StepStatus === 'Waiting') {
              return { kind: 'waiting' };
            }
            return { kind: 'ended', status: AutomationExecution?.AutomationExecutionStatus ?? 'unknown' };
          },
          (error) => error instanceof AutomationExecutionNotFoundException,
        ),
    },
  };
}
