import {
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  SSMClient,
  ThrottlingException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../../shared/app/errors';
import { approverIdentity } from '../../../shared/sources/ssm/ssmAutomationCapture';
import { ssmAutomationSource } from '../../../shared/sources/ssm/ssmAutomationSource';
import { sampleEvent } from '../../support/fixtures';

const ssm = new SSMClient({ region: 'us-east-1' });
const ssmMock = mockClient(ssm);
const source = ssmAutomationSource.waitingSource(ssm, {});
const EXECUTION_ID = '4f3b2a1c-9d8e-4c7b-a6f5-0e1d2c3b4a59';
const APPROVE_STEP_ID = '6c5b4a39-2817-4f6e-a5d4-c3b2a1908f7e';

function waitingAutomation() {
  return sampleEvent('ssm/get-automation-execution-waiting.response');
}

beforeEach(() => {
  ssmMock.reset();
  ssmMock.on(GetAutomationExecutionCommand, { AutomationExecutionId: EXECUTION_ID }).resolves(waitingAutomation());
});

describe('SSM Automation source', () => {
  it('captures the waiting aws:approve step with approvers and message from GetAutomationExecution', async () => {
    // Act
    const result = await source.capture(sampleEvent('ssm/automation-step-waiting'));
    // Assess
    expect(result).toEqual({
      kind: 'waiting',
      item: {
        source: 'ssm',
        naturalKey: `${EXECUTION_ID}:${APPROVE_STEP_ID}`,
        sourceRef: {
          kind: 'ssm',
          automationExecutionId: EXECUTION_ID,
          stepName: 'approve',
          stepExecutionId: APPROVE_STEP_ID,
          documentName: 'Greenlight-DeployWithApproval',
        },
        workflowRef: EXECUTION_ID,
        title: 'Automation Greenlight-DeployWithApproval: step approve awaits approval',
        description: 'Approve deploying checkout-service 2.4.1 to production',
        context: {
          fields: { automationExecution: EXECUTION_ID, document: 'Greenlight-DeployWithApproval', step: 'approve' },
        },
        approvers: ['iam:arn:aws:iam::111122223333:role/greenlight-resume', 'iam:arn:aws:iam::111122223333:user/alice'],
        requestedBy: 'iam:arn:aws:iam::111122223333:user/bob',
      },
    });
    expect(ssmMock.commandCalls(GetAutomationExecutionCommand)).toHaveLength(1);
  });

  it("leaves Greenlight's own role out of the approvers (runbooks list it so that it may signal)", async () => {
    const own = ssmAutomationSource.waitingSource(ssm, {
      ownRoleArns: ['arn:aws:iam::111122223333:role/greenlight-resume'],
    });
    const result = await own.capture(sampleEvent('ssm/automation-step-waiting'));
    expect(result.kind === 'waiting' && result.item.approvers).toEqual(['iam:arn:aws:iam::111122223333:user/alice']);
  });

  it("leaves every one of Greenlight's roles out of the approvers (one per function that answers SSM waits)", async () => {
    // Prepare: the runbook lists two of Greenlight's roles beside a person
    const roles = [
      'arn:aws:iam::111122223333:role/greenlight-prod-us-east-1-capture',
      'arn:aws:iam::111122223333:role/greenlight-prod-us-east-1-restApi',
      'arn:aws:iam::111122223333:role/greenlight-prod-us-east-1-lifecycle',
    ];
    const response = waitingAutomation();
    response.AutomationExecution.StepExecutions[1].Inputs.Approvers = JSON.stringify([
      roles[0],
      'arn:aws:iam::111122223333:user/alice',
      roles[2],
    ]);
    ssmMock.on(GetAutomationExecutionCommand).resolves(response);
    // Act
    const result = await ssmAutomationSource
      .waitingSource(ssm, { ownRoleArns: roles })
      .capture(sampleEvent('ssm/automation-step-waiting'));
    // Assess
    expect(result.kind === 'waiting' && result.item.approvers).toEqual(['iam:arn:aws:iam::111122223333:user/alice']);
  });

  it('maps the step and the execution event of one wait to the same natural key', async () => {
    const fromStep = await source.capture(sampleEvent('ssm/automation-step-waiting'));
    const fromExecution = await source.capture(sampleEvent('ssm/automation-execution-waiting'));
    expect(fromExecution.kind === 'waiting' && fromExecution.item.naturalKey).toBe(
      fromStep.kind === 'waiting' && fromStep.item.naturalKey,
    );
  });

  it("ignores MinRequiredApprovals: it is the runbook's setting for Greenlight's own role, not the people's quorum", async () => {
    const response = waitingAutomation();
    response.AutomationExecution.StepExecutions[1].Inputs.MinRequiredApprovals = '1';
    ssmMock.on(GetAutomationExecutionCommand).resolves(response);
    const result = await source.capture(sampleEvent('ssm/automation-step-waiting'));
    expect(result.kind === 'waiting' && 'requiredApprovals' in result.item).toBe(false);
  });

  it('names an IAM Identity Center requester by its session ARN in canonical form', async () => {
    const response = waitingAutomation();
    response.AutomationExecution.ExecutedBy =
      ' arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Deployers_0123456789abcdef/carol@example.com ';
    ssmMock.on(GetAutomationExecutionCommand).resolves(response);
    const result = await source.capture(sampleEvent('ssm/automation-step-waiting'));
    expect(result.kind === 'waiting' && result.item.requestedBy).toBe(
      'iam:arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Deployers_0123456789abcdef/carol@example.com',
    );
  });

  it('names IAM user-name approvers by their user ARN', () => {
    expect(approverIdentity('alice', '111122223333')).toBe('iam:arn:aws:iam::111122223333:user/alice');
    expect(approverIdentity('arn:aws:iam::111122223333:role/ops', '111122223333')).toBe(
      'iam:arn:aws:iam::111122223333:role/ops',
    );
  });

  it('recognises both status-change detail-types from aws.ssm only', () => {
    expect(source.recognises(sampleEvent('ssm/automation-step-waiting'))).toBe(true);
    expect(source.recognises(sampleEvent('ssm/automation-execution-waiting'))).toBe(true);
    const spoofed = sampleEvent('ssm/automation-step-waiting');
    spoofed.source = 'com.example';
    expect(source.recognises(spoofed)).toBe(false);
  });

  describe('events after which nothing waits create nothing', () => {
    it('a status other than Waiting', async () => {
      const event = sampleEvent('ssm/automation-execution-success');
      const result = await source.capture(event);
      expect(result).toEqual({ kind: 'not-waiting', reason: 'automation status is Success' });
      expect(ssmMock.calls()).toHaveLength(0);
    });

    it('a waiting step that is not aws:approve (aws:pause)', async () => {
      const event = sampleEvent('ssm/automation-step-waiting');
      event.detail.Action = 'aws:pause';
      expect((await source.capture(event)).kind).toBe('not-waiting');
    });

    it('an automation that moved on before we looked', async () => {
      const response = waitingAutomation();
      response.AutomationExecution.StepExecutions[1].StepStatus = 'Success';
      ssmMock.on(GetAutomationExecutionCommand).resolves(response);
      expect(await source.capture(sampleEvent('ssm/automation-step-waiting'))).toEqual({
        kind: 'not-waiting',
        reason: 'the automation no longer waits at an aws:approve step',
      });
    });

    it('an automation execution SSM does not know', async () => {
      ssmMock
        .on(GetAutomationExecutionCommand)
        .rejects(new AutomationExecutionNotFoundException({ message: 'not found', $metadata: {} }));
      expect((await source.capture(sampleEvent('ssm/automation-step-waiting'))).kind).toBe('not-waiting');
    });
  });

  it('lets a throttled GetAutomationExecution fail so that Lambda retries the event', async () => {
    ssmMock
      .on(GetAutomationExecutionCommand)
      .rejects(new ThrottlingException({ message: 'slow down', Message: 'slow down', $metadata: {} }));
    await expect(source.capture(sampleEvent('ssm/automation-step-waiting'))).rejects.toBeInstanceOf(
      ThrottlingException,
    );
  });

  const cases: Array<[string, (event: ReturnType<typeof sampleEvent>) => void, string]> = [
    ['missing ExecutionId', (event) => delete event.detail.ExecutionId, 'detail.ExecutionId'],
    ['malformed ExecutionId', (event) => (event.detail.ExecutionId = '../../etc'), 'detail.ExecutionId'],
    ['missing Status', (event) => delete event.detail.Status, 'detail.Status'],
    ['non-JSON detail', (event) => (event.detail = 'Status=Waiting'), 'detail'],
  ];
  it.each(cases)('refuses %s without calling SSM', async (_name, corrupt, path) => {
    const event = sampleEvent('ssm/automation-step-waiting');
    corrupt(event);
    const error = await source.capture(event).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MalformedEventError);
    expect((error as MalformedEventError).issues.map((issue) => issue.path)).toContain(path);
    expect(ssmMock.calls()).toHaveLength(0);
  });
});
