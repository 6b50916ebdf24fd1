/**
 * Step Functions: DescribeExecution tells whether the execution still runs (a running execution may wait on this task
 * or have moved on; only its end is certain); SendTaskHeartbeat keeps a Task with HeartbeatSeconds alive.
 */
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  SendTaskHeartbeatCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { SourceProbe } from '../../app/sourcePorts';
import { probeOutcome } from '../probeOutcome';
import type { StepFunctionsReference } from './stepFunctionsReference';

/** SendTaskHeartbeat's "this task is gone" errors (API_SendTaskHeartbeat.html): the same as the answer calls'. */
const TASK_GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export function stepFunctionsProbe(sfn: SFNClient): SourceProbe {
  return {
    stillWaiting: (approval) =>
      probeOutcome<StepFunctionsReference>(
        approval,
        'stepfunctions',
        async (ref) => {
          const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn: ref.executionArn }));
          return status === 'RUNNING' ? { kind: 'waiting' } : { kind: 'ended', status: status ?? 'unknown' };
        },
        (error) => error instanceof ExecutionDoesNotExist,
      ),
    keepAlive: (approval) =>
      probeOutcome<StepFunctionsReference>(
        approval,
        'stepfunctions',
        async (ref) => {
          await sfn.send(new SendTaskHeartbeatCommand({ taskToken: ref.taskToken }));
          return { kind: 'waiting' };
        },
        (error) => error instanceof Error && TASK_GONE.has(error.name),
      ),
  };
}
