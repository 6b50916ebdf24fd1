import {
  CodePipelineClient,
  CodePipelineServiceException,
  GetPipelineCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  PipelineNotFoundException,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../../shared/app/errors';
import { type Approval, openApproval } from '../../../shared/domain/approval';
import type { CodePipelineReference } from '../../../shared/sources/codepipeline/codePipelineReference';
import { codePipelineSource } from '../../../shared/sources/codepipeline/codePipelineSource';
import { consoleLinksFor } from '../../../shared/sources/sourcePresentations';
import { isWorkflowEndedEvent, workflowEndedFrom } from '../../../shared/sources/sources';
import { sampleEvent } from '../../support/fixtures';

const codepipeline = new CodePipelineClient({ region: 'us-east-1' });
const codePipelineMock = mockClient(codepipeline);
const source = codePipelineSource.waitingSource(codepipeline, {});
const probe = codePipelineSource.probe(codepipeline);

const PIPELINE_ARN = 'arn:aws:codepipeline:us-east-1:111122223333:checkout-deploy';
const EXECUTION_ID = '6f1d2c3b-4a59-4e8d-9c7b-a6f5e4d3c2b1';
const ACTION_EXECUTION_ID = '0c9b8a76-5e4d-4c3b-a2f1-e0d9c8b7a6f5';
const TOKEN = '3e7c1a9b-2d4f-4a6e-8b1c-5d7f9e0a2b4c';
const WORKFLOW_REF = `${PIPELINE_ARN}/Approve/ProductionApproval/${EXECUTION_ID}`;

const pipelineState = () => sampleEvent('codepipeline/get-pipeline-state.response');
const pipeline = () => sampleEvent('codepipeline/get-pipeline.response');
/** The Approve stage of a GetPipelineState response, and the approval action's declaration of a GetPipeline one. */
const approveStage = (state: ReturnType<typeof pipelineState>) => state.stageStates[1];
const approvalAction = (definition: ReturnType<typeof pipeline>) => definition.pipeline.stages[1].actions[0];

beforeEach(() => {
  codePipelineMock.reset();
  codePipelineMock.on(GetPipelineCommand, { name: 'checkout-deploy' }).resolves(pipeline());
  codePipelineMock.on(GetPipelineStateCommand, { name: 'checkout-deploy' }).resolves(pipelineState());
});

describe('CodePipeline source: capture', () => {
  it('captures the waiting Manual approval with its token, settings and context from GetPipeline / GetPipelineState', async () => {
    // Act
    const result = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    // Assess
    expect(result).toEqual({
      kind: 'waiting',
      item: {
        source: 'codepipeline',
        naturalKey: `${WORKFLOW_REF}/${ACTION_EXECUTION_ID}`,
        sourceRef: {
          kind: 'codepipeline',
          pipelineName: 'checkout-deploy',
          stageName: 'Approve',
          actionName: 'ProductionApproval',
          pipelineExecutionId: EXECUTION_ID,
          actionExecutionId: ACTION_EXECUTION_ID,
          token: TOKEN,
          tokenFrom: 'pipeline-state',
        },
        workflowRef: WORKFLOW_REF,
        title: 'Pipeline checkout-deploy: ProductionApproval awaits approval',
        description: 'Approve deploying checkout-service 2.4.1 to production',
        context: {
          links: [{ label: 'URL for review', url: 'https://staging.checkout.example.com/release-notes/2.4.1' }],
          fields: {
            pipeline: 'checkout-deploy',
            stage: 'Approve',
            action: 'ProductionApproval',
            execution: EXECUTION_ID,
          },
        },
        timeoutSeconds: 2880 * 60,
      },
    });
    expect(codePipelineMock.commandCalls(ListActionExecutionsCommand)).toHaveLength(0);
  });

  it('accepts type.version as a number (the documented STARTED sample) as well as a string', async () => {
    // Prepare
    const event = sampleEvent('codepipeline/action-execution-started');
    event.detail.type.version = 1;
    // Act
    const result = await source.capture(event);
    // Assess
    expect(result.kind).toBe('waiting');
  });

  it.each([
    ['category', 'Deploy'],
    ['provider', 'CodeDeploy'],
  ])('an action whose %s is not the Manual approval one is not a wait, and nothing is read', async (field, value) => {
    // Prepare
    const event = sampleEvent('codepipeline/action-execution-started');
    event.detail.type[field] = value;
    // Act
    const result = await source.capture(event);
    // Assess
    expect(result).toEqual({ kind: 'not-waiting', reason: expect.stringMatching(/not an approval/) });
    expect(codePipelineMock.calls()).toHaveLength(0);
  });

  it.each(['SUCCEEDED', 'FAILED', 'ABANDONED', 'CANCELED'])(
    'a %s approval action is not a wait, and nothing is read',
    async (state) => {
      // Prepare
      const event = sampleEvent('codepipeline/action-execution-started');
      event.detail.state = state;
      // Act
      const result = await source.capture(event);
      // Assess
      expect(result).toEqual({ kind: 'not-waiting', reason: `the approval action is ${state}` });
      expect(codePipelineMock.calls()).toHaveLength(0);
    },
  );

  it('takes the token only from the stage whose latest execution is the event’s execution', async () => {
    // Prepare: the Approve stage now runs another execution (ours moved on or was superseded)
    const state = pipelineState();
    approveStage(state).latestExecution.pipelineExecutionId = '4a2c0e8d-6b4f-4d2a-9e0c-8b6a4f2d0c9e';
    codePipelineMock.on(GetPipelineStateCommand).resolves(state);
    // Act
    const result = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    // Assess
    expect(result).toEqual({
      kind: 'not-waiting',
      reason: `the pipeline execution ${EXECUTION_ID} no longer waits at this approval`,
    });
  });

  it('never takes a token for an inbound execution (one that waits before the stage)', async () => {
    // Prepare: our execution waits at the inbound transition; another one holds the stage and its token
    const state = pipelineState();
    const stage = approveStage(state);
    stage.latestExecution.pipelineExecutionId = '4a2c0e8d-6b4f-4d2a-9e0c-8b6a4f2d0c9e';
    stage.inboundExecutions = [{ pipelineExecutionId: EXECUTION_ID, status: 'InProgress' }];
    stage.inboundExecution = { pipelineExecutionId: EXECUTION_ID, status: 'InProgress' };
    codePipelineMock.on(GetPipelineStateCommand).resolves(state);
    // Act
    const result = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    // Assess
    expect(result.kind).toBe('not-waiting');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it.each([
    [
      'the action already succeeded',
      (latest: Record<string, unknown>) => Object.assign(latest, { status: 'Succeeded' }),
    ],
    ['the action has no token', (latest: Record<string, unknown>) => delete latest.token],
  ])('is not a wait when %s', async (_, change) => {
    // Prepare
    const state = pipelineState();
    change(approveStage(state).actionStates[0].latestExecution);
    codePipelineMock.on(GetPipelineStateCommand).resolves(state);
    // Act
    const result = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    // Assess
    expect(result.kind).toBe('not-waiting');
  });

  it('gives each run of the action its own natural key (a retried stage re-opens the same execution id)', async () => {
    // Prepare
    const first = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    const retried = pipelineState();
    approveStage(retried).actionStates[0].latestExecution.actionExecutionId = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
    approveStage(retried).actionStates[0].latestExecution.token = '7b6a5f4e-3d2c-4b1a-9f8e-7d6c5b4a3f2e';
    codePipelineMock.on(GetPipelineStateCommand).resolves(retried);
    // Act
    const second = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    // Assess
    expect(first.kind === 'waiting' && second.kind === 'waiting').toBe(true);
    if (first.kind !== 'waiting' || second.kind !== 'waiting') return;
    expect(second.item.workflowRef).toBe(first.item.workflowRef);
    expect(second.item.naturalKey).not.toBe(first.item.naturalKey);
  });

  it('leaves out a description and a link the action does not configure, and a link that is not http(s)', async () => {
    // Prepare
    const definition = pipeline();
    delete approvalAction(definition).configuration.CustomData;
    approvalAction(definition).configuration.ExternalEntityLink = 'javascript:alert(1)';
    codePipelineMock.on(GetPipelineCommand).resolves(definition);
    // Act
    const result = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    // Assess
    expect(result.kind === 'waiting' && 'description' in result.item).toBe(false);
    expect(result.kind === 'waiting' && result.item.context?.links).toEqual([]);
  });

  it.each([
    ['absent', undefined, undefined],
    ['below the API minimum of 5', 4, undefined],
    ['above the API maximum of 86 400', 86_401, undefined],
    ['60 minutes', 60, 3600],
  ])('timeoutInMinutes %s: the deadline follows it, else the 7-day default', async (_, minutes, expected) => {
    // Prepare
    const definition = pipeline();
    if (minutes === undefined) delete approvalAction(definition).timeoutInMinutes;
    else approvalAction(definition).timeoutInMinutes = minutes;
    codePipelineMock.on(GetPipelineCommand).resolves(definition);
    // Act
    const result = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    // Assess
    expect(result.kind === 'waiting' ? result.item.timeoutSeconds : 'not waiting').toBe(expected);
    expect(codePipelineSource.defaultTimeoutSeconds).toBe(7 * 24 * 60 * 60);
  });

  it('is not a wait when the pipeline is gone, or no longer has the approval action', async () => {
    // Prepare
    const renamed = pipeline();
    approvalAction(renamed).name = 'OtherApproval';
    // Act
    codePipelineMock
      .on(GetPipelineCommand)
      .rejectsOnce(new PipelineNotFoundException({ message: 'gone', $metadata: {} }));
    const gone = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    codePipelineMock.on(GetPipelineCommand).resolves(renamed);
    const removed = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    // Assess
    expect(gone).toEqual({ kind: 'not-waiting', reason: 'the pipeline does not exist' });
    expect(removed).toEqual({
      kind: 'not-waiting',
      reason: 'the pipeline has no such Manual approval action any more',
    });
  });

  it('PARALLEL pipelines: the token is the externalExecutionId ListActionExecutions gives for the running approval', async () => {
    // Prepare
    const definition = pipeline();
    definition.pipeline.executionMode = 'PARALLEL';
    codePipelineMock.on(GetPipelineCommand).resolves(definition);
    codePipelineMock.on(ListActionExecutionsCommand).resolves({
      actionExecutionDetails: [
        {
          pipelineExecutionId: EXECUTION_ID,
          actionExecutionId: '1b3d5f7a-9c2e-4b6d-8f0a-2c4e6a8c0e2a',
          stageName: 'Source',
          actionName: 'Source',
          status: 'Succeeded',
          output: { executionResult: { externalExecutionId: '3Hq8f1.EXAMPLE' } },
        },
        {
          pipelineExecutionId: EXECUTION_ID,
          actionExecutionId: ACTION_EXECUTION_ID,
          stageName: 'Approve',
          actionName: 'ProductionApproval',
          status: 'InProgress',
          output: { executionResult: { externalExecutionId: TOKEN } },
        },
      ],
    });
    // Act
    const result = await source.capture(sampleEvent('codepipeline/action-execution-started'));
    // Assess
    expect(result.kind === 'waiting' && result.item.sourceRef).toMatchObject({
      actionExecutionId: ACTION_EXECUTION_ID,
      token: TOKEN,
      tokenFrom: 'action-executions',
    });
    expect(codePipelineMock.commandCalls(ListActionExecutionsCommand)[0]?.args[0].input).toMatchObject({
      pipelineName: 'checkout-deploy',
      filter: { pipelineExecutionId: EXECUTION_ID },
    });
    expect(codePipelineMock.commandCalls(GetPipelineStateCommand)).toHaveLength(0);
  });

  it.each([
    [
      'resources without the pipeline ARN',
      (event: Record<string, unknown>) => Object.assign(event, { resources: [] }),
      'resources',
    ],
    [
      'an execution id that is not one',
      (event: { detail: Record<string, unknown> }) => Object.assign(event.detail, { 'execution-id': 'x y' }),
      'detail.execution-id',
    ],
    [
      'a stage name CodePipeline would refuse',
      (event: { detail: Record<string, unknown> }) => Object.assign(event.detail, { stage: 'Approve/../x' }),
      'detail.stage',
    ],
  ])('refuses an event with %s, naming the path', async (_, change, path) => {
    // Prepare
    const event = sampleEvent('codepipeline/action-execution-started');
    change(event);
    // Act
    const thrown = await source.capture(event).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBeInstanceOf(MalformedEventError);
    expect((thrown as MalformedEventError).issues.map((issue) => issue.path)).toContain(path);
    expect(codePipelineMock.calls()).toHaveLength(0);
  });

  it('lets a throttled read fail the capture (Lambda retries the event), without the token in the error', async () => {
    // Prepare
    const throttled = new CodePipelineServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    codePipelineMock.on(GetPipelineStateCommand).rejects(throttled);
    // Act
    const thrown = await source.capture(sampleEvent('codepipeline/action-execution-started')).catch((caught) => caught);
    // Assess
    expect(thrown).toBe(throttled);
  });
});

describe('CodePipeline source: the events that end a wait', () => {
  it.each(['action-execution-succeeded', 'action-execution-abandoned'])(
    '%s names the same workflow as the STARTED event',
    (name) => {
      // Prepare
      const event = sampleEvent(`codepipeline/${name}`);
      // Act
      const ended = workflowEndedFrom(event);
      // Assess
      expect(isWorkflowEndedEvent(event)).toBe(true);
      expect(ended).toEqual({ source: 'codepipeline', workflowRef: WORKFLOW_REF, status: event.detail.state });
    },
  );

  it('a FAILED (rejected in the console, or timed out) and a CANCELED action end it too', () => {
    for (const state of ['FAILED', 'CANCELED']) {
      const event = sampleEvent('codepipeline/action-execution-succeeded');
      event.detail.state = state;
      expect(workflowEndedFrom(event)).toMatchObject({ workflowRef: WORKFLOW_REF, status: state });
    }
  });

  it('a STARTED action event is no ending', () => {
    expect(() => workflowEndedFrom(sampleEvent('codepipeline/action-execution-started'))).toThrow(MalformedEventError);
  });

  it('the pipeline execution events are no ending: "stop and wait" leaves the approval open and answerable', () => {
    const stopped = sampleEvent('codepipeline/pipeline-execution-stopped');
    expect(isWorkflowEndedEvent(stopped)).toBe(false);
  });
});

function waitingApproval(reference: Partial<CodePipelineReference> = {}): Approval {
  return openApproval(
    {
      source: 'codepipeline',
      naturalKey: `${WORKFLOW_REF}/${ACTION_EXECUTION_ID}`,
      sourceRef: {
        kind: 'codepipeline',
        pipelineName: 'checkout-deploy',
        stageName: 'Approve',
        actionName: 'ProductionApproval',
        pipelineExecutionId: EXECUTION_ID,
        actionExecutionId: ACTION_EXECUTION_ID,
        token: TOKEN,
        tokenFrom: 'pipeline-state',
        ...reference,
      } satisfies CodePipelineReference,
      workflowRef: WORKFLOW_REF,
      title: 'Pipeline checkout-deploy: ProductionApproval awaits approval',
    },
    new Date('2025-03-04T17:00:06Z'),
    codePipelineSource.defaultTimeoutSeconds,
  );
}

describe('CodePipeline source: probe', () => {
  it('still waits while the action’s latest execution is this run and InProgress', async () => {
    expect(await probe.stillWaiting(waitingApproval())).toEqual({ kind: 'waiting' });
  });

  it('ended once the action is no longer InProgress', async () => {
    // Prepare
    const state = pipelineState();
    approveStage(state).actionStates[0].latestExecution.status = 'Failed';
    codePipelineMock.on(GetPipelineStateCommand).resolves(state);
    // Act
    const result = await probe.stillWaiting(waitingApproval());
    // Assess
    expect(result).toEqual({ kind: 'ended', status: 'Failed' });
  });

  it('ended when the action ran again (another action execution id)', async () => {
    // Act
    const result = await probe.stillWaiting(
      waitingApproval({ actionExecutionId: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a' }),
    );
    // Assess
    expect(result).toEqual({ kind: 'ended', status: 'the action ran again' });
  });

  it('ended when the pipeline is gone; unknown when CodePipeline cannot tell (throttled)', async () => {
    // Act
    codePipelineMock
      .on(GetPipelineStateCommand)
      .rejectsOnce(new PipelineNotFoundException({ message: 'gone', $metadata: {} }));
    const gone = await probe.stillWaiting(waitingApproval());
    codePipelineMock.on(GetPipelineStateCommand).rejects(
      new CodePipelineServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: {},
      }),
    );
    const throttled = await probe.stillWaiting(waitingApproval());
    // Assess
    expect(gone).toEqual({ kind: 'ended', status: 'not found' });
    expect(throttled).toEqual({ kind: 'unknown', reason: 'ThrottlingException' });
  });

  it('PARALLEL pipelines: reads the run from ListActionExecutions', async () => {
    // Prepare
    codePipelineMock.on(ListActionExecutionsCommand).resolves({
      actionExecutionDetails: [
        { pipelineExecutionId: EXECUTION_ID, actionExecutionId: ACTION_EXECUTION_ID, status: 'Succeeded' },
      ],
    });
    // Act
    const result = await probe.stillWaiting(waitingApproval({ tokenFrom: 'action-executions' }));
    // Assess
    expect(result).toEqual({ kind: 'ended', status: 'Succeeded' });
    expect(codePipelineMock.commandCalls(GetPipelineStateCommand)).toHaveLength(0);
  });
});

describe('CodePipeline source: presentation', () => {
  it('links the pipeline in the console of its region, and nothing for another source’s reference', () => {
    expect(codePipelineSource.label).toBe('AWS CodePipeline');
    expect(
      consoleLinksFor(
        { source: 'codepipeline', workflowRef: WORKFLOW_REF.replace('us-east-1', 'eu-west-1') },
        'us-east-1',
      ),
    ).toEqual([
      {
        label: 'CodePipeline pipeline',
        url: 'https://eu-west-1.console.aws.amazon.com/codepipeline/home?region=eu-west-1#/view/checkout-deploy',
      },
    ]);
    expect(
      consoleLinksFor(
        { source: 'codepipeline', workflowRef: 'arn:aws:states:us-east-1:111122223333:execution:a:b' },
        'us-east-1',
      ),
    ).toEqual([]);
  });
});
