/** What a CodePipeline approval keeps to answer its Manual approval action, and the name and id shapes it accepts. */
import { ACCOUNT, PARTITION, REGION, UUID } from '../arns';

export type CodePipelineReference = {
  kind: 'codepipeline';
  pipelineName: string;
  stageName: string;
  actionName: string;
  /** The pipeline execution (`execution-id` of the events). */
  pipelineExecutionId: string;
  /** This run of the action: a retried stage runs it again under the same pipeline execution. */
  actionExecutionId: string;
  /** Secret: whoever holds it can answer the approval (PutApprovalResult `token`). */
  token: string;
  /** Where the token came from: GetPipelineState, or ListActionExecutions for a PARALLEL pipeline. */
  tokenFrom: 'pipeline-state' | 'action-executions';
};

/**
 * Pipeline, stage and action names: "Length Constraints: Minimum length of 1. Maximum length of 100. Pattern:
 * [A-Za-z0-9.@\-_]+" (API_PutApprovalResult.html). None can hold `/` or `:`, so they can be joined with `/`.
 */
export const CODEPIPELINE_NAME = /^[A-Za-z0-9.@\-_]{1,100}$/;
/** Pipeline execution ids, action execution ids and approval tokens are UUIDs (API_PutApprovalResult.html `token`). */
export const CODEPIPELINE_ID = new RegExp(`^${UUID}$`);
/** `arn:${Partition}:codepipeline:${Region}:${Account}:${PipelineName}` (Service Authorization Reference). */
export const PIPELINE_ARN = new RegExp(`^${PARTITION}:codepipeline:${REGION}:${ACCOUNT}:[A-Za-z0-9.@\\-_]{1,100}$`);

/**
 * The wait's workflow reference: `<pipeline ARN>/<stage>/<action>/<pipeline execution id>`. The STARTED event and
 * every later event of the same action (SUCCEEDED, FAILED, ABANDONED, CANCELED) carry these four, so both build it.
 */
export function codePipelineWorkflowRef(pipelineArn: string, stage: string, action: string, executionId: string) {
  return `${pipelineArn}/${stage}/${action}/${executionId}`;
}

/** The parts of a workflow reference; undefined when it is not one. */
export function parseCodePipelineWorkflowRef(
  workflowRef: string,
): { pipelineArn: string; pipelineName: string; stage: string; action: string; executionId: string } | undefined {
  const [pipelineArn = '', stage = '', action = '', executionId = '', ...rest] = workflowRef.split('/');
  if (rest.length > 0 || !PIPELINE_ARN.test(pipelineArn) || !CODEPIPELINE_ID.test(executionId)) return undefined;
  if (!CODEPIPELINE_NAME.test(stage) || !CODEPIPELINE_NAME.test(action)) return undefined;
  return { pipelineArn, pipelineName: pipelineArn.slice(pipelineArn.lastIndexOf(':') + 1), stage, action, executionId };
}
