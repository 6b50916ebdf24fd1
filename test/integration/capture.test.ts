/**
 * capture end to end on the local stack: events routed by serverless.yml's own rules to the real handler, which
 * writes to dynalite and reads SSM through the wire-level stand-in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../infra/local/localStack';
import { registerSampleAutomation } from '../../infra/local/seedWaitingWorkflows';
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
  secrets.push(
    sampleEvent('stepfunctions/approval-requested').detail.taskToken,
    sampleEvent('stepfunctions/approval-requested-minimal').detail.taskToken,
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
      'bad execution ARN',
      'stepfunctions/approval-requested',
      (e) => ({ ...e, resources: ['arn:aws:states:bad'] }),
      /resources/,
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

  it('a direct invocation with a bad payload fails the invocation (Step Functions sees the error at once)', async () => {
    const payload = sampleEvent('stepfunctions/lambda-invoke-payload');
    delete payload.executionArn;
    await expect(stack.functions.invoke('capture', payload)).rejects.toThrow(/executionArn: is required/);
    expect(await approvalItems()).toHaveLength(0);
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
