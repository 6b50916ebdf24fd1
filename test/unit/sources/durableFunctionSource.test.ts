import {
  GetDurableExecutionCommand,
  LambdaClient,
  LambdaServiceException,
  ResourceNotFoundException,
  SendDurableExecutionCallbackHeartbeatCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../../shared/app/errors';
import { approvalIdFor } from '../../../shared/domain/approval';
import { MAX_REQUEST_BYTES } from '../../../shared/sources/approvalRequestSchema';
import { durableFunctionSource } from '../../../shared/sources/lambda/durableFunctionSource';
import { createSourceClients, createWaitingSources, destroySourceClients } from '../../../shared/sources/sources';
import { sampleEvent, WAITING_EVENT_SAMPLES } from '../../support/fixtures';
import { lambdaApproval } from '../../support/resumeRequests';

const source = durableFunctionSource.waitingSource(durableFunctionSource.createClient({ region: 'us-east-1' }), {});
const EXECUTION_ARN =
  'arn:aws:lambda:us-east-1:111122223333:function:deploy-with-approval:3/durable-execution/deploy-checkout-2-4-1/0c2f6d3e-8b1a-3f4c-9d7e-5a6b8c9d0e1f';

async function captureError(event: unknown): Promise<MalformedEventError> {
  const error = await source.capture(event).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(MalformedEventError);
  return error as MalformedEventError;
}

async function invalidResult(event: unknown) {
  const result = await source.capture(event);
  if (result.kind !== 'invalid') throw new Error(`expected an invalid request, got ${result.kind}`);
  return result;
}

describe('Lambda durable functions source: Approval Requested event', () => {
  it('captures the request, keyed by the callback id, with the execution ARN as the workflow', async () => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    // Act
    const result = await source.capture(event);
    // Assess
    expect(result).toEqual({
      kind: 'waiting',
      item: {
        source: 'lambda',
        naturalKey: event.detail.callbackId,
        sourceRef: { kind: 'lambda', callbackId: event.detail.callbackId, durableExecutionArn: EXECUTION_ARN },
        workflowRef: EXECUTION_ARN,
        title: 'Deploy checkout 2.4.1 to production',
        description: event.detail.description,
        context: event.detail.context,
        approvers: ['email:alice@example.com', 'slack:U024BE7LH'],
        requiredApprovals: 1,
        requestedBy: 'email:bob@example.com',
        timeoutSeconds: 86400,
      },
    });
  });

  it('gives a request without a title one naming the function, and keeps heartbeatSeconds', async () => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    delete event.detail.title;
    event.detail.heartbeatSeconds = 3600;
    // Act
    const result = await source.capture(event);
    // Assess
    expect(result.kind === 'waiting' && result.item).toMatchObject({
      title: 'Lambda durable execution of deploy-with-approval',
      heartbeatSeconds: 3600,
    });
  });

  it('a retried submitter (the same callback id again) meets the same approval id', async () => {
    // Prepare
    const first = sampleEvent('lambda/approval-requested');
    const retry = structuredClone(first);
    retry.id = 'a-new-eventbridge-id';
    retry.time = '2026-03-04T15:02:40Z';
    // Act
    const results = [await source.capture(first), await source.capture(retry)];
    // Assess
    const ids = results.map((result) =>
      result.kind === 'waiting' ? approvalIdFor('lambda', result.item.naturalKey) : '',
    );
    expect(ids[0]).toMatch(/^apr_/);
    expect(ids[1]).toBe(ids[0]);
  });

  it('recognises Approval Requested with a callback id and no task token, from any caller-chosen source', () => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    event.source = 'my.other.app';
    const withToken = structuredClone(event);
    withToken.detail.taskToken = 'AAAA';
    const otherType = structuredClone(event);
    otherType['detail-type'] = 'Approval Granted';
    // Act + Assess
    expect(source.recognises(event)).toBe(true);
    expect(source.recognises(withToken)).toBe(false);
    expect(source.recognises(otherType)).toBe(false);
    expect(source.recognises(sampleEvent('stepfunctions/approval-requested'))).toBe(false);
  });
});

describe('every waiting sample is recognised by exactly one source', () => {
  const clients = createSourceClients({ region: 'us-east-1' });
  const sources = createWaitingSources(clients);
  afterAll(() => destroySourceClients(clients));

  it.each(WAITING_EVENT_SAMPLES)('%s', (name) => {
    // Act
    const recognising = sources.filter((candidate) => candidate.recognises(sampleEvent(name)));
    // Assess
    expect(recognising.map((candidate) => candidate.kind)).toEqual([name.split('/')[0]]);
  });

  it('and so is an Approval Requested event with neither handle (Step Functions names what is missing)', () => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    delete event.detail.callbackId;
    // Act
    const recognising = sources.filter((candidate) => candidate.recognises(event)).map((candidate) => candidate.kind);
    // Assess
    expect(recognising).toEqual(['stepfunctions']);
  });
});

describe('Lambda durable functions source: invalid requests with a callback id are answerable, naming paths never values', () => {
  it('a field out of its rules is invalid, with the callback id kept to refuse it', async () => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    event.detail.requiredApprovals = 0;
    // Act
    const result = await invalidResult(event);
    // Assess
    expect(result.wait).toEqual({
      source: 'lambda',
      naturalKey: event.detail.callbackId,
      sourceRef: { kind: 'lambda', callbackId: event.detail.callbackId, durableExecutionArn: EXECUTION_ARN },
      workflowRef: EXECUTION_ARN,
    });
    expect(result.issues.map((issue) => issue.path)).toEqual(['detail.requiredApprovals']);
  });

  it('a missing or malformed execution ARN is invalid, with no workflow', async () => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    event.detail.durableExecutionArn = 'arn:aws:lambda:us-east-1:111122223333:function:deploy-with-approval';
    // Act
    const result = await invalidResult(event);
    // Assess
    expect(result.wait.workflowRef).toBe('');
    expect(result.issues).toEqual([
      { path: 'detail.durableExecutionArn', message: 'must be a Lambda durable execution ARN' },
    ]);
    expect(JSON.stringify(result.issues)).not.toContain(event.detail.callbackId);
  });

  it('an execution of another account than the one that put the event is invalid (it would pick another policy rule)', async () => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    event.account = '999999999999';
    // Act
    const result = await invalidResult(event);
    // Assess
    expect(result.issues).toEqual([
      { path: 'detail.durableExecutionArn', message: 'must be a durable execution of the account that put the event' },
    ]);
    expect(result.wait.workflowRef).toBe('');
  });

  it(`a request over ${MAX_REQUEST_BYTES} bytes is invalid as a whole, without telling a context field's name`, async () => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    event.detail.context.fields = { 'db-password=hunter2': 'x'.repeat(MAX_REQUEST_BYTES) };
    // Act
    const result = await invalidResult(event);
    // Assess
    expect(result.issues.map((issue) => issue.path)).toEqual(['detail', 'detail.context.fields.[field name]']);
    expect(JSON.stringify(result.issues)).not.toContain('hunter2');
  });
});

describe('Lambda durable functions source: events without a usable callback id are malformed', () => {
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not base64', 'not base64!'],
    ['over 1024 characters', 'A'.repeat(1025)],
    ['not a string', 42],
  ])('callback id %s → MalformedEventError naming detail.callbackId, never its value', async (_, callbackId) => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    event.detail.callbackId = callbackId;
    event.detail.requiredApprovals = 0;
    // Act
    const error = await captureError(event);
    // Assess
    expect(error.issues.map((issue) => issue.path)).toContain('detail.callbackId');
    expect(error.issues.map((issue) => issue.path)).toContain('detail.requiredApprovals');
    if (typeof callbackId === 'string' && callbackId.length > 3) expect(error.message).not.toContain(callbackId);
  });

  it('a detail that is not an object is malformed', async () => {
    // Prepare
    const event = sampleEvent('lambda/approval-requested');
    event.detail = 'callbackId';
    // Act
    const error = await captureError(event);
    // Assess
    expect(error.issues.map((issue) => issue.path)).toEqual(['detail']);
  });
});

describe('Lambda durable functions source: endings', () => {
  it.each([
    ['lambda/durable-execution-status-change-succeeded', 'SUCCEEDED'],
    ['lambda/durable-execution-status-change-stopped', 'STOPPED'],
    ['lambda/durable-execution-status-change-timed-out', 'TIMED_OUT'],
  ])('%s ends the execution (%s)', (name, status) => {
    // Act
    const event = sampleEvent(name);
    // Assess
    expect(durableFunctionSource.endings.recognises(event)).toBe(true);
    expect(durableFunctionSource.endings.read(event)).toEqual({ source: 'lambda', workflowRef: EXECUTION_ARN, status });
  });

  it('a RUNNING status change is not an ending', () => {
    // Prepare
    const event = sampleEvent('lambda/durable-execution-status-change-stopped');
    event.detail.status = 'RUNNING';
    // Act + Assess
    expect(() => durableFunctionSource.endings.read(event)).toThrow(MalformedEventError);
  });
});

describe('Lambda durable functions probe', () => {
  const lambdaMock = mockClient(LambdaClient);
  const probe = durableFunctionSource.probe(new LambdaClient({ region: 'us-east-1' }));
  const approval = lambdaApproval({ callbackId: 'Q2FsbGJhY2s=', durableExecutionArn: EXECUTION_ARN }, 'Deploy');
  beforeEach(() => lambdaMock.reset());

  it.each([
    ['RUNNING', { kind: 'waiting' }],
    ['SUCCEEDED', { kind: 'ended', status: 'SUCCEEDED' }],
    ['STOPPED', { kind: 'ended', status: 'STOPPED' }],
    ['TIMED_OUT', { kind: 'ended', status: 'TIMED_OUT' }],
    ['FAILED', { kind: 'ended', status: 'FAILED' }],
  ] as const)('GetDurableExecution status %s → %o', async (status, expected) => {
    // Prepare
    lambdaMock.on(GetDurableExecutionCommand).resolves({ Status: status });
    // Act
    const state = await probe.stillWaiting(approval);
    // Assess
    expect(state).toEqual(expected);
    expect(lambdaMock.commandCalls(GetDurableExecutionCommand)[0]?.args[0].input).toEqual({
      DurableExecutionArn: EXECUTION_ARN,
    });
  });

  it('an execution Lambda does not know has ended; throttling is unknown', async () => {
    // Prepare
    lambdaMock
      .on(GetDurableExecutionCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'not found', $metadata: {} }))
      .rejectsOnce(
        new LambdaServiceException({
          name: 'TooManyRequestsException',
          $fault: 'client',
          $metadata: {},
          message: 'slow',
        }),
      );
    // Act
    const states = [await probe.stillWaiting(approval), await probe.stillWaiting(approval)];
    // Assess
    expect(states).toEqual([
      { kind: 'ended', status: 'not found' },
      { kind: 'unknown', reason: 'TooManyRequestsException' },
    ]);
  });

  it('keepAlive sends one heartbeat for the callback; a closed callback has ended', async () => {
    // Prepare
    lambdaMock
      .on(SendDurableExecutionCallbackHeartbeatCommand)
      .resolvesOnce({})
      .rejectsOnce(
        new LambdaServiceException({ name: 'CallbackTimeoutException', $fault: 'client', $metadata: {}, message: 'x' }),
      );
    // Act
    const states = [await probe.keepAlive?.(approval), await probe.keepAlive?.(approval)];
    // Assess
    expect(states).toEqual([{ kind: 'waiting' }, { kind: 'ended', status: 'not found' }]);
    expect(lambdaMock.commandCalls(SendDurableExecutionCallbackHeartbeatCommand)[0]?.args[0].input).toEqual({
      CallbackId: 'Q2FsbGJhY2s=',
    });
  });
});
