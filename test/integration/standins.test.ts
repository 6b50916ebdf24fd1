import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  GetWorkflowStepExecutionCommand,
  IdempotentParameterMismatchException,
  ImagebuilderClient,
  InvalidParameterValueException,
  InvalidRequestException,
  ListWaitingWorkflowStepsCommand,
  ResourceNotFoundException,
  SendWorkflowStepActionCommand,
} from '@aws-sdk/client-imagebuilder';
import {
  CallbackTimeoutException,
  GetDurableExecutionCommand,
  LambdaClient,
  InvalidParameterValueException as LambdaInvalidParameterValueException,
  ResourceNotFoundException as LambdaResourceNotFoundException,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackHeartbeatCommand,
  SendDurableExecutionCallbackSuccessCommand,
} from '@aws-sdk/client-lambda';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidOutput,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import {
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  GetParameterCommand,
  InvalidAutomationSignalException,
  ParameterNotFound,
  SendAutomationSignalCommand,
  SSMClient,
  ThrottlingException,
} from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AwsStandins, type DeliveredEntry, startAwsStandins } from '../../infra/local/standins';

const credentials = { accessKeyId: 'AKIDSTANDINTEST', secretAccessKey: 'not-a-secret' };
let clock: Date;
let standins: AwsStandins;
let stateDir: string | undefined;

function clientConfig(maxAttempts = 1) {
  return { endpoint: standins.url, region: 'us-east-1', credentials, maxAttempts };
}
const sfn = (maxAttempts?: number) => new SFNClient(clientConfig(maxAttempts));
const imageBuilder = () => new ImagebuilderClient(clientConfig());
const ssm = () => new SSMClient(clientConfig());
const events = () => new EventBridgeClient(clientConfig());
const lambda = () => new LambdaClient(clientConfig());

beforeEach(async () => {
  clock = new Date('2025-03-04T12:00:00.000Z');
  standins = await startAwsStandins({ now: () => clock });
});

afterEach(async () => {
  await standins.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  stateDir = undefined;
});

describe('Step Functions stand-in', () => {
  it('SendTaskSuccess ends the waiting execution SUCCEEDED with the output', async () => {
    // Prepare
    const waiting = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy', input: { v: 1 } });
    // Act
    await sfn().send(new SendTaskSuccessCommand({ taskToken: waiting.taskToken, output: '{"approved":true}' }));
    const described = await sfn().send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }));
    // Assess
    expect(waiting.taskToken.length).toBeGreaterThan(300);
    expect(waiting.executionArn).toMatch(/^arn:aws:states:us-east-1:111122223333:execution:Deploy:[0-9a-f-]{36}$/);
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}', input: '{"v":1}' });
    expect(described.stopDate).toEqual(clock);
  });

  it('a token answered twice fails with TaskTimedOut, and a failure records error and cause', async () => {
    // Prepare
    const waiting = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy' });
    await sfn().send(new SendTaskFailureCommand({ taskToken: waiting.taskToken, error: 'Rejected', cause: 'no' }));
    // Act
    const second = sfn().send(new SendTaskSuccessCommand({ taskToken: waiting.taskToken, output: '{}' }));
    // Assess
    await expect(second).rejects.toBeInstanceOf(TaskTimedOut);
    expect(standins.stepFunctions.describe(waiting.executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'Rejected',
      cause: 'no',
    });
  });

  it('rejects garbled tokens, invalid output, bad ARNs and answers after StopExecution', async () => {
    // Prepare
    const waiting = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy' });
    const client = sfn();
    // Act + Assess
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: 'garbled', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: waiting.taskToken, output: 'not json' })),
    ).rejects.toBeInstanceOf(InvalidOutput);
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: waiting.taskToken, output: `"${'x'.repeat(262_144)}"` })),
    ).rejects.toBeInstanceOf(InvalidOutput);
    await expect(client.send(new DescribeExecutionCommand({ executionArn: 'nope' }))).rejects.toBeInstanceOf(
      InvalidArn,
    );
    await expect(
      client.send(new DescribeExecutionCommand({ executionArn: `${waiting.executionArn}x` })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await client.send(new StopExecutionCommand({ executionArn: waiting.executionArn, error: 'Cancelled' }));
    expect(standins.stepFunctions.describe(waiting.executionArn)?.status).toBe('ABORTED');
    await expect(client.send(new SendTaskHeartbeatCommand({ taskToken: waiting.taskToken }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  it('a task past its timeout fails the execution with States.Timeout', async () => {
    // Prepare
    const waiting = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy', timeoutSeconds: 60 });
    clock = new Date(clock.getTime() + 61_000);
    // Act
    const answer = sfn().send(new SendTaskSuccessCommand({ taskToken: waiting.taskToken, output: '{}' }));
    // Assess
    await expect(answer).rejects.toBeInstanceOf(TaskTimedOut);
    expect(standins.stepFunctions.describe(waiting.executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'States.Timeout',
    });
  });
});

describe('Image Builder stand-in', () => {
  it('lists the waiting step, resumes it once, and replays the same clientToken without a second change', async () => {
    // Prepare
    const step = standins.imageBuilder.addWaitingStep({ imageName: 'Golden AMI', version: '2.1.0' });
    const client = imageBuilder();
    const listed = await client.send(new ListWaitingWorkflowStepsCommand({}));
    const action = {
      stepExecutionId: step.workflowStepExecutionId,
      imageBuildVersionArn: step.imageBuildVersionArn,
      action: 'RESUME' as const,
      reason: 'Approved by alice',
      clientToken: 'greenlight-approval-1',
    };
    // Act
    const first = await client.send(new SendWorkflowStepActionCommand(action));
    const replay = await client.send(new SendWorkflowStepActionCommand(action));
    const execution = await client.send(
      new GetWorkflowStepExecutionCommand({ stepExecutionId: action.stepExecutionId }),
    );
    // Assess
    expect(listed.steps?.map((s) => s.stepExecutionId)).toEqual([step.workflowStepExecutionId]);
    expect(step.imageBuildVersionArn).toBe('arn:aws:imagebuilder:us-east-1:111122223333:image/golden-ami/2.1.0/1');
    const expected = {
      stepExecutionId: action.stepExecutionId,
      imageBuildVersionArn: action.imageBuildVersionArn,
      clientToken: action.clientToken,
    };
    expect(first).toMatchObject(expected);
    expect(replay).toMatchObject(expected);
    expect(execution).toMatchObject({ status: 'COMPLETED', message: 'Approved by alice', action: 'WaitForAction' });
    expect((await client.send(new ListWaitingWorkflowStepsCommand({}))).steps).toEqual([]);
  });

  it('answers mismatch, not-waiting, unknown-step and bad-input errors with the modelled exceptions', async () => {
    // Prepare
    const step = standins.imageBuilder.addWaitingStep({ imageName: 'golden' });
    const client = imageBuilder();
    const base = {
      stepExecutionId: step.workflowStepExecutionId,
      imageBuildVersionArn: step.imageBuildVersionArn,
      action: 'STOP' as const,
      clientToken: 'token-a',
    };
    await client.send(new SendWorkflowStepActionCommand(base));
    // Act + Assess
    await expect(client.send(new SendWorkflowStepActionCommand({ ...base, action: 'RESUME' }))).rejects.toBeInstanceOf(
      IdempotentParameterMismatchException,
    );
    await expect(
      client.send(new SendWorkflowStepActionCommand({ ...base, clientToken: 'token-b' })),
    ).rejects.toBeInstanceOf(InvalidRequestException);
    await expect(
      client.send(
        new SendWorkflowStepActionCommand({
          ...base,
          stepExecutionId: 'step-00000000-0000-0000-0000-000000000000',
          clientToken: 'c',
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(new SendWorkflowStepActionCommand({ ...base, clientToken: 'x'.repeat(37) })),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
    expect(standins.imageBuilder.get(step.workflowStepExecutionId)?.status).toBe('FAILED');
  });
});

describe('SSM stand-in', () => {
  it('shows the waiting aws:approve step, and Approve ends it in Success with the comment', async () => {
    // Prepare
    const waiting = standins.ssm.startWaitingAutomation({
      documentName: 'Deploy',
      approvers: ['arn:aws:iam::111122223333:user/alice'],
      message: 'Ship it?',
    });
    const client = ssm();
    const before = await client.send(
      new GetAutomationExecutionCommand({ AutomationExecutionId: waiting.automationExecutionId }),
    );
    // Act
    await client.send(
      new SendAutomationSignalCommand({
        AutomationExecutionId: waiting.automationExecutionId,
        SignalType: 'Approve',
        Payload: { Comment: ['Looks good'] },
      }),
    );
    const after = await client.send(
      new GetAutomationExecutionCommand({ AutomationExecutionId: waiting.automationExecutionId }),
    );
    // Assess
    expect(before.AutomationExecution?.AutomationExecutionStatus).toBe('Waiting');
    expect(before.AutomationExecution?.StepExecutions?.[0]).toMatchObject({
      StepName: 'approve',
      Action: 'aws:approve',
      StepStatus: 'Waiting',
      StepExecutionId: waiting.stepExecutionId,
      Inputs: {
        Approvers: '["arn:aws:iam::111122223333:user/alice"]',
        Message: '"Ship it?"',
        MinRequiredApprovals: '1',
      },
    });
    expect(after.AutomationExecution?.AutomationExecutionStatus).toBe('Success');
    const decision = JSON.parse(
      after.AutomationExecution?.StepExecutions?.[0]?.Outputs?.ApproverDecisions?.[0] ?? '{}',
    );
    expect(decision).toMatchObject({ Approver: credentials.accessKeyId, Decision: 'Approve', Comment: 'Looks good' });
  });

  it('refuses a signal once the execution is no longer waiting, and Reject fails it', async () => {
    // Prepare
    const approved = standins.ssm.startWaitingAutomation({ documentName: 'Deploy', approvers: ['alice'] });
    const rejected = standins.ssm.startWaitingAutomation({ documentName: 'Deploy', approvers: ['alice'] });
    const client = ssm();
    await client.send(
      new SendAutomationSignalCommand({ AutomationExecutionId: approved.automationExecutionId, SignalType: 'Approve' }),
    );
    // Act
    const again = await client
      .send(
        new SendAutomationSignalCommand({
          AutomationExecutionId: approved.automationExecutionId,
          SignalType: 'Approve',
        }),
      )
      .catch((error: unknown) => error);
    await client.send(
      new SendAutomationSignalCommand({ AutomationExecutionId: rejected.automationExecutionId, SignalType: 'Reject' }),
    );
    // Assess
    expect(again).toBeInstanceOf(InvalidAutomationSignalException);
    expect(standins.ssm.get(rejected.automationExecutionId)).toMatchObject({
      status: 'Failed',
      step: { status: 'Failed' },
    });
    await expect(
      client.send(
        new SendAutomationSignalCommand({
          AutomationExecutionId: '00000000-0000-0000-0000-000000000000',
          SignalType: 'Approve',
        }),
      ),
    ).rejects.toBeInstanceOf(AutomationExecutionNotFoundException);
  });

  it('waits for MinRequiredApprovals before resuming', async () => {
    // Prepare
    const waiting = standins.ssm.startWaitingAutomation({
      documentName: 'D',
      approvers: ['a', 'b'],
      minRequiredApprovals: 2,
    });
    const signal = new SendAutomationSignalCommand({
      AutomationExecutionId: waiting.automationExecutionId,
      SignalType: 'Approve',
    });
    // Act
    await ssm().send(signal);
    const afterOne = standins.ssm.get(waiting.automationExecutionId)?.status;
    await ssm().send(signal);
    // Assess
    expect(afterOne).toBe('Waiting');
    expect(standins.ssm.get(waiting.automationExecutionId)?.status).toBe('Success');
  });

  it('reads Parameter Store values, decrypting SecureStrings only when asked', async () => {
    // Prepare
    standins.ssm.putParameter('/greenlight/signing-key', 's3cret');
    const client = ssm();
    // Act
    const decrypted = await client.send(
      new GetParameterCommand({ Name: '/greenlight/signing-key', WithDecryption: true }),
    );
    const encrypted = await client.send(new GetParameterCommand({ Name: '/greenlight/signing-key' }));
    // Assess
    expect(decrypted.Parameter).toMatchObject({
      Type: 'SecureString',
      Value: 's3cret',
      Version: 1,
      ARN: 'arn:aws:ssm:us-east-1:111122223333:parameter/greenlight/signing-key',
    });
    expect(encrypted.Parameter?.Value).not.toBe('s3cret');
    await expect(client.send(new GetParameterCommand({ Name: '/missing' }))).rejects.toBeInstanceOf(ParameterNotFound);
  });
});

describe('EventBridge stand-in', () => {
  it('PutEvents answers an EventId per entry and hands accepted entries to the listeners', async () => {
    // Prepare
    const delivered: DeliveredEntry[] = [];
    standins.onPutEvents((entries) => {
      delivered.push(...entries);
    });
    // Act
    const result = await events().send(
      new PutEventsCommand({
        Entries: [
          { Source: 'greenlight', DetailType: 'Approval Decided', Detail: '{"id":"a1"}' },
          { Source: 'greenlight', DetailType: 'Broken', Detail: 'not json' },
        ],
      }),
    );
    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(result.Entries?.[1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(delivered).toEqual([
      expect.objectContaining({ DetailType: 'Approval Decided', EventId: result.Entries?.[0]?.EventId }),
    ]);
  });
});

describe('fault injection', () => {
  it('the SDK sees an injected 500 and 429 (ThrottlingException), and nothing changes', async () => {
    // Prepare
    const waiting = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy' });
    const automation = standins.ssm.startWaitingAutomation({ documentName: 'D', approvers: ['a'] });
    standins.failNext('sfn', 'SendTaskSuccess', { status: 500 });
    standins.failNext('ssm', 'SendAutomationSignal', { status: 429 });
    // Act
    const sfnError = await sfn()
      .send(new SendTaskSuccessCommand({ taskToken: waiting.taskToken, output: '{}' }))
      .catch((error: unknown) => error);
    const ssmError = await ssm()
      .send(
        new SendAutomationSignalCommand({
          AutomationExecutionId: automation.automationExecutionId,
          SignalType: 'Approve',
        }),
      )
      .catch((error: unknown) => error);
    // Assess
    expect(sfnError).toMatchObject({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    expect(ssmError).toBeInstanceOf(ThrottlingException);
    expect(ssmError).toMatchObject({ $metadata: { httpStatusCode: 429 } });
    expect(standins.stepFunctions.describe(waiting.executionArn)?.status).toBe('RUNNING');
    expect(standins.callsTo('sfn', 'SendTaskSuccess')[0]?.error?.name).toBe('InternalFailure');
  });

  it('a client with retries rides over one 500; a reply lost after applying makes the retry see TaskTimedOut', async () => {
    // Prepare
    const first = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy' });
    const second = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy' });
    standins.failNext('sfn', 'SendTaskSuccess', { status: 500 });
    // Act
    await sfn(3).send(new SendTaskSuccessCommand({ taskToken: first.taskToken, output: '{}' }));
    const attemptsWithRetry = standins.callsTo('sfn', 'SendTaskSuccess').length;
    standins.failNext('sfn', 'SendTaskSuccess', { drop: true, afterApply: true });
    const lost = sfn(1)
      .send(new SendTaskSuccessCommand({ taskToken: second.taskToken, output: '{}' }))
      .catch((error: unknown) => error);
    // Assess
    expect(attemptsWithRetry).toBe(2);
    expect(standins.stepFunctions.describe(first.executionArn)?.status).toBe('SUCCEEDED');
    expect(await lost).toBeInstanceOf(Error);
    expect(standins.stepFunctions.describe(second.executionArn)?.status).toBe('SUCCEEDED');
    await expect(
      sfn().send(new SendTaskSuccessCommand({ taskToken: second.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('delays an answer by delayMs', async () => {
    // Prepare
    standins.failNext('eventbridge', 'PutEvents', { delayMs: 150 });
    const started = Date.now();
    // Act
    await events().send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }));
    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('stand-in server', () => {
  it('keeps waiting items, answered tokens and idempotency records across a restart with statePath', async () => {
    // Prepare
    await standins.close();
    stateDir = mkdtempSync(join(tmpdir(), 'standins-'));
    const statePath = join(stateDir, 'state.json');
    standins = await startAwsStandins({ statePath });
    const answered = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy' });
    const step = standins.imageBuilder.addWaitingStep({ imageName: 'golden' });
    const automation = standins.ssm.startWaitingAutomation({ documentName: 'D', approvers: ['a'] });
    await sfn().send(new SendTaskSuccessCommand({ taskToken: answered.taskToken, output: '{}' }));
    const action = {
      stepExecutionId: step.workflowStepExecutionId,
      imageBuildVersionArn: step.imageBuildVersionArn,
      action: 'RESUME' as const,
      clientToken: 'approval-42',
    };
    await imageBuilder().send(new SendWorkflowStepActionCommand(action));
    // Act
    await standins.close();
    standins = await startAwsStandins({ statePath });
    // Assess
    expect(standins.calls).toEqual([]);
    await expect(
      sfn().send(new SendTaskSuccessCommand({ taskToken: answered.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(imageBuilder().send(new SendWorkflowStepActionCommand(action))).resolves.toMatchObject({
      clientToken: 'approval-42',
    });
    await ssm().send(
      new SendAutomationSignalCommand({
        AutomationExecutionId: automation.automationExecutionId,
        SignalType: 'Approve',
      }),
    );
    expect(standins.ssm.get(automation.automationExecutionId)?.status).toBe('Success');
  });

  it('works through the AWS_ENDPOINT_URL_<SERVICE> variables and shows calls and state as JSON', async () => {
    // Prepare
    const waiting = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy' });
    const names = [
      'AWS_ENDPOINT_URL_SFN',
      'AWS_ENDPOINT_URL_SSM',
      'AWS_ENDPOINT_URL_IMAGEBUILDER',
      'AWS_ENDPOINT_URL_EVENTBRIDGE',
    ];
    const saved = names.map((name) => process.env[name]);
    for (const name of names) process.env[name] = standins.url;
    const config = { region: 'us-east-1', credentials, maxAttempts: 1 };
    try {
      // Act
      await new SFNClient(config).send(new SendTaskSuccessCommand({ taskToken: waiting.taskToken, output: '{}' }));
      await new ImagebuilderClient(config).send(new ListWaitingWorkflowStepsCommand({}));
      await expect(new SSMClient(config).send(new GetParameterCommand({ Name: 'x' }))).rejects.toBeInstanceOf(
        ParameterNotFound,
      );
      await new EventBridgeClient(config).send(
        new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }),
      );
    } finally {
      names.forEach((name, index) => {
        if (saved[index] === undefined) delete process.env[name];
        else process.env[name] = saved[index];
      });
    }
    const calls = (await (await fetch(`${standins.url}/__standins/calls`)).json()) as { operation: string }[];
    const state = (await (await fetch(`${standins.url}/__standins/state`)).json()) as {
      sfn: { executions: Record<string, { status: string }> };
    };
    // Assess
    expect(calls.map((call) => call.operation)).toEqual([
      'SendTaskSuccess',
      'ListWaitingWorkflowSteps',
      'GetParameter',
      'PutEvents',
    ]);
    expect(state.sfn.executions[waiting.executionArn]?.status).toBe('SUCCEEDED');
  });

  it('reset forgets state and calls', async () => {
    // Prepare
    const waiting = standins.stepFunctions.startWaitingExecution({ stateMachineName: 'Deploy' });
    await sfn().send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }));
    // Act
    standins.reset();
    // Assess
    expect(standins.calls).toEqual([]);
    expect(standins.stepFunctions.describe(waiting.executionArn)).toBeUndefined();
  });
});

describe('Lambda durable functions stand-in', () => {
  it('SendDurableExecutionCallbackSuccess takes the raw Result and ends the execution SUCCEEDED; a second answer is CallbackTimeoutException', async () => {
    // Prepare: a callback id with +, / and =, which the SDK percent-encodes in the path
    const waiting = standins.lambda.startWaitingExecution({ functionName: 'deploy', callbackId: 'ab+/cd==' });
    const result = JSON.stringify({ approvalId: 'apr_1', outcome: 'approved' });
    // Act
    await lambda().send(
      new SendDurableExecutionCallbackSuccessCommand({ CallbackId: waiting.callbackId, Result: result }),
    );
    const second = await lambda()
      .send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: waiting.callbackId }))
      .catch((error: unknown) => error);
    const read = await lambda().send(
      new GetDurableExecutionCommand({ DurableExecutionArn: waiting.durableExecutionArn }),
    );
    // Assess
    expect(second).toBeInstanceOf(CallbackTimeoutException);
    expect(standins.callsTo('lambda', 'SendDurableExecutionCallbackSuccess')[0]?.input).toEqual({
      CallbackId: 'ab+/cd==',
      Result: result,
    });
    expect(read).toMatchObject({ Status: 'SUCCEEDED', Result: result, FunctionArn: waiting.functionArn });
    expect(read.EndTimestamp).toBeInstanceOf(Date);
  });

  it('SendDurableExecutionCallbackFailure ends the execution FAILED with the error object', async () => {
    // Prepare
    const waiting = standins.lambda.startWaitingExecution({ functionName: 'deploy' });
    const error = {
      ErrorType: 'Greenlight.Rejected',
      ErrorMessage: 'Rejected by alice',
      ErrorData: '{"outcome":"rejected"}',
    };
    // Act
    await lambda().send(
      new SendDurableExecutionCallbackFailureCommand({ CallbackId: waiting.callbackId, Error: error }),
    );
    // Assess
    expect(standins.lambda.describe(waiting.durableExecutionArn)).toMatchObject({ status: 'FAILED', error });
    const read = await lambda().send(
      new GetDurableExecutionCommand({ DurableExecutionArn: waiting.durableExecutionArn }),
    );
    expect(read).toMatchObject({ Status: 'FAILED', Error: error });
  });

  it('answers the documented errors: malformed id, unknown id, Result over 256 KB, unknown or malformed ARN', async () => {
    // Prepare
    const waiting = standins.lambda.startWaitingExecution({ functionName: 'deploy' });
    const client = lambda();
    // Act + Assess
    await expect(
      client.send(new SendDurableExecutionCallbackSuccessCommand({ CallbackId: 'not-base64!' })),
    ).rejects.toBeInstanceOf(LambdaInvalidParameterValueException);
    await expect(
      client.send(new SendDurableExecutionCallbackFailureCommand({ CallbackId: 'QUJDRA==' })),
    ).rejects.toBeInstanceOf(LambdaResourceNotFoundException);
    await expect(
      client.send(
        new SendDurableExecutionCallbackSuccessCommand({ CallbackId: waiting.callbackId, Result: 'x'.repeat(262_145) }),
      ),
    ).rejects.toBeInstanceOf(LambdaInvalidParameterValueException);
    await expect(
      client.send(new GetDurableExecutionCommand({ DurableExecutionArn: `${waiting.durableExecutionArn}0` })),
    ).rejects.toBeInstanceOf(LambdaResourceNotFoundException);
    await expect(
      client.send(new GetDurableExecutionCommand({ DurableExecutionArn: waiting.functionArn })),
    ).rejects.toBeInstanceOf(LambdaInvalidParameterValueException);
    expect(standins.lambda.describe(waiting.durableExecutionArn)?.status).toBe('RUNNING');
  });

  it('counts heartbeats while the callback waits; past its timeout the callback is closed and the execution FAILED', async () => {
    // Prepare
    const waiting = standins.lambda.startWaitingExecution({ functionName: 'deploy', timeoutSeconds: 60 });
    // Act
    await lambda().send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: waiting.callbackId }));
    clock = new Date(clock.getTime() + 61_000);
    const late = lambda().send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: waiting.callbackId }));
    // Assess
    await expect(late).rejects.toBeInstanceOf(CallbackTimeoutException);
    expect(standins.lambda.describe(waiting.durableExecutionArn)).toMatchObject({
      status: 'FAILED',
      heartbeats: 1,
      error: { ErrorType: 'CallbackTimeoutError' },
    });
  });
});
