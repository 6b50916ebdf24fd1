/**
 * Lambda durable functions: GetDurableExecution tells whether the execution still runs (status RUNNING; a running
 * execution may wait on this callback or have moved on, only its end is certain: SUCCEEDED | FAILED | TIMED_OUT |
 * STOPPED, API_GetDurableExecution.html); SendDurableExecutionCallbackHeartbeat keeps a callback with a
 * heartbeatTimeout alive (API_SendDurableExecutionCallbackHeartbeat.html).
 */
import {
  GetDurableExecutionCommand,
  type LambdaClient,
  ResourceNotFoundException,
  SendDurableExecutionCallbackHeartbeatCommand,
} from '@aws-sdk/client-lambda';
import type { SourceProbe } from '../../app/sourcePorts';
import { probeOutcome } from '../probeOutcome';
import type { DurableFunctionReference } from './durableFunctionReference';

/** The heartbeat's "this callback is gone" errors: the same as the answer calls'. */
const CALLBACK_GONE = new Set(['CallbackTimeoutException', 'ResourceNotFoundException']);

export function durableFunctionProbe(lambda: LambdaClient): SourceProbe {
  return {
    stillWaiting: (approval) =>
      probeOutcome<DurableFunctionReference>(
        approval,
        'lambda',
        async (ref) => {
          const { Status } = await lambda.send(
            new GetDurableExecutionCommand({ DurableExecutionArn: ref.durableExecutionArn }),
          );
          return Status === 'RUNNING' ? { kind: 'waiting' } : { kind: 'ended', status: Status ?? 'unknown' };
        },
        (error) => error instanceof ResourceNotFoundException,
      ),
    keepAlive: (approval) =>
      probeOutcome<DurableFunctionReference>(
        approval,
        'lambda',
        async (ref) => {
          await lambda.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: ref.callbackId }));
          return { kind: 'waiting' };
        },
        (error) => error instanceof Error && CALLBACK_GONE.has(error.name),
      ),
  };
}
