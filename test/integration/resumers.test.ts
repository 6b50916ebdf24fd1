import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AwsStandins, startAwsStandins } from '../../infra/local/standins';
import { SourceUnavailableError } from '../../shared/app/errors';
import type { SourceResumer } from '../../shared/app/sourcePorts';
import { openApproval, type SourceKind } from '../../shared/domain/approval';
import {
  createSourceClients,
  createSourceResumers,
  destroySourceClients,
  type SourceClients,
} from '../../shared/sources/sources';
import { captureLogs } from '../support/logCapture';
import {
  DECIDED_AT,
  resumeRequest as decision,
  imageBuilderApproval,
  lambdaApproval,
  ssmAutomationApproval,
  stepFunctionsApproval,
} from '../support/resumeRequests';

const credentials = { accessKeyId: 'AKIDRESUMERTEST', secretAccessKey: 'not-a-secret' };

let standins: AwsStandins;
let clients: SourceClients;
let resumers: Record<SourceKind, SourceResumer>;

beforeAll(async () => {
  standins = await startAwsStandins();
  // Like the Lambda functions: one client per service, created once, with the SDK's standard retry.
  const config = { endpoint: standins.url, region: 'us-east-1', credentials };
  clients = createSourceClients(config);
  resumers = createSourceResumers(clients);
});

afterAll(async () => {
  if (clients) destroySourceClients(clients);
  await standins?.close();
});

beforeEach(() => {
  standins.reset();
});

const rejection = { outcome: 'rejected', answer: 'reject', comment: 'not now' } as const;

/** Calls that changed something: answered without an error. */
function applied(service: 'sfn' | 'imagebuilder' | 'ssm' | 'codepipeline', operation: string) {
  return standins.callsTo(service, operation).filter((call) => call.error === undefined);
}

it('createSourceResumers has one resumer per source kind, each of its kind', () => {
  expect(Object.keys(resumers).sort()).toEqual(['codepipeline', 'imagebuilder', 'lambda', 'ssm', 'stepfunctions']);
  for (const [kind, resumer] of Object.entries(resumers)) expect(resumer.kind).toBe(kind);
});

describe('Step Functions resumer', () => {
  function waitingApproval() {
    const waiting = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy' });
    const approval = stepFunctionsApproval(
      { taskToken: waiting.taskToken, executionArn: waiting.executionArn, stateMachineArn: waiting.stateMachineArn },
      'Deploy',
      new Date(),
    );
    return { waiting, approval };
  }

  it('approve reaches Step Functions as exactly one valid SendTaskSuccess', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    // Act
    const result = await resumers.stepfunctions.resume(decision(approval));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    const calls = standins.callsTo('sfn', 'SendTaskSuccess');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.error).toBeUndefined();
    expect(calls[0]?.input).toEqual({ taskToken: waiting.taskToken, output: expect.any(String) });
    expect(standins.callsTo('sfn', 'SendTaskFailure')).toEqual([]);
    const execution = standins.stepFunctions.describe(waiting.executionArn);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution?.output ?? '')).toEqual({
      approvalId: approval.id,
      outcome: 'approved',
      decidedBy: ['email:alice@example.com'],
      channel: 'rest',
      comment: 'looks good',
      decidedAt: DECIDED_AT,
    });
  });

  it('reject reaches Step Functions as exactly one SendTaskFailure; the execution fails with Greenlight.Rejected', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    // Act
    const result = await resumers.stepfunctions.resume(decision(approval, rejection));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(applied('sfn', 'SendTaskFailure')).toHaveLength(1);
    expect(standins.callsTo('sfn', 'SendTaskSuccess')).toEqual([]);
    const execution = standins.stepFunctions.describe(waiting.executionArn);
    expect(execution).toMatchObject({ status: 'FAILED', error: 'Greenlight.Rejected' });
    expect(JSON.parse(execution?.cause ?? '')).toMatchObject({ approvalId: approval.id, outcome: 'rejected' });
  });

  it('a second resume of the same approval is not-waiting (TaskTimedOut) and changes nothing', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    await resumers.stepfunctions.resume(decision(approval));
    const output = standins.stepFunctions.describe(waiting.executionArn)?.output;
    // Act
    const again = await resumers.stepfunctions.resume(decision(approval, { ...rejection, attempt: 2 }));
    // Assess
    expect(again).toEqual({ kind: 'not-waiting', reason: expect.stringContaining('(TaskTimedOut)') });
    expect(standins.callsTo('sfn', 'SendTaskFailure').map((call) => call.error?.name)).toEqual(['TaskTimedOut']);
    expect(standins.stepFunctions.describe(waiting.executionArn)).toMatchObject({ status: 'SUCCEEDED', output });
  });

  it('two injected 500s are absorbed by the SDK retry: third attempt applies the one answer', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    standins.failNext('sfn', 'SendTaskSuccess', { status: 500, times: 2 });
    // Act
    const result = await resumers.stepfunctions.resume(decision(approval));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(standins.callsTo('sfn', 'SendTaskSuccess').map((call) => call.error?.name)).toEqual([
      'InternalFailure',
      'InternalFailure',
      undefined,
    ]);
    expect(standins.stepFunctions.describe(waiting.executionArn)?.status).toBe('SUCCEEDED');
  });

  it('three injected ThrottlingExceptions → SourceUnavailableError; the task still waits and a later resume works', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    standins.failNext('sfn', 'SendTaskSuccess', { status: 429, errorName: 'ThrottlingException', times: 3 });
    const logs = captureLogs();
    let thrown: unknown;
    try {
      // Act
      thrown = await resumers.stepfunctions.resume(decision(approval)).catch((caught: unknown) => caught);
    } finally {
      logs.restore();
    }
    const later = await resumers.stepfunctions.resume(decision(approval, { attempt: 2 }));
    // Assess
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect((thrown as Error).message).toContain('ThrottlingException, HTTP 429, 3 attempts');
    expect((thrown as Error).message).not.toContain(waiting.taskToken);
    expect(logs.text()).not.toContain(waiting.taskToken);
    expect(later).toEqual({ kind: 'resumed' });
    expect(standins.callsTo('sfn', 'SendTaskSuccess')).toHaveLength(4);
    expect(applied('sfn', 'SendTaskSuccess')).toHaveLength(1);
  });

  it('a reply lost after the answer applied: the SDK retry sees TaskTimedOut → not-waiting, one answer', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    standins.failNext('sfn', 'SendTaskSuccess', { drop: true, afterApply: true });
    // Act
    const result = await resumers.stepfunctions.resume(decision(approval));
    // Assess
    expect(result).toEqual({
      kind: 'not-waiting',
      reason: expect.stringContaining('(TaskTimedOut)'),
      afterRetry: true,
    });
    expect(standins.callsTo('sfn', 'SendTaskSuccess').map((call) => call.error?.name)).toEqual([
      'ConnectionDropped',
      'TaskTimedOut',
    ]);
    expect(JSON.parse(standins.stepFunctions.describe(waiting.executionArn)?.output ?? '')).toMatchObject({
      approvalId: approval.id,
    });
  });

  it('a 600 kB comment is accepted by the service in both the output and the cause', async () => {
    // Prepare
    const first = waitingApproval();
    const second = waitingApproval();
    const comment = '€'.repeat(200_000);
    // Act
    const approved = await resumers.stepfunctions.resume(decision(first.approval, { comment }));
    const rejected = await resumers.stepfunctions.resume(decision(second.approval, { ...rejection, comment }));
    // Assess
    expect([approved, rejected]).toEqual([{ kind: 'resumed' }, { kind: 'resumed' }]);
    expect(standins.stepFunctions.describe(first.waiting.executionArn)?.status).toBe('SUCCEEDED');
    expect(standins.stepFunctions.describe(second.waiting.executionArn)?.status).toBe('FAILED');
  });
});

describe('Image Builder resumer', () => {
  function waitingApproval() {
    const step = standins.imageBuilder.addWaitingStep({ imageName: 'golden-al2023', stepName: 'ApproveImage' });
    const approval = imageBuilderApproval(
      {
        workflowStepExecutionId: step.workflowStepExecutionId,
        imageBuildVersionArn: step.imageBuildVersionArn,
        workflowExecutionId: step.workflowExecutionId,
        stepName: step.stepName,
      },
      'Golden image',
      new Date(),
    );
    return { step, approval };
  }

  it('approve reaches Image Builder as exactly one RESUME with reason and clientToken', async () => {
    // Prepare
    const { step, approval } = waitingApproval();
    // Act
    const result = await resumers.imagebuilder.resume(decision(approval));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    const calls = standins.callsTo('imagebuilder', 'SendWorkflowStepAction');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toEqual({
      stepExecutionId: step.workflowStepExecutionId,
      imageBuildVersionArn: step.imageBuildVersionArn,
      action: 'RESUME',
      reason: `Approved by email:alice@example.com via rest at ${DECIDED_AT}: looks good`,
      clientToken: expect.stringMatching(/^gl-[0-9a-f]{32}$/),
    });
    expect(standins.imageBuilder.get(step.workflowStepExecutionId)).toMatchObject({
      status: 'COMPLETED',
      message: `Approved by email:alice@example.com via rest at ${DECIDED_AT}: looks good`,
    });
  });

  it('reject reaches Image Builder as exactly one STOP; the step fails', async () => {
    // Prepare
    const { step, approval } = waitingApproval();
    // Act
    const result = await resumers.imagebuilder.resume(decision(approval, rejection));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(standins.callsTo('imagebuilder', 'SendWorkflowStepAction').map((call) => call.input)).toEqual([
      expect.objectContaining({
        action: 'STOP',
        reason: `Rejected by email:alice@example.com via rest at ${DECIDED_AT}: not now`,
      }),
    ]);
    expect(standins.imageBuilder.get(step.workflowStepExecutionId)?.status).toBe('FAILED');
  });

  it('a second resume of the same approval replays the clientToken: a no-op success', async () => {
    // Prepare
    const { step, approval } = waitingApproval();
    await resumers.imagebuilder.resume(decision(approval));
    const endTime = standins.imageBuilder.get(step.workflowStepExecutionId)?.endTime;
    // Act
    const again = await resumers.imagebuilder.resume(decision(approval, { attempt: 2 }));
    // Assess
    expect(again).toEqual({ kind: 'resumed' });
    const calls = standins.callsTo('imagebuilder', 'SendWorkflowStepAction');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.input).toEqual(calls[0]?.input);
    expect(calls[1]?.error).toBeUndefined();
    expect(standins.imageBuilder.get(step.workflowStepExecutionId)).toMatchObject({ status: 'COMPLETED', endTime });
  });

  it('a step already actioned with another answer is not-waiting (InvalidRequestException)', async () => {
    // Prepare
    const { step, approval } = waitingApproval();
    await resumers.imagebuilder.resume(decision(approval));
    // Act
    const other = await resumers.imagebuilder.resume(decision(approval, rejection));
    // Assess
    expect(other).toEqual({ kind: 'not-waiting', reason: expect.stringContaining('(InvalidRequestException)') });
    expect(standins.imageBuilder.get(step.workflowStepExecutionId)?.status).toBe('COMPLETED');
  });

  it('two injected rate-limit answers (429) are absorbed by the SDK retry', async () => {
    // Prepare
    const { step, approval } = waitingApproval();
    standins.failNext('imagebuilder', 'SendWorkflowStepAction', { status: 429, times: 2 });
    // Act
    const result = await resumers.imagebuilder.resume(decision(approval));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(standins.callsTo('imagebuilder', 'SendWorkflowStepAction').map((call) => call.error?.name)).toEqual([
      'CallRateLimitExceededException',
      'CallRateLimitExceededException',
      undefined,
    ]);
    expect(applied('imagebuilder', 'SendWorkflowStepAction')).toHaveLength(1);
    expect(standins.imageBuilder.get(step.workflowStepExecutionId)?.status).toBe('COMPLETED');
  });

  it('three injected 503s → SourceUnavailableError; the step still waits', async () => {
    // Prepare
    const { step, approval } = waitingApproval();
    standins.failNext('imagebuilder', 'SendWorkflowStepAction', { status: 503, times: 3 });
    // Act
    const thrown = await resumers.imagebuilder.resume(decision(approval)).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect(thrown).toMatchObject({ source: 'imagebuilder', cause: { name: 'ServiceUnavailableException' } });
    expect(standins.callsTo('imagebuilder', 'SendWorkflowStepAction')).toHaveLength(3);
    expect(standins.imageBuilder.get(step.workflowStepExecutionId)?.status).toBe('RUNNING');
  });

  it('a reply lost after the action applied: the SDK retry with the same clientToken succeeds, one action', async () => {
    // Prepare
    const { step, approval } = waitingApproval();
    standins.failNext('imagebuilder', 'SendWorkflowStepAction', { drop: true, afterApply: true });
    // Act
    const result = await resumers.imagebuilder.resume(decision(approval, rejection));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(standins.callsTo('imagebuilder', 'SendWorkflowStepAction').map((call) => call.error?.name)).toEqual([
      'ConnectionDropped',
      undefined,
    ]);
    expect(standins.imageBuilder.get(step.workflowStepExecutionId)?.status).toBe('FAILED');
  });

  it('a 2000-character comment is accepted', async () => {
    // Prepare
    const { step, approval } = waitingApproval();
    // Act
    const result = await resumers.imagebuilder.resume(decision(approval, { comment: 'z'.repeat(2000) }));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(standins.imageBuilder.get(step.workflowStepExecutionId)?.message).toHaveLength(1024);
  });
});

describe('SSM Automation resumer', () => {
  function waitingApproval() {
    const waiting = standins.ssm.startWaitingAutomation({ documentName: 'Deploy', approvers: ['greenlight'] });
    const approval = ssmAutomationApproval(
      {
        automationExecutionId: waiting.automationExecutionId,
        stepName: waiting.stepName,
        stepExecutionId: waiting.stepExecutionId,
        documentName: 'Deploy',
      },
      'Deploy',
      new Date(),
    );
    return { waiting, approval };
  }

  it('approve reaches SSM as exactly one Approve signal with the decision as comment', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    // Act
    const result = await resumers.ssm.resume(decision(approval));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(standins.callsTo('ssm', 'SendAutomationSignal').map((call) => call.input)).toEqual([
      {
        AutomationExecutionId: waiting.automationExecutionId,
        SignalType: 'Approve',
        Payload: { Comment: [`Approved by email:alice@example.com via rest at ${DECIDED_AT}: looks good`] },
      },
    ]);
    const automation = standins.ssm.get(waiting.automationExecutionId);
    expect(automation?.status).toBe('Success');
    expect(automation?.step.decisions).toEqual([
      expect.objectContaining({ decision: 'Approve', comment: expect.stringContaining('looks good') }),
    ]);
  });

  it('reject reaches SSM as exactly one Reject signal; the automation fails', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    // Act
    const result = await resumers.ssm.resume(decision(approval, rejection));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(applied('ssm', 'SendAutomationSignal').map((call) => call.input)).toEqual([
      expect.objectContaining({ SignalType: 'Reject' }),
    ]);
    expect(standins.ssm.get(waiting.automationExecutionId)?.status).toBe('Failed');
  });

  it('a second resume of the same approval is not-waiting (InvalidAutomationSignalException)', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    await resumers.ssm.resume(decision(approval));
    // Act
    const again = await resumers.ssm.resume(decision(approval, { attempt: 2 }));
    // Assess
    expect(again).toEqual({
      kind: 'not-waiting',
      reason: expect.stringContaining('(InvalidAutomationSignalException)'),
    });
    expect(applied('ssm', 'SendAutomationSignal')).toHaveLength(1);
    expect(standins.ssm.get(waiting.automationExecutionId)?.step.decisions).toHaveLength(1);
  });

  it('two injected ThrottlingExceptions are absorbed by the SDK retry', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    standins.failNext('ssm', 'SendAutomationSignal', { status: 400, errorName: 'ThrottlingException', times: 2 });
    // Act
    const result = await resumers.ssm.resume(decision(approval));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(standins.callsTo('ssm', 'SendAutomationSignal').map((call) => call.error?.name)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      undefined,
    ]);
    expect(standins.ssm.get(waiting.automationExecutionId)?.step.decisions).toHaveLength(1);
  });

  it('three injected 500s → SourceUnavailableError; the automation still waits', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    standins.failNext('ssm', 'SendAutomationSignal', { status: 500, times: 3 });
    // Act
    const thrown = await resumers.ssm.resume(decision(approval)).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect(thrown).toMatchObject({ source: 'ssm', cause: { name: 'InternalServerError' } });
    expect(standins.callsTo('ssm', 'SendAutomationSignal')).toHaveLength(3);
    expect(standins.ssm.get(waiting.automationExecutionId)?.status).toBe('Waiting');
  });

  it('a 600 kB comment is accepted as 10 values of at most 512 characters', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    // Act
    const result = await resumers.ssm.resume(decision(approval, { comment: 'q'.repeat(600_000) }));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(standins.ssm.get(waiting.automationExecutionId)?.status).toBe('Success');
  });
});

describe('Lambda durable functions resumer', () => {
  function waitingApproval() {
    const waiting = standins.lambda.startWaitingExecution({ functionName: 'deploy-with-approval' });
    const approval = lambdaApproval(
      { callbackId: waiting.callbackId, durableExecutionArn: waiting.durableExecutionArn },
      'Deploy',
      new Date(),
    );
    return { waiting, approval };
  }

  it('approve reaches Lambda as exactly one SendDurableExecutionCallbackSuccess whose raw Result is the document', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    // Act
    const result = await resumers.lambda.resume(decision(approval));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    const calls = standins.callsTo('lambda', 'SendDurableExecutionCallbackSuccess');
    expect(calls.map((call) => call.error)).toEqual([undefined]);
    const execution = standins.lambda.describe(waiting.durableExecutionArn);
    expect(execution?.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution?.result ?? '')).toMatchObject({ approvalId: approval.id, outcome: 'approved' });
  });

  it('reject fails the callback with Greenlight.Rejected; a second answer meets CallbackTimeoutException: not-waiting', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    // Act
    const first = await resumers.lambda.resume(decision(approval, rejection));
    const second = await resumers.lambda.resume(decision(approval, { ...rejection, attempt: 2 }));
    // Assess
    expect(first).toEqual({ kind: 'resumed' });
    expect(second).toMatchObject({ kind: 'not-waiting', reason: expect.stringContaining('CallbackTimeoutException') });
    const execution = standins.lambda.describe(waiting.durableExecutionArn);
    expect(execution?.error?.ErrorType).toBe('Greenlight.Rejected');
    expect(JSON.parse(execution?.error?.ErrorData ?? '')).toMatchObject({ outcome: 'rejected', comment: 'not now' });
  });
});

describe('CodePipeline resumer', () => {
  /** A pipeline waiting in its Manual approval, and its approval as capture stores it. */
  function waitingApproval(timeoutInMinutes?: number) {
    const waiting = standins.codePipeline.startWaitingApproval({
      pipelineName: 'checkout-deploy',
      ...(timeoutInMinutes === undefined ? {} : { timeoutInMinutes }),
    });
    const workflowRef = `${waiting.pipelineArn}/${waiting.stageName}/${waiting.actionName}/${waiting.pipelineExecutionId}`;
    const approval = openApproval(
      {
        source: 'codepipeline',
        naturalKey: `${workflowRef}/${waiting.actionExecutionId}`,
        sourceRef: {
          kind: 'codepipeline',
          pipelineName: waiting.pipelineName,
          stageName: waiting.stageName,
          actionName: waiting.actionName,
          pipelineExecutionId: waiting.pipelineExecutionId,
          actionExecutionId: waiting.actionExecutionId,
          token: waiting.token,
          tokenFrom: 'pipeline-state',
        },
        workflowRef,
        title: 'Pipeline checkout-deploy: ManualApproval awaits approval',
      },
      new Date(),
      7 * 24 * 60 * 60,
    );
    return { waiting, approval };
  }

  it('approve reaches CodePipeline as exactly one PutApprovalResult Approved; the action succeeds', async () => {
    // Prepare
    const { waiting, approval } = waitingApproval();
    // Act
    const result = await resumers.codepipeline.resume(decision(approval));
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(standins.callsTo('codepipeline', 'PutApprovalResult').map((call) => call.input)).toEqual([
      {
        pipelineName: 'checkout-deploy',
        stageName: waiting.stageName,
        actionName: waiting.actionName,
        token: waiting.token,
        result: {
          status: 'Approved',
          summary: `Approved by email:alice@example.com via rest at ${DECIDED_AT}: looks good`,
        },
      },
    ]);
    expect(standins.codePipeline.get('checkout-deploy')?.runs.at(-1)?.status).toBe('Succeeded');
  });

  it('reject answers Rejected; a second answer is not-waiting (ApprovalAlreadyCompletedException)', async () => {
    // Prepare
    const { approval } = waitingApproval();
    await resumers.codepipeline.resume(decision(approval, rejection));
    // Act
    const again = await resumers.codepipeline.resume(decision(approval, { ...rejection, attempt: 2 }));
    // Assess
    expect(again).toEqual({
      kind: 'not-waiting',
      reason: expect.stringContaining('(ApprovalAlreadyCompletedException)'),
    });
    expect(applied('codepipeline', 'PutApprovalResult')).toHaveLength(1);
    expect(standins.codePipeline.get('checkout-deploy')?.runs.at(-1)?.status).toBe('Failed');
  });

  it('an approval CodePipeline timed out is not-waiting (InvalidApprovalTokenException)', async () => {
    // Prepare: the stand-in's clock is the real one; a deadline already passed is made by a 0-minute timeout
    const { approval } = waitingApproval(0);
    // Act
    const result = await resumers.codepipeline.resume(decision(approval));
    // Assess
    expect(result).toEqual({ kind: 'not-waiting', reason: expect.stringContaining('(InvalidApprovalTokenException)') });
    expect(applied('codepipeline', 'PutApprovalResult')).toHaveLength(0);
  });

  it('two injected ThrottlingExceptions are absorbed by the SDK retry; three 500s are SourceUnavailableError', async () => {
    // Prepare
    const first = waitingApproval().approval;
    standins.failNext('codepipeline', 'PutApprovalResult', { status: 400, errorName: 'ThrottlingException', times: 2 });
    // Act
    const throttled = await resumers.codepipeline.resume(decision(first));
    const second = waitingApproval().approval;
    standins.failNext('codepipeline', 'PutApprovalResult', { status: 500, times: 3 });
    const thrown = await resumers.codepipeline.resume(decision(second)).catch((caught: unknown) => caught);
    // Assess
    expect(throttled).toEqual({ kind: 'resumed' });
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect(thrown).toMatchObject({ source: 'codepipeline', cause: { name: 'InternalFailure' } });
    expect(standins.codePipeline.get('checkout-deploy')?.runs.at(-1)?.status).toBe('InProgress');
  });
});
