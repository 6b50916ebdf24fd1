/**
 * CodePipeline: a Manual approval action makes the pipeline execution wait; CodePipeline emits `CodePipeline Action
 * Execution State Change` (source aws.codepipeline) with state STARTED and type category Approval, provider Manual
 * (detect-state-changes-cloudwatch-events.html). The event carries neither the token PutApprovalResult needs nor the
 * action's settings, so we read them: GetPipeline for the action's CustomData, ExternalEntityLink, timeoutInMinutes
 * and the pipeline's executionMode; GetPipelineState (or, for a PARALLEL pipeline, ListActionExecutions) for the
 * token of the action run that waits. See events/README.md and docs/sources/codepipeline.md.
 */
import {
  type ActionDeclaration,
  type CodePipelineClient,
  GetPipelineCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  type PipelineDeclaration,
  PipelineNotFoundException,
} from '@aws-sdk/client-codepipeline';
import type { CaptureResult, WaitingSource } from '../../app/sourcePorts';
import type { ContextLink } from '../../domain/approval';
import * as z from '../../domain/zodMini';
import { eventBridgeEnvelope } from '../eventBridgeEnvelope';
import { isEventBridgeEvent, parseEvent } from '../parseEvent';
import {
  CODEPIPELINE_ID,
  CODEPIPELINE_NAME,
  type CodePipelineReference,
  codePipelineWorkflowRef,
  PIPELINE_ARN,
} from './codePipelineReference';

export const CODEPIPELINE_EVENT_SOURCE = 'aws.codepipeline';
export const ACTION_EXECUTION_STATE_CHANGE = 'CodePipeline Action Execution State Change';
/** A Manual approval's `actionTypeId` (approvals-action-add.html, reference-pipeline-structure.html). */
const APPROVAL_CATEGORY = 'Approval';
const MANUAL_PROVIDER = 'Manual';
/** ActionDeclaration.timeoutInMinutes: 5 to 86 400 minutes (API_ActionDeclaration.html). */
const MIN_TIMEOUT_MINUTES = 5;
const MAX_TIMEOUT_MINUTES = 86_400;
/** ListActionExecutions pages read at most (100 action executions each, the API's maximum). */
const MAX_LIST_PAGES = 10;

const nameSchema = (what: string) =>
  z
    .string({ error: 'is required' })
    .check(z.regex(CODEPIPELINE_NAME, `must be a ${what} name (1–100 of A-Za-z0-9.@-_)`));

/** An Action Execution State Change, its `detail.state` checked by `state` (any string for capture). */
export function actionStateChangeSchema<State extends z.ZodMiniType<string>>(state: State) {
  return z
    .object({
      ...eventBridgeEnvelope,
      detail: z.object({
        pipeline: nameSchema('pipeline'),
        'execution-id': z
          .string({ error: 'is required' })
          .check(z.regex(CODEPIPELINE_ID, 'must be a pipeline execution id')),
        stage: nameSchema('stage'),
        action: nameSchema('action'),
        state,
        // `version` is a number in the documented STARTED sample and a string in the others.
        type: z.object({
          category: z.string({ error: 'is required' }),
          provider: z.string({ error: 'is required' }),
          version: z.optional(z.union([z.string(), z.number()])),
        }),
      }),
    })
    .check(
      z.refine((event) => pipelineArnOf(event) !== undefined, {
        path: ['resources'],
        message: 'must contain the ARN of the pipeline named in detail.pipeline',
      }),
    );
}

/** The pipeline ARN CodePipeline puts in `resources` ("the pipeline ARN only", even for action events). */
export function pipelineArnOf(event: { resources: string[]; detail: { pipeline: string } }): string | undefined {
  return event.resources.find((arn) => PIPELINE_ARN.test(arn) && arn.endsWith(`:${event.detail.pipeline}`));
}

const eventSchema = actionStateChangeSchema(z.string({ error: 'is required' }));

interface WaitingRun {
  actionExecutionId: string;
  token: string;
  tokenFrom: CodePipelineReference['tokenFrom'];
}

/** The action's `ExternalEntityLink`, when it is an http(s) URL (anything else is not offered as a link). */
function externalLink(value: string | undefined): ContextLink[] {
  if (value === undefined) return [];
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? [{ label: 'URL for review', url: url.href }] : [];
  } catch {
    return [];
  }
}

/** `timeoutInMinutes` in seconds when it is within the API's range; otherwise the default (7 days) applies. */
function timeoutSeconds(action: ActionDeclaration): number | undefined {
  const minutes = action.timeoutInMinutes;
  if (typeof minutes !== 'number' || !Number.isInteger(minutes)) return undefined;
  if (minutes < MIN_TIMEOUT_MINUTES || minutes > MAX_TIMEOUT_MINUTES) return undefined;
  return minutes * 60;
}

function isManualApproval(action: { category?: string; provider?: string } | undefined): boolean {
  return action?.category === APPROVAL_CATEGORY && action.provider === MANUAL_PROVIDER;
}

export function codePipelineCapture(codepipeline: CodePipelineClient, defaultTimeoutSeconds: number): WaitingSource {
  async function capture(event: unknown): Promise<CaptureResult> {
    const envelope = parseEvent(eventSchema, event, 'codepipeline', 'Action Execution State Change event');
    const { detail } = envelope;
    if (!isManualApproval(detail.type)) {
      return {
        kind: 'not-waiting',
        reason: `the action is ${detail.type.category}/${detail.type.provider}, not an approval`,
      };
    }
    if (detail.state !== 'STARTED') return { kind: 'not-waiting', reason: `the approval action is ${detail.state}` };
    const pipelineName = detail.pipeline;
    const executionId = detail['execution-id'];

    const pipeline = await readPipeline(pipelineName);
    if (pipeline === undefined) return { kind: 'not-waiting', reason: 'the pipeline does not exist' };
    const declaration = pipeline.stages
      ?.find((stage) => stage.name === detail.stage)
      ?.actions?.find((action) => action.name === detail.action);
    if (declaration === undefined || !isManualApproval(declaration.actionTypeId)) {
      return { kind: 'not-waiting', reason: 'the pipeline has no such Manual approval action any more' };
    }
    const run =
      pipeline.executionMode === 'PARALLEL'
        ? await runFromActionExecutions(pipelineName, executionId, detail.stage, detail.action)
        : await runFromPipelineState(pipelineName, executionId, detail.stage, detail.action);
    if (run === undefined) {
      return { kind: 'not-waiting', reason: `the pipeline execution ${executionId} no longer waits at this approval` };
    }

    const workflowRef = codePipelineWorkflowRef(
      pipelineArnOf(envelope) as string,
      detail.stage,
      detail.action,
      executionId,
    );
    const customData = declaration.configuration?.CustomData?.trim();
    const timeout = timeoutSeconds(declaration);
    return {
      kind: 'waiting',
      item: {
        source: 'codepipeline',
        // A retried stage (RetryStageExecution) runs the action again under the same execution id: each run of the
        // action is its own wait, told apart by its action execution id.
        naturalKey: `${workflowRef}/${run.actionExecutionId}`,
        sourceRef: {
          kind: 'codepipeline',
          pipelineName,
          stageName: detail.stage,
          actionName: detail.action,
          pipelineExecutionId: executionId,
          actionExecutionId: run.actionExecutionId,
          token: run.token,
          tokenFrom: run.tokenFrom,
        } satisfies CodePipelineReference,
        workflowRef,
        title: `Pipeline ${pipelineName}: ${detail.action} awaits approval`,
        ...(customData ? { description: customData } : {}),
        context: {
          links: externalLink(declaration.configuration?.ExternalEntityLink),
          fields: { pipeline: pipelineName, stage: detail.stage, action: detail.action, execution: executionId },
        },
        ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
      },
    };
  }

  async function readPipeline(name: string): Promise<PipelineDeclaration | undefined> {
    try {
      // The current definition: updating a pipeline's structure cancels its running actions (CANCELED), so a
      // waiting approval runs the current one.
      return (await codepipeline.send(new GetPipelineCommand({ name }))).pipeline;
    } catch (error) {
      if (error instanceof PipelineNotFoundException) return undefined;
      throw error;
    }
  }

  /**
   * GetPipelineState: the stage's latest execution must be this pipeline execution and in progress, and its action's
   * latest execution in progress with a token. The action state names no pipeline execution, so the stage's does;
   * inbound executions wait before the stage and never hold its token.
   */
  async function runFromPipelineState(
    name: string,
    executionId: string,
    stageName: string,
    actionName: string,
  ): Promise<WaitingRun | undefined> {
    let stages: Awaited<ReturnType<typeof readState>>;
    try {
      stages = await readState(name);
    } catch (error) {
      if (error instanceof PipelineNotFoundException) return undefined;
      throw error;
    }
    const stage = stages?.find((candidate) => candidate.stageName === stageName);
    if (stage?.latestExecution?.pipelineExecutionId !== executionId || stage.latestExecution.status !== 'InProgress') {
      return undefined;
    }
    const latest = stage.actionStates?.find((action) => action.actionName === actionName)?.latestExecution;
    if (latest?.status !== 'InProgress' || !latest.token || !latest.actionExecutionId) return undefined;
    return { actionExecutionId: latest.actionExecutionId, token: latest.token, tokenFrom: 'pipeline-state' };
  }

  async function readState(name: string) {
    return (await codepipeline.send(new GetPipelineStateCommand({ name }))).stageStates;
  }

  /**
   * PARALLEL pipelines: "the token … is not available. Instead, use the externalExecutionId in the response output
   * from the ListActionExecutions action as the token" (API_PutApprovalResult.html).
   */
  async function runFromActionExecutions(
    name: string,
    executionId: string,
    stageName: string,
    actionName: string,
  ): Promise<WaitingRun | undefined> {
    let nextToken: string | undefined;
    try {
      for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
        const output = await codepipeline.send(
          new ListActionExecutionsCommand({
            pipelineName: name,
            filter: { pipelineExecutionId: executionId },
            maxResults: 100,
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        const running = output.actionExecutionDetails?.find(
          (execution) =>
            execution.stageName === stageName &&
            execution.actionName === actionName &&
            execution.status === 'InProgress',
        );
        const token = running?.output?.executionResult?.externalExecutionId;
        if (running?.actionExecutionId && token) {
          return { actionExecutionId: running.actionExecutionId, token, tokenFrom: 'action-executions' };
        }
        nextToken = output.nextToken;
        if (!nextToken) return undefined;
      }
    } catch (error) {
      if (error instanceof PipelineNotFoundException) return undefined;
      throw error;
    }
    return undefined;
  }

  return {
    kind: 'codepipeline',
    defaultTimeoutSeconds,
    recognises: (event) => isEventBridgeEvent(event, [ACTION_EXECUTION_STATE_CHANGE], CODEPIPELINE_EVENT_SOURCE),
    capture,
  };
}
