/**
 * CodePipeline: the approval still waits while its action's latest execution is this run (the same action execution
 * id) and InProgress — GetPipelineState, or ListActionExecutions for a PARALLEL pipeline, whose state holds no
 * token. A new run (a retried stage), another status or a deleted pipeline means it ended.
 */
import {
  type CodePipelineClient,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  PipelineNotFoundException,
} from '@aws-sdk/client-codepipeline';
import type { SourceProbe, WaitingState } from '../../app/sourcePorts';
import { probeOutcome } from '../probeOutcome';
import type { CodePipelineReference } from './codePipelineReference';

function stateOf(actionExecutionId: string | undefined, status: string | undefined, ref: CodePipelineReference) {
  if (actionExecutionId !== ref.actionExecutionId) return { kind: 'ended', status: 'the action ran again' } as const;
  return status === 'InProgress'
    ? ({ kind: 'waiting' } as const)
    : ({ kind: 'ended', status: status ?? 'unknown' } as const);
}

export function codePipelineProbe(codepipeline: CodePipelineClient): SourceProbe {
  async function ask(ref: CodePipelineReference): Promise<WaitingState> {
    if (ref.tokenFrom === 'action-executions') {
      const { actionExecutionDetails } = await codepipeline.send(
        new ListActionExecutionsCommand({
          pipelineName: ref.pipelineName,
          filter: { pipelineExecutionId: ref.pipelineExecutionId },
          maxResults: 100,
        }),
      );
      const run = actionExecutionDetails?.find((execution) => execution.actionExecutionId === ref.actionExecutionId);
      // Not on the first page: unsure, so the sweep changes nothing.
      if (run === undefined) return { kind: 'unknown', reason: 'the action execution is not listed' };
      return stateOf(run.actionExecutionId, run.status, ref);
    }
    const { stageStates } = await codepipeline.send(new GetPipelineStateCommand({ name: ref.pipelineName }));
    const stage = stageStates?.find((candidate) => candidate.stageName === ref.stageName);
    const action = stage?.actionStates?.find((candidate) => candidate.actionName === ref.actionName);
    if (action === undefined) return { kind: 'ended', status: 'the pipeline has no such action any more' };
    return stateOf(action.latestExecution?.actionExecutionId, action.latestExecution?.status, ref);
  }
  return {
    stillWaiting: (approval) =>
      probeOutcome<CodePipelineReference>(
        approval,
        'codepipeline',
        ask,
        (error) => error instanceof PipelineNotFoundException,
      ),
  };
}
