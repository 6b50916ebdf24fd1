import { describe, expect, it } from 'vitest';
import { MalformedEventError } from '../../../shared/app/errors';
import { stepFunctionsSource } from '../../../shared/sources/stepfunctions/stepFunctionsSource';
import { sampleEvent } from '../../support/fixtures';

const source = stepFunctionsSource.waitingSource(stepFunctionsSource.createClient(), {});
const EXECUTION_ARN =
  'arn:aws:states:us-east-1:111122223333:execution:checkout-deploy:7f5e0a0e-2d0b-4b8e-9a57-3c1f0d6e9b21';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:111122223333:stateMachine:checkout-deploy';

async function captureError(event: unknown): Promise<MalformedEventError> {
  const error = await source.capture(event).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(MalformedEventError);
  return error as MalformedEventError;
}

/** An invalid request that carries a usable token: answered with a refusal, so the result names the issues. */
async function invalidResult(event: unknown) {
  const result = await source.capture(event);
  if (result.kind !== 'invalid') throw new Error(`expected an invalid request, got ${result.kind}`);
  return result;
}

describe('Step Functions source: Approval Requested event', () => {
  it('captures the request with the execution and state machine ARNs from resources', async () => {
    // Prepare
    const event = sampleEvent('stepfunctions/approval-requested');
    // Act
    const result = await source.capture(event);
    // Assess
    expect(result).toEqual({
      kind: 'waiting',
      item: {
        source: 'stepfunctions',
        naturalKey: event.detail.taskToken,
        sourceRef: {
          kind: 'stepfunctions',
          taskToken: event.detail.taskToken,
          executionArn: EXECUTION_ARN,
          stateMachineArn: STATE_MACHINE_ARN,
        },
        workflowRef: EXECUTION_ARN,
        title: 'Deploy checkout-service 2.4.1 to production',
        description: event.detail.description,
        context: event.detail.context,
        approvers: ['email:alice@example.com', 'slack:U024BE7LH'],
        requiredApprovals: 1,
        requestedBy: 'email:bob@example.com',
        timeoutSeconds: 86400,
      },
    });
  });

  it('reads the execution and state machine ARNs Step Functions appended (after any the author listed)', async () => {
    // Prepare: the author lists another workflow's execution first, to be matched by a weaker policy rule
    const event = sampleEvent('stepfunctions/approval-requested');
    const sandbox = 'arn:aws:states:us-east-1:111122223333:execution:sandbox:whatever';
    event.resources = [sandbox, 'arn:aws:states:us-east-1:111122223333:stateMachine:sandbox', ...event.resources];
    // Act
    const result = await source.capture(event);
    // Assess
    expect(result.kind === 'waiting' && result.item.workflowRef).toBe(EXECUTION_ARN);
  });

  it.each([
    [
      'an execution of another state machine',
      [EXECUTION_ARN, 'arn:aws:states:us-east-1:111122223333:stateMachine:other'],
    ],
    [
      'a workflow in another account',
      [
        'arn:aws:states:us-east-1:999999999999:execution:checkout-deploy:x',
        'arn:aws:states:us-east-1:999999999999:stateMachine:checkout-deploy',
      ],
    ],
  ])('refuses %s as the appended pair', async (_name, resources) => {
    const event = sampleEvent('stepfunctions/approval-requested');
    event.resources = resources;
    const result = await invalidResult(event);
    expect(result.issues.map((issue) => issue.path)).toEqual(['resources']);
  });

  it('gives a minimal request (token only) a title from the execution name and no policy of its own', async () => {
    const result = await source.capture(sampleEvent('stepfunctions/approval-requested-minimal'));
    expect(result.kind).toBe('waiting');
    if (result.kind !== 'waiting') return;
    expect(result.item.title).toMatch(/^Step Functions execution /);
    expect(result.item.approvers).toBeUndefined();
    expect(result.item.requiredApprovals).toBeUndefined();
  });

  it('recognises Approval Requested from any caller-chosen source, and nothing else', () => {
    const event = sampleEvent('stepfunctions/approval-requested');
    event.source = 'my.other.app';
    expect(source.recognises(event)).toBe(true);
    event['detail-type'] = 'Approval Granted';
    expect(source.recognises(event)).toBe(false);
    expect(source.recognises(sampleEvent('imagebuilder/workflow-step-waiting'))).toBe(false);
  });
});

describe('Step Functions source: direct lambda:invoke.waitForTaskToken payload', () => {
  it('captures the payload, mapping the same token to the same natural key as the event', async () => {
    // Prepare
    const payload = sampleEvent('stepfunctions/lambda-invoke-payload');
    const event = sampleEvent('stepfunctions/approval-requested');
    // Act
    const direct = await source.capture(payload);
    const viaEvent = await source.capture(event);
    // Assess
    expect(source.recognises(payload)).toBe(true);
    expect(direct.kind === 'waiting' && direct.item.sourceRef).toEqual({
      kind: 'stepfunctions',
      taskToken: payload.taskToken,
      executionArn: payload.executionArn,
      stateMachineArn: payload.stateMachineArn,
    });
    expect(direct.kind === 'waiting' && direct.item.naturalKey).toBe(
      viaEvent.kind === 'waiting' && viaEvent.item.naturalKey,
    );
  });

  it('refuses a payload without the execution ARN, saying where it comes from', async () => {
    const payload = sampleEvent('stepfunctions/lambda-invoke-payload');
    delete payload.executionArn;
    const result = await invalidResult(payload);
    expect(result.issues).toEqual([{ path: 'executionArn', message: 'is required (pass $$.Execution.Id)' }]);
    expect(result.wait.sourceRef).toMatchObject({ kind: 'stepfunctions', taskToken: payload.taskToken });
  });

  it('refuses a payload whose execution ARN is not one', async () => {
    const payload = sampleEvent('stepfunctions/lambda-invoke-payload');
    payload.executionArn = 'arn:aws:lambda:us-east-1:111122223333:function:not-an-execution';
    const result = await invalidResult(payload);
    expect(result.issues[0]?.path).toBe('executionArn');
  });
});

describe('Step Functions source: a request larger than the cap', () => {
  it('is invalid as a whole, with the token kept to answer it', async () => {
    // Prepare: 40 KiB of description (the field's own limit is 4000 characters, the request's 32 KiB)
    const event = sampleEvent('stepfunctions/approval-requested');
    event.detail.context.fields = { notes: 'x'.repeat(1000) };
    event.detail.padding = 'y'.repeat(40 * 1024);
    // Act
    const result = await invalidResult(event);
    // Assess
    expect(result.issues).toContainEqual({ path: 'detail', message: 'must be at most 32768 bytes of JSON' });
  });

  it('never tells the name of a context field (the requester chose it; it may be a secret)', async () => {
    const event = sampleEvent('stepfunctions/approval-requested');
    event.detail.context.fields = { 'db-password=Hunter2!': 'x'.repeat(1001) };
    const result = await invalidResult(event);
    expect(JSON.stringify(result.issues)).not.toContain('Hunter2');
    expect(result.issues.map((issue) => issue.path)).toContain('detail.context.fields.[field name]');
  });

  it('refuses more than 20 context fields', async () => {
    const event = sampleEvent('stepfunctions/approval-requested');
    event.detail.context.fields = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`field${i}`, 'v']));
    const result = await invalidResult(event);
    expect(result.issues.map((issue) => issue.path)).toContain('detail.context.fields');
  });
});

describe('Step Functions source: events without a usable token are malformed, naming the path and never the value', () => {
  const cases: Array<[string, (event: ReturnType<typeof sampleEvent>) => void, string]> = [
    ['missing task token', (event) => delete event.detail.taskToken, 'detail.taskToken'],
    ['empty task token', (event) => (event.detail.taskToken = ''), 'detail.taskToken'],
    ['task token of the wrong type', (event) => (event.detail.taskToken = 42), 'detail.taskToken'],
    ['oversized task token', (event) => (event.detail.taskToken = 'x'.repeat(2049)), 'detail.taskToken'],
    ['non-JSON detail', (event) => (event.detail = '{"taskToken": "abc"'), 'detail'],
    ['detail that is an array', (event) => (event.detail = []), 'detail'],
    ['a missing event time', (event) => delete event.time, 'time'],
  ];

  it.each(cases)('%s', async (_name, corrupt, path) => {
    // Prepare
    const event = sampleEvent('stepfunctions/approval-requested');
    const token = event.detail.taskToken;
    corrupt(event);
    // Act
    const error = await captureError(event);
    // Assess
    expect(error.source).toBe('stepfunctions');
    expect(error.issues.map((issue) => issue.path)).toContain(path);
    expect(error.message).not.toContain(token);
    expect(JSON.stringify(error.issues)).not.toContain(token.slice(0, 20));
  });
});

describe('Step Functions source: invalid requests with a token are answerable, naming the path and never the value', () => {
  const cases: Array<[string, (event: ReturnType<typeof sampleEvent>) => void, string]> = [
    ['no execution ARN in resources', (event) => (event.resources = [STATE_MACHINE_ARN]), 'resources'],
    ['a bad ARN in resources', (event) => (event.resources = ['arn:aws:states:nowhere']), 'resources'],
    ['an approver that is not an identity', (event) => (event.detail.approvers = ['alice']), 'detail.approvers.0'],
    ['a quorum larger than the approvers', (event) => (event.detail.requiredApprovals = 3), 'detail.requiredApprovals'],
    ['a fractional quorum', (event) => (event.detail.requiredApprovals = 1.5), 'detail.requiredApprovals'],
    ['a negative timeout', (event) => (event.detail.timeoutSeconds = -1), 'detail.timeoutSeconds'],
    [
      'a javascript: link',
      (event) => (event.detail.context.links[0].url = 'javascript:alert(1)'),
      'detail.context.links.0.url',
    ],
    ['a title with a terminal escape sequence', (event) => (event.detail.title = 'ok\r\u001b[2Kfine'), 'detail.title'],
    [
      'an approver with a zero-width space',
      (event) => (event.detail.approvers = ['email:al\u200bice@example.com']),
      'detail.approvers.0',
    ],
    [
      'a requester with a bidi override',
      (event) => (event.detail.requestedBy = 'email:\u202ecarol@example.com'),
      'detail.requestedBy',
    ],
  ];

  it.each(cases)('%s', async (_name, corrupt, path) => {
    // Prepare
    const event = sampleEvent('stepfunctions/approval-requested');
    const token = event.detail.taskToken;
    corrupt(event);
    // Act
    const result = await invalidResult(event);
    // Assess
    expect(result.wait).toMatchObject({ source: 'stepfunctions', naturalKey: token });
    expect(result.issues.map((issue) => issue.path)).toContain(path);
    expect(JSON.stringify(result.issues)).not.toContain(token.slice(0, 20));
  });
});
