import {
  AutomationExecutionNotFoundException,
  AutomationStepNotFoundException,
  InternalServerError,
  InvalidAutomationSignalException,
  SendAutomationSignalCommand,
  SSMClient,
  SSMServiceException,
  ThrottlingException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../shared/app/errors';
import type { ResumeRequest } from '../../../shared/app/sourcePorts';
import {
  MAX_COMMENT_VALUE_CHARS,
  MAX_COMMENT_VALUES,
  ssmAutomationResumer,
} from '../../../shared/sources/ssm/ssmAutomationResumer';
import { DECIDED_AT, resumeRequest, ssmAutomationApproval } from '../../support/resumeRequests';

const AUTOMATION_ID = '4105a4fc-f944-11e6-9d32-0123456789ab';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const ssmMock = mockClient(SSMClient);
const resumer = ssmAutomationResumer(new SSMClient({ region: 'us-east-1' }));

/** Decided on a review link, unlike the shared default. */
function request(overrides: Partial<ResumeRequest> = {}): ResumeRequest {
  const approval = ssmAutomationApproval(
    { automationExecutionId: AUTOMATION_ID, stepName: 'approve' },
    'Automation Deploy: approve is waiting',
  );
  return resumeRequest(approval, { channel: 'review-link', comment: 'Looks good', ...overrides });
}

function sent() {
  return ssmMock.commandCalls(SendAutomationSignalCommand).map((call) => call.args[0].input);
}
function comments(): string[] {
  return sent()[0]?.Payload?.Comment ?? [];
}

beforeEach(() => {
  ssmMock.reset();
  ssmMock.on(SendAutomationSignalCommand).resolves({});
});

describe('SSM Automation resumer: the answer call', () => {
  it('approve sends one Approve signal whose comment names who decided, how, when and why', async () => {
    // Prepare
    const req = request();
    // Act
    const result = await resumer.resume(req);
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(sent()).toEqual([
      {
        AutomationExecutionId: AUTOMATION_ID,
        SignalType: 'Approve',
        Payload: { Comment: [`Approved by email:alice@example.com via review-link at ${DECIDED_AT}: Looks good`] },
      },
    ]);
  });

  it('reject sends one Reject signal naming every decider', async () => {
    // Prepare
    const req = request({
      outcome: 'rejected',
      answer: 'reject',
      decidedBy: ['slack:U012AB3CD', 'iam:arn:aws:iam::111122223333:user/bob'],
      channel: 'slack',
      comment: 'wrong window',
    });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sent()).toEqual([
      {
        AutomationExecutionId: AUTOMATION_ID,
        SignalType: 'Reject',
        Payload: {
          Comment: [
            `Rejected by slack:U012AB3CD, iam:arn:aws:iam::111122223333:user/bob via slack at ${DECIDED_AT}: wrong window`,
          ],
        },
      },
    ]);
  });

  it('an expiry rejects and says it expired without a decision', async () => {
    // Prepare
    const req = request({ outcome: 'expired', answer: 'reject', decidedBy: [], channel: 'system', comment: undefined });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sent()).toEqual([
      {
        AutomationExecutionId: AUTOMATION_ID,
        SignalType: 'Reject',
        Payload: { Comment: [`Expired without a decision at ${DECIDED_AT}, rejected as the policy says`] },
      },
    ]);
  });

  it('an expiry the policy approves sends Approve', async () => {
    // Prepare
    const req = request({ outcome: 'expired', answer: 'approve', decidedBy: [], channel: 'system', comment: '' });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sent()[0]).toMatchObject({
      SignalType: 'Approve',
      Payload: { Comment: [`Expired without a decision at ${DECIDED_AT}, approved as the policy says`] },
    });
  });

  it('refuses an approval of another source without calling AWS', async () => {
    // Prepare
    const req = request();
    req.approval.sourceRef = { kind: 'stepfunctions', taskToken: 'secret', executionArn: 'arn' };
    // Act
    const outcome = resumer.resume(req);
    // Assess
    await expect(outcome).rejects.toThrow(/not an SSM Automation one/);
    expect(ssmMock.calls()).toHaveLength(0);
  });
});

describe('SSM Automation resumer: comment limits (≤ 10 values of 1–512 characters)', () => {
  it('a 2000-character comment is split into consecutive values that join back to the whole text', async () => {
    // Prepare
    const comment = 'e'.repeat(2000);
    // Act
    await resumer.resume(request({ comment }));
    // Assess
    const text = `Approved by email:alice@example.com via review-link at ${DECIDED_AT}: ${comment}`;
    const values = comments();
    expect(values).toHaveLength(Math.ceil(text.length / MAX_COMMENT_VALUE_CHARS));
    expect(values.join('')).toBe(text);
    expect(values.slice(0, -1).every((value) => value.length === MAX_COMMENT_VALUE_CHARS)).toBe(true);
    for (const value of values) {
      expect(value.length).toBeGreaterThanOrEqual(1);
      expect(value.length).toBeLessThanOrEqual(MAX_COMMENT_VALUE_CHARS);
    }
  });

  it('a 600 kB comment fills 10 values and ends with …', async () => {
    // Prepare
    const comment = 'f'.repeat(600_000);
    // Act
    await resumer.resume(request({ comment }));
    // Assess
    const values = comments();
    expect(values).toHaveLength(MAX_COMMENT_VALUES);
    for (const value of values) expect(value.length).toBe(MAX_COMMENT_VALUE_CHARS);
    const joined = values.join('');
    expect(joined.endsWith('f…')).toBe(true);
    expect(`Approved by email:alice@example.com via review-link at ${DECIDED_AT}: ${comment}`).toContain(
      joined.slice(0, -1),
    );
  });

  it('never splits a surrogate pair across values', async () => {
    // Prepare
    const comment = `x${'😀'.repeat(3000)}`;
    // Act
    await resumer.resume(request({ comment }));
    // Assess
    const values = comments();
    expect(values).toHaveLength(MAX_COMMENT_VALUES);
    for (const value of values) {
      expect(value).not.toMatch(LONE_SURROGATE);
      expect(value.length).toBeLessThanOrEqual(MAX_COMMENT_VALUE_CHARS);
    }
  });
});

describe('SSM Automation resumer: error classification', () => {
  it.each([
    [
      'InvalidAutomationSignalException',
      new InvalidAutomationSignalException({ message: 'not waiting', $metadata: {} }),
    ],
    [
      'AutomationExecutionNotFoundException',
      new AutomationExecutionNotFoundException({ message: 'not found', $metadata: {} }),
    ],
    ['AutomationStepNotFoundException', new AutomationStepNotFoundException({ message: 'no step', $metadata: {} })],
  ])('%s → not-waiting with a clear reason', async (name, error) => {
    // Prepare
    ssmMock.on(SendAutomationSignalCommand).rejects(error);
    // Act
    const result = await resumer.resume(request({ attempt: 2 }));
    // Assess
    expect(result).toEqual({ kind: 'not-waiting', reason: expect.stringContaining(`(${name})`) });
    expect(result.kind === 'not-waiting' && result.reason.startsWith('Systems Manager')).toBe(true);
  });

  it.each([
    [
      'ThrottlingException',
      new ThrottlingException({ message: 'Rate exceeded', Message: 'Rate exceeded', $metadata: {} }),
    ],
    ['InternalServerError', new InternalServerError({ message: 'internal', $metadata: { httpStatusCode: 500 } })],
    [
      'ServiceUnavailable',
      new SSMServiceException({
        name: 'ServiceUnavailable',
        $fault: 'server',
        message: 'x',
        $metadata: { httpStatusCode: 503 },
      }),
    ],
    ['ETIMEDOUT', Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' })],
  ])('%s → SourceUnavailableError with the cause', async (name, error) => {
    // Prepare
    ssmMock.on(SendAutomationSignalCommand).rejects(error);
    // Act
    const thrown = await resumer.resume(request()).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect(thrown).toMatchObject({ source: 'ssm', cause: error });
    expect((thrown as Error).message).toContain(`(${name}`);
  });

  it.each([
    [
      'ValidationException',
      new SSMServiceException({ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'AccessDeniedException',
      new SSMServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } }),
    ],
    ['a plain error', new Error('boom')],
  ])('%s is rethrown as it is', async (_, error) => {
    // Prepare
    ssmMock.on(SendAutomationSignalCommand).rejects(error);
    // Act
    const thrown = await resumer.resume(request()).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBe(error);
  });
});
