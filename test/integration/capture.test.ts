/**
 * capture end to end on the local stack: events routed by serverless.yml's own rules to the real handler, which
 * writes to dynalite and reads SSM through the wire-level stand-in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/localStack';
import { registerSampleAutomation, registerSamplePipeline } from '../../infra/local/seedWaitingWorkflows';
import type { Approval } from '../../shared/domain/approval';
import { transition } from '../../shared/domain/approvalStateMachine';
import { sampleEvent, WAITING_EVENT_SAMPLES } from '../support/fixtures';
import { approvalItems, clearTable } from '../support/localStackHelpers';
import { captureLogs, type LogCapture } from '../support/logCapture';

let stack: LocalStack;
let logs: LogCapture;
const secrets: string[] = [];

beforeAll(async () => {
  process.env.LOG_LEVEL = 'INFO';
  logs = captureLogs();
  stack = await startLocalStack();
  registerSampleAutomation(stack.standins);
  registerSamplePipeline(stack.standins);
  secrets.push(
    sampleEvent('stepfunctions/approval-requested').detail.taskToken,
    sampleEvent('stepfunctions/approval-requested-minimal').detail.taskToken,
    sampleEvent('codepipeline/get-pipeline-state.response').stageStates[1].actionStates[0].latestExecution.token,
  );
});

afterAll(async () => {
  await stack?.close();
  logs?.restore();
});

beforeEach(async () => {
  await clearTable();
});

/** A copy of `event` without `event[part][field]`. */
function without(event: Record<string, Record<string, unknown>>, part: string, field: string) {
  const { [field]: _removed, ...rest } = event[part] ?? {};
  return { ...event, [part]: rest };
}

/** Delivers a sample as AWS would: EventBridge events through the bus, the Step Functions payload by direct invoke. */
async function deliver(name: string): Promise<string | undefined> {
  const event = sampleEvent(name);
  if (name === 'stepfunctions/lambda-invoke-payload') {
    const result = (await stack.functions.invoke('capture', event)) as { approvalId: string };
    return result.approvalId;
  }
  const deliveries = await stack.publish(event);
  expect(deliveries).toHaveLength(1);
  expect(deliveries[0]?.ok).toBe(true);
  return (deliveries[0]?.result as { approvalId?: string } | undefined)?.approvalId;
}

describe('capture is idempotent under duplicate and concurrent delivery', () => {
  it.each(WAITING_EVENT_SAMPLES)('%s delivered twice leaves exactly one pending item', async (name) => {
    // Act
    const first = await deliver(name);
    const second = await deliver(name);
    // Assess
    const items = await approvalItems();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: first, status: 'pending', version: 1 });
    expect(second).toBe(first);
  });

  it.each(WAITING_EVENT_SAMPLES)('%s delivered 20 times at once leaves exactly one item', async (name) => {
    // Act
    const ids = await Promise.all(Array.from({ length: 20 }, () => deliver(name)));
    // Assess
    expect(new Set(ids).size).toBe(1);
    expect(await approvalItems()).toHaveLength(1);
  });

  it.each(WAITING_EVENT_SAMPLES)('a late duplicate of %s never resets an approval that moved on', async (name) => {
    // Prepare
    const id = (await deliver(name)) as string;
    const captured = await stack.store.get(id);
    await stack.store.update(transition(captured as Approval, 'cancelled', { at: new Date(), reason: 'test' }));
    // Act
    const again = await deliver(name);
    // Assess
    expect(again).toBe(id);
    expect(await stack.store.get(id)).toMatchObject({ status: 'cancelled', version: 2 });
  });

  it('the SSM step and execution events of one wait, and the Step Functions event and payload of one token, meet', async () => {
    await deliver('ssm/automation-step-waiting');
    await deliver('ssm/automation-execution-waiting');
    await deliver('stepfunctions/approval-requested');
    await deliver('stepfunctions/lambda-invoke-payload');
    expect(await approvalItems()).toHaveLength(2);
  });
});

describe('malformed events are rejected with a logged reason, dead-lettered after bounded retries, and create nothing', () => {
  /** Each case: the sample to start from, what to break in it (a function returning the broken event), the reason. */
  const cases: Array<[string, string, (event: ReturnType<typeof sampleEvent>) => unknown, RegExp]> = [
    [
      'missing task token',
      'stepfunctions/approval-requested',
      (e) => without(e, 'detail', 'taskToken'),
      /detail\.taskToken/,
    ],
    [
      'wrong detail-type',
      'stepfunctions/approval-requested',
      (e) => ({ ...e, 'detail-type': 'Approval Wanted' }),
      /no waiting source handles/,
    ],
    [
      'non-JSON detail',
      'stepfunctions/approval-requested',
      (e) => ({ ...e, detail: '{"taskToken":' }),
      /detail: must be a JSON object/,
    ],
    [
      'bad image ARN',
      'imagebuilder/workflow-step-waiting',
      (e) => ({ ...e, resources: ['arn:aws:imagebuilder:x'] }),
      /resources/,
    ],
    [
      'bad automation id',
      'ssm/automation-step-waiting',
      (e) => ({ ...e, detail: { ...e.detail, ExecutionId: 'nope' } }),
      /detail\.ExecutionId/,
    ],
    [
      'not an object at all',
      'stepfunctions/approval-requested',
      () => 'just a string',
      /no waiting source handles a string value/,
    ],
  ];

  it.each(cases)('%s', async (_name, sample, corrupt, reason) => {
    // Prepare
    const event = corrupt(sampleEvent(sample));
    const logStart = logs.lines().length;
    // Act: invoked as EventBridge invokes it (asynchronously, with Lambda's retries)
    const result = await stack.functions.invokeAsync('capture', event);
    // Assess
    expect(result).toMatchObject({ ok: false, attempts: 3, error: { name: 'MalformedEventError' } });
    expect(result.error?.message).toMatch(reason);
    expect(stack.functions.deadLetters.at(-1)?.event).toEqual(event);
    const rejections = logs
      .lines()
      .slice(logStart)
      .filter((line) => line.message === 'event rejected');
    expect(rejections.length).toBeGreaterThan(0);
    const issues = (rejections[0]?.issues ?? []) as Array<{ path: string; message: string }>;
    const logged = `${rejections[0]?.reason}: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`;
    expect(logged).toMatch(reason);
    expect(rejections[0]?.level).toBe('ERROR');
    expect(await approvalItems()).toHaveLength(0);
  });
});

describe('requests that cannot become approvals are answered at once, exactly once, and create nothing', () => {
  /** A sample Step Functions event whose token the stand-in knows as a waiting task, changed by `change`. */
  function waitingRequest(
    change: (event: ReturnType<typeof sampleEvent>) => void,
    stateMachineName = 'checkout-deploy',
  ) {
    const event = sampleEvent('stepfunctions/approval-requested');
    const waiting = stack.standins.stepFunctions.startWaitingExecution({ stateMachineName });
    event.detail.taskToken = waiting.taskToken;
    event.resources = [waiting.executionArn, waiting.stateMachineArn];
    change(event);
    return { event, waiting };
  }

  const failures = () => stack.standins.callsTo('sfn', 'SendTaskFailure');
  /** The input of the first SendTaskFailure call (fails the test when there was none). */
  const firstFailure = () => {
    const [call] = failures();
    if (call === undefined) throw new Error('no SendTaskFailure call');
    return call.input as { error: string; cause: string };
  };
  const approvalIdOf = (delivery: { result?: unknown } | undefined) =>
    (delivery?.result as { approvalId: string } | undefined)?.approvalId ?? '';
  let deadLettersBefore = 0;
  const newDeadLetters = () => stack.functions.deadLetters.length - deadLettersBefore;

  beforeEach(() => {
    stack.standins.reset();
    deadLettersBefore = stack.functions.deadLetters.length;
  });

  it('an invalid request with a task token gets SendTaskFailure Greenlight.InvalidRequest naming the fields, not values', async () => {
    // Prepare
    const { event, waiting } = waitingRequest((e) => {
      e.detail.approvers = ['email:car\u200bol@example.com'];
    });
    // Act
    const [delivery] = await stack.publish(event);
    // Assess
    expect(delivery?.result).toMatchObject({ outcome: 'refused', error: 'Greenlight.InvalidRequest', answered: true });
    expect(failures()).toHaveLength(1);
    const input = firstFailure();
    expect(input.error).toBe('Greenlight.InvalidRequest');
    expect(JSON.parse(input.cause)).toMatchObject({
      outcome: 'refused',
      reason: expect.stringContaining('detail.approvers.0'),
    });
    expect(input.cause).not.toContain('car');
    expect(stack.standins.stepFunctions.describe(waiting.executionArn)?.status).toBe('FAILED');
    expect(await approvalItems()).toEqual([
      expect.objectContaining({
        status: 'cancelled',
        refusal: expect.objectContaining({ error: 'Greenlight.InvalidRequest', answered: true }),
      }),
    ]);
    expect(newDeadLetters()).toBe(0);
  });

  it('a request naming only people outside the policy gets Greenlight.NoEligibleApprovers and e-mails nobody', async () => {
    // Prepare: the attack from the issue: mallory names herself as the approver
    const { event } = waitingRequest((e) => {
      e.detail.approvers = ['email:mallory@evil.example'];
      e.detail.requiredApprovals = 1;
    });
    // Act
    const [delivery] = await stack.publish(event);
    // Assess
    expect(delivery?.result).toMatchObject({ outcome: 'refused', error: 'Greenlight.NoEligibleApprovers' });
    expect(firstFailure().error).toBe('Greenlight.NoEligibleApprovers');
    expect(stack.standins.ses.sentEmails().filter((mail) => JSON.stringify(mail).includes('mallory'))).toEqual([]);
    const [record] = await approvalItems();
    expect(record).toMatchObject({ status: 'cancelled', approvers: [] });
    expect(JSON.stringify(record)).not.toContain('mallory');
  });

  it('a request that names mallory beside alice opens for alice only; mallory is never e-mailed', async () => {
    const { event } = waitingRequest((e) => {
      e.detail.approvers = ['email:mallory@evil.example', 'email:alice@example.com'];
    });
    const [delivery] = await stack.publish(event);
    const approval = await stack.store.get(approvalIdOf(delivery));
    expect(approval?.approvers).toEqual(['person:alice']);
    expect(JSON.stringify(stack.standins.ses.sentEmails())).not.toContain('mallory');
  });

  it("a request asking for a quorum of 1 under a rule of 2 keeps the rule's 2; one out of reach is refused", async () => {
    // Prepare: the rule "production state machines" needs 2 of alice, bob and carol
    const { event } = waitingRequest((e) => {
      delete e.detail.approvers;
      e.detail.requiredApprovals = 1;
    }, 'prod-deploy');
    const { event: outOfReach } = waitingRequest((e) => {
      delete e.detail.approvers;
      e.detail.requiredApprovals = 3;
      e.detail.requestedBy = 'email:Carol@Example.COM.';
    }, 'prod-deploy');
    // Act
    const [delivery] = await stack.publish(event);
    const [refused] = await stack.publish(outOfReach);
    // Assess
    const approval = await stack.store.get(approvalIdOf(delivery));
    expect(approval?.requiredApprovals).toBe(2);
    expect(refused?.result).toMatchObject({ outcome: 'refused', error: 'Greenlight.NoEligibleApprovers' });
  });

  it('duplicate and concurrent deliveries of a refused request answer the task once and never dead-letter', async () => {
    // Prepare
    const { event } = waitingRequest((e) => {
      e.detail.requiredApprovals = 1.5;
    });
    // Act: 8 at once, then 2 late duplicates
    const concurrent = await Promise.all(Array.from({ length: 8 }, () => stack.publish(event)));
    const late = [await stack.publish(event), await stack.publish(event)];
    // Assess
    const deliveries = [...concurrent, ...late].flat();
    expect(deliveries.every((delivery) => delivery.ok)).toBe(true);
    expect(failures().filter((call) => call.error === undefined)).toHaveLength(1);
    expect(failures().every((call) => call.error === undefined || call.error.name === 'TaskTimedOut')).toBe(true);
    expect(newDeadLetters()).toBe(0);
    expect((await approvalItems()).map((item) => item.status)).toEqual(['cancelled']);
  });

  it('a refusal never fails a task whose valid request was captured first (and the other way round)', async () => {
    // Prepare: one task, a valid request for it and an invalid one (same token)
    const { event: valid } = waitingRequest(() => undefined);
    const invalid = structuredClone(valid);
    invalid.detail.requiredApprovals = 1.5;
    // Act
    const [captured] = await stack.publish(valid);
    const [refused] = await stack.publish(invalid);
    // Assess
    expect(captured?.result).toMatchObject({ outcome: 'created' });
    expect(refused?.result).toMatchObject({ outcome: 'duplicate' });
    expect(failures()).toHaveLength(0);
    expect((await approvalItems()).map((item) => item.status)).toEqual(['pending']);
  });

  it('a direct invocation with a bad payload is answered with SendTaskFailure (the Task fails at once)', async () => {
    // Prepare
    const waiting = stack.standins.stepFunctions.startWaitingExecution({ stateMachineName: 'checkout-deploy' });
    const payload = sampleEvent('stepfunctions/lambda-invoke-payload');
    payload.taskToken = waiting.taskToken;
    delete payload.executionArn;
    // Act
    const result = await stack.functions.invoke('capture', payload);
    // Assess
    expect(result).toMatchObject({ outcome: 'refused', error: 'Greenlight.InvalidRequest' });
    expect(JSON.parse(firstFailure().cause).reason).toMatch(/executionArn: is required/);
    expect((await approvalItems()).map((item) => item.status)).toEqual(['cancelled']);
  });

  it('an SSM wait whose runbook names nobody of the policy is rejected with the reason', async () => {
    // Prepare
    const automation = stack.standins.ssm.startWaitingAutomation({
      documentName: 'Deploy',
      approvers: ['arn:aws:iam::111122223333:role/greenlight-resume', 'arn:aws:iam::111122223333:user/mallory'],
    });
    const event = sampleEvent('ssm/automation-step-waiting');
    event.detail.ExecutionId = automation.automationExecutionId;
    // Act
    const [delivery] = await stack.publish(event, 'default');
    // Assess
    expect(delivery?.result).toMatchObject({ outcome: 'refused', error: 'Greenlight.NoEligibleApprovers' });
    const signals = stack.standins.callsTo('ssm', 'SendAutomationSignal');
    expect(signals).toHaveLength(1);
    expect(signals[0]?.input).toMatchObject({ SignalType: 'Reject' });
    expect(JSON.stringify(signals[0]?.input)).toContain('Greenlight.NoEligibleApprovers');
    expect((await approvalItems()).map((item) => item.status)).toEqual(['cancelled']);
  });
});

describe('secrets stay out of the logs', () => {
  it('no task token appears in any log line written during capture, duplicates and rejections', async () => {
    // Prepare: deliver every sample and a malformed one, so every log path has run
    for (const name of WAITING_EVENT_SAMPLES) await deliver(name);
    const malformed = sampleEvent('stepfunctions/approval-requested');
    malformed.detail.approvers = ['not-an-identity'];
    await stack.functions.invokeAsync('capture', malformed);
    // Assess
    const text = logs.text();
    expect(logs.lines().some((line) => line.message === 'approval captured')).toBe(true);
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(0, 32));
    }
  });
});
