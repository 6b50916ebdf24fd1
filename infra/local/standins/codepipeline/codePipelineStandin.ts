/**
 * CodePipeline stand-in (awsJson1_1, `X-Amz-Target: CodePipeline_20150709.<Operation>`): pipelines whose execution
 * waits in a Manual approval action.
 *
 * Documented behaviour implemented (AWS CodePipeline API Reference, codepipeline-2015-07-09):
 * - PutApprovalResult (API_PutApprovalResult.html, API_ApprovalResult.html): pipelineName, stageName and actionName
 *   1–100 characters of `[A-Za-z0-9.@\-_]+`, token a UUID, result.status Approved | Rejected, result.summary at most
 *   512 characters (else ValidationException); unknown pipeline → PipelineNotFoundException, stage →
 *   StageNotFoundException, action → ActionNotFoundException; a token that is not the open approval's ("already
 *   received a response or has expired") → InvalidApprovalTokenException; the open approval's run already "approved
 *   or rejected" → ApprovalAlreadyCompletedException. Answers `{approvedAt}`. Approved → the action Succeeded,
 *   Rejected → Failed.
 * - Timeout (approvals.html, limits.html): without a response within timeoutInMinutes (default 7 days) the action "is
 *   marked as 'Failed'".
 * - GetPipelineState (API_GetPipelineState.html, API_ActionExecution.html): per stage its latestExecution
 *   {pipelineExecutionId, status}; per action its latestExecution {actionExecutionId, status, lastStatusChange, token,
 *   summary, lastUpdatedBy}. The token is there for an open approval only, and not at all for a PARALLEL pipeline
 *   ("the token … is not available", API_PutApprovalResult.html).
 * - GetPipeline (API_GetPipeline.html, API_ActionDeclaration.html): the declaration with the Manual approval's
 *   actionTypeId {Approval, AWS, Manual, 1}, configuration CustomData / ExternalEntityLink / NotificationArn,
 *   timeoutInMinutes, executionMode; metadata.pipelineArn. Unknown → PipelineNotFoundException.
 * - ListActionExecutions (API_ListActionExecutions.html): the action executions of a pipeline, filtered by
 *   pipelineExecutionId, maxResults 1–100; for a PARALLEL pipeline the approval's output.executionResult
 *   .externalExecutionId is the token PutApprovalResult takes. Simplification: one page, no nextToken.
 * Timestamps are epoch seconds on the wire (awsJson1_1).
 */
import { clientError } from '../awsError';
import { ACCOUNT_ID, newUuid, REGION } from '../awsIds';
import { epochSeconds, type Input, stringField } from '../inputFields';
import { type StandinService, StatefulStandin } from '../standinService';

export type ApprovalRunStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Abandoned';
export type ExecutionMode = 'SUPERSEDED' | 'QUEUED' | 'PARALLEL';

/** One run of the approval action (a retried stage runs it again under the same pipeline execution). */
export interface ApprovalRunRecord {
  pipelineExecutionId: string;
  actionExecutionId: string;
  token: string;
  status: ApprovalRunStatus;
  startedAt: string;
  changedAt: string;
  summary?: string;
  lastUpdatedBy?: string;
  /** Failed by its timeout: its token then "has expired". */
  timedOut?: boolean;
}

export interface PipelineRecord {
  name: string;
  version: number;
  executionMode: ExecutionMode;
  created: string;
  stageName: string;
  actionName: string;
  customData?: string;
  externalEntityLink?: string;
  notificationArn?: string;
  timeoutInMinutes?: number;
  /** Oldest first: the last one is the action's latest execution. */
  runs: ApprovalRunRecord[];
}

export interface CodePipelineState {
  pipelines: Record<string, PipelineRecord>;
}

export interface WaitingApproval {
  pipelineName: string;
  pipelineArn: string;
  stageName: string;
  actionName: string;
  pipelineExecutionId: string;
  actionExecutionId: string;
  token: string;
  pipelineVersion: number;
}

const NAME = /^[A-Za-z0-9.@\-_]{1,100}$/;
const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_SUMMARY_CHARS = 512;
const DEFAULT_TIMEOUT_MINUTES = 10_080;

export function emptyCodePipelineState(): CodePipelineState {
  return { pipelines: {} };
}

export function pipelineArn(name: string): string {
  return `arn:aws:codepipeline:${REGION}:${ACCOUNT_ID}:${name}`;
}

export class CodePipelineStandin extends StatefulStandin<CodePipelineState> implements StandinService {
  readonly service = 'codepipeline';
  readonly wire = { protocol: 'awsJson1_1', targetPrefix: 'CodePipeline_20150709' } as const;
  readonly operations = ['PutApprovalResult', 'GetPipelineState', 'GetPipeline', 'ListActionExecutions'] as const;

  /**
   * Makes a pipeline execution wait in the Manual approval action: the pipeline is created when new (else its
   * settings stay), and a new execution reaches the approval (a new run with a new token).
   */
  startWaitingApproval(options: {
    pipelineName: string;
    stageName?: string;
    actionName?: string;
    customData?: string;
    externalEntityLink?: string;
    notificationArn?: string;
    timeoutInMinutes?: number;
    executionMode?: ExecutionMode;
    version?: number;
    /** Fixed ids, e.g. those of the sample events; new ones otherwise. */
    pipelineExecutionId?: string;
    actionExecutionId?: string;
    token?: string;
  }): WaitingApproval {
    const at = this.now().toISOString();
    const pipeline = this.state.pipelines[options.pipelineName] ?? {
      name: options.pipelineName,
      version: options.version ?? 1,
      executionMode: options.executionMode ?? 'SUPERSEDED',
      created: at,
      stageName: options.stageName ?? 'Approve',
      actionName: options.actionName ?? 'ManualApproval',
      customData: options.customData,
      externalEntityLink: options.externalEntityLink,
      notificationArn: options.notificationArn,
      timeoutInMinutes: options.timeoutInMinutes,
      runs: [],
    };
    this.state.pipelines[pipeline.name] = pipeline;
    for (const run of pipeline.runs) if (run.status === 'InProgress') this.endRun(run, 'Abandoned', at);
    const run: ApprovalRunRecord = {
      pipelineExecutionId: options.pipelineExecutionId ?? newUuid(),
      actionExecutionId: options.actionExecutionId ?? newUuid(),
      token: options.token ?? newUuid(),
      status: 'InProgress',
      startedAt: at,
      changedAt: at,
    };
    pipeline.runs.push(run);
    this.changed();
    return {
      pipelineName: pipeline.name,
      pipelineArn: pipelineArn(pipeline.name),
      stageName: pipeline.stageName,
      actionName: pipeline.actionName,
      pipelineExecutionId: run.pipelineExecutionId,
      actionExecutionId: run.actionExecutionId,
      token: run.token,
      pipelineVersion: pipeline.version,
    };
  }

  /** The pipeline as the stand-in holds it (undefined when unknown). */
  get(pipelineName: string): PipelineRecord | undefined {
    const pipeline = this.state.pipelines[pipelineName];
    if (pipeline) this.expireIfDue(pipeline);
    return pipeline ? structuredClone(pipeline) : undefined;
  }

  handle(operation: string, input: Input, caller = 'unknown'): unknown {
    switch (operation) {
      case 'PutApprovalResult':
        return this.putApprovalResult(input, caller);
      case 'GetPipelineState':
        return this.pipelineState(this.existingPipeline(input, 'name'));
      case 'GetPipeline':
        return this.declaration(this.existingPipeline(input, 'name'));
      case 'ListActionExecutions':
        return this.listActionExecutions(input);
      default:
        throw clientError('UnknownOperationException', `Unknown operation ${operation}`);
    }
  }

  private putApprovalResult(input: Input, caller: string): unknown {
    const stageName = nameField(input, 'stageName');
    const actionName = nameField(input, 'actionName');
    const token = stringField(input, 'token', { required: true, errorName: 'ValidationException' });
    if (!TOKEN.test(token)) throw validation('token');
    const result = input.result as { status?: unknown; summary?: unknown } | undefined;
    if (typeof result !== 'object' || result === null) throw validation('result');
    if (result.status !== 'Approved' && result.status !== 'Rejected') throw validation('result.status');
    if (typeof result.summary !== 'string' || result.summary.length > MAX_SUMMARY_CHARS)
      throw validation('result.summary');
    const pipeline = this.existingPipeline(input, 'pipelineName');
    if (stageName !== pipeline.stageName) throw clientError('StageNotFoundException', `Stage ${stageName} not found.`);
    if (actionName !== pipeline.actionName) {
      throw clientError('ActionNotFoundException', `Action ${actionName} not found in stage ${stageName}.`);
    }
    const latest = pipeline.runs.at(-1);
    if (latest === undefined || latest.token !== token || latest.status === 'Abandoned' || latest.timedOut) {
      throw clientError(
        'InvalidApprovalTokenException',
        'The approval request already received a response or has expired.',
      );
    }
    if (latest.status !== 'InProgress') {
      throw clientError(
        'ApprovalAlreadyCompletedException',
        'The approval action has already been approved or rejected.',
      );
    }
    const at = this.now().toISOString();
    this.endRun(latest, result.status === 'Approved' ? 'Succeeded' : 'Failed', at, result.summary, caller);
    this.changed();
    return { approvedAt: epochSeconds(at) };
  }

  private existingPipeline(input: Input, member: 'name' | 'pipelineName'): PipelineRecord {
    const name = nameField(input, member);
    const pipeline = this.state.pipelines[name];
    if (!pipeline) throw clientError('PipelineNotFoundException', `Pipeline ${name} not found.`);
    this.expireIfDue(pipeline);
    return pipeline;
  }

  private expireIfDue(pipeline: PipelineRecord): void {
    const latest = pipeline.runs.at(-1);
    if (latest?.status !== 'InProgress') return;
    const deadline = Date.parse(latest.startedAt) + (pipeline.timeoutInMinutes ?? DEFAULT_TIMEOUT_MINUTES) * 60_000;
    if (this.now().getTime() < deadline) return;
    this.endRun(latest, 'Failed', new Date(deadline).toISOString(), 'Approval timed out.');
    latest.timedOut = true;
    this.changed();
  }

  private endRun(run: ApprovalRunRecord, status: ApprovalRunStatus, at: string, summary?: string, by?: string): void {
    run.status = status;
    run.changedAt = at;
    if (summary !== undefined) run.summary = summary;
    if (by !== undefined) run.lastUpdatedBy = by;
  }

  private pipelineState(pipeline: PipelineRecord): unknown {
    const latest = pipeline.runs.at(-1);
    const parallel = pipeline.executionMode === 'PARALLEL';
    return {
      pipelineName: pipeline.name,
      pipelineVersion: pipeline.version,
      stageStates: [
        { stageName: 'Source', inboundTransitionState: { enabled: true }, actionStates: [{ actionName: 'Source' }] },
        {
          stageName: pipeline.stageName,
          inboundTransitionState: { enabled: true },
          actionStates: [
            {
              actionName: pipeline.actionName,
              ...(latest
                ? {
                    latestExecution: {
                      actionExecutionId: latest.actionExecutionId,
                      status: latest.status,
                      lastStatusChange: epochSeconds(latest.changedAt),
                      ...(latest.status === 'InProgress' && !parallel ? { token: latest.token } : {}),
                      ...(latest.summary === undefined ? {} : { summary: latest.summary }),
                      ...(latest.lastUpdatedBy === undefined ? {} : { lastUpdatedBy: latest.lastUpdatedBy }),
                    },
                  }
                : {}),
            },
          ],
          ...(latest
            ? {
                latestExecution: {
                  pipelineExecutionId: latest.pipelineExecutionId,
                  status:
                    latest.status === 'Succeeded'
                      ? 'Succeeded'
                      : latest.status === 'InProgress'
                        ? 'InProgress'
                        : 'Failed',
                },
              }
            : {}),
        },
      ],
      created: epochSeconds(pipeline.created),
      updated: epochSeconds(pipeline.created),
    };
  }

  private declaration(pipeline: PipelineRecord): unknown {
    const configuration = {
      ...(pipeline.notificationArn ? { NotificationArn: pipeline.notificationArn } : {}),
      ...(pipeline.externalEntityLink ? { ExternalEntityLink: pipeline.externalEntityLink } : {}),
      ...(pipeline.customData ? { CustomData: pipeline.customData } : {}),
    };
    return {
      pipeline: {
        name: pipeline.name,
        roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/service-role/AWSCodePipelineServiceRole-${REGION}-${pipeline.name}`,
        artifactStore: { type: 'S3', location: `codepipeline-${REGION}-${ACCOUNT_ID}` },
        stages: [
          {
            name: 'Source',
            actions: [
              {
                name: 'Source',
                actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
                runOrder: 1,
                configuration: { S3Bucket: `releases-${ACCOUNT_ID}`, S3ObjectKey: `${pipeline.name}.zip` },
                outputArtifacts: [{ name: 'SourceArtifact' }],
                inputArtifacts: [],
              },
            ],
          },
          {
            name: pipeline.stageName,
            actions: [
              {
                name: pipeline.actionName,
                actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
                runOrder: 1,
                configuration,
                outputArtifacts: [],
                inputArtifacts: [],
                ...(pipeline.timeoutInMinutes === undefined ? {} : { timeoutInMinutes: pipeline.timeoutInMinutes }),
              },
            ],
          },
        ],
        version: pipeline.version,
        executionMode: pipeline.executionMode,
        pipelineType: 'V2',
      },
      metadata: {
        pipelineArn: pipelineArn(pipeline.name),
        created: epochSeconds(pipeline.created),
        updated: epochSeconds(pipeline.created),
      },
    };
  }

  private listActionExecutions(input: Input): unknown {
    const pipeline = this.existingPipeline(input, 'pipelineName');
    const maxResults = input.maxResults;
    if (maxResults !== undefined && (typeof maxResults !== 'number' || maxResults < 1 || maxResults > 100)) {
      throw validation('maxResults');
    }
    const filter = (input.filter ?? {}) as { pipelineExecutionId?: unknown };
    const parallel = pipeline.executionMode === 'PARALLEL';
    const runs = pipeline.runs.filter(
      (run) => filter.pipelineExecutionId === undefined || run.pipelineExecutionId === filter.pipelineExecutionId,
    );
    return {
      actionExecutionDetails: runs
        .slice()
        .reverse()
        .map((run) => ({
          pipelineExecutionId: run.pipelineExecutionId,
          actionExecutionId: run.actionExecutionId,
          pipelineVersion: pipeline.version,
          stageName: pipeline.stageName,
          actionName: pipeline.actionName,
          startTime: epochSeconds(run.startedAt),
          lastUpdateTime: epochSeconds(run.changedAt),
          status: run.status,
          input: {
            actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
            configuration: pipeline.customData ? { CustomData: pipeline.customData } : {},
          },
          output: {
            executionResult: {
              ...(parallel ? { externalExecutionId: run.token } : {}),
              ...(run.summary === undefined ? {} : { externalExecutionSummary: run.summary }),
            },
          },
        })),
    };
  }
}

function nameField(input: Input, member: string): string {
  const value = stringField(input, member, { required: true, min: 1, max: 100, errorName: 'ValidationException' });
  if (!NAME.test(value)) throw validation(member);
  return value;
}

function validation(member: string) {
  return clientError(
    'ValidationException',
    `1 validation error detected: Value at '${member}' failed to satisfy constraint`,
  );
}
