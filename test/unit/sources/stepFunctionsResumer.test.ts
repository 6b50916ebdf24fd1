import {
  InvalidOutput,
  InvalidToken,
  KmsAccessDeniedException,
  KmsThrottlingException,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  TaskDoesNotExist,
  TaskTimedOut,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../shared/app/errors';
import type { ResumeRequest } from '../../../shared/app/sourcePorts';
import { decisionDocument } from '../../../shared/sources/decisionDocument';
import {
  MAX_CAUSE_CHARS,
  MAX_OUTPUT_BYTES,
  refusalCause,
  stepFunctionsResumer,
} from '../../../shared/sources/stepfunctions/stepFunctionsResumer';
import { DECIDED_AT, resumeRequest, stepFunctionsApproval } from '../../support/resumeRequests';

const TASK_TOKEN = `AQCEAAAAKgAAAAMAAAAAAAAAAT${'x9Y'.repeat(120)}`;
const EXECUTION_ARN = 'arn:aws:states:us-east-1:111122223333:execution:Deploy:run-1';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const sfnMock = mockClient(SFNClient);
const resumer = stepFunctionsResumer(new SFNClient({ region: 'us-east-1' }));

function request(overrides: Partial<ResumeRequest> = {}): ResumeRequest {
  const approval = stepFunctionsApproval(
    { taskToken: TASK_TOKEN, executionArn: EXECUTION_ARN },
    'Deploy to production',
  );
  return resumeRequest(approval, overrides);
}

function sentSuccess() {
  return sfnMock.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input);
}
function sentFailure() {
  return sfnMock.commandCalls(SendTaskFailureCommand).map((call) => call.args[0].input);
}
/** The error the mocked client rejects every call with. */
function failWith(error: Error) {
  sfnMock.on(SendTaskSuccessCommand).rejects(error);
  sfnMock.on(SendTaskFailureCommand).rejects(error);
}

beforeEach(() => {
  sfnMock.reset();
  sfnMock.on(SendTaskSuccessCommand).resolves({});
  sfnMock.on(SendTaskFailureCommand).resolves({});
});

describe('Step Functions resumer: the answer call', () => {
  it('approve sends exactly one SendTaskSuccess whose output is the decision as JSON', async () => {
    // Prepare
    const req = request();
    // Act
    const result = await resumer.resume(req);
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(sentFailure()).toEqual([]);
    expect(sentSuccess()).toEqual([
      {
        taskToken: TASK_TOKEN,
        output: JSON.stringify({
          approvalId: req.approval.id,
          outcome: 'approved',
          decidedBy: ['email:alice@example.com'],
          channel: 'rest',
          comment: 'looks good',
          decidedAt: DECIDED_AT,
        }),
      },
    ]);
  });

  it('reject sends exactly one SendTaskFailure with error Greenlight.Rejected and the same JSON as cause', async () => {
    // Prepare
    const req = request({
      outcome: 'rejected',
      answer: 'reject',
      decidedBy: ['slack:U012AB3CD', 'email:bob@example.com'],
      channel: 'slack',
      comment: 'not during the freeze',
    });
    // Act
    const result = await resumer.resume(req);
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(sentSuccess()).toEqual([]);
    expect(sentFailure()).toEqual([
      {
        taskToken: TASK_TOKEN,
        error: 'Greenlight.Rejected',
        cause: JSON.stringify({
          approvalId: req.approval.id,
          outcome: 'rejected',
          decidedBy: ['slack:U012AB3CD', 'email:bob@example.com'],
          channel: 'slack',
          comment: 'not during the freeze',
          decidedAt: DECIDED_AT,
        }),
      },
    ]);
  });

  it('an expiry answered with reject fails the task with Greenlight.Expired and no comment field', async () => {
    // Prepare
    const req = request({ outcome: 'expired', answer: 'reject', decidedBy: [], channel: 'system', comment: undefined });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sentFailure()).toEqual([
      {
        taskToken: TASK_TOKEN,
        error: 'Greenlight.Expired',
        cause: `{"approvalId":"${req.approval.id}","outcome":"expired","decidedBy":[],"channel":"system","decidedAt":"${DECIDED_AT}"}`,
      },
    ]);
  });

  it('an expiry the policy approves succeeds the task with outcome expired', async () => {
    // Prepare
    const req = request({ outcome: 'expired', answer: 'approve', decidedBy: [], channel: 'system', comment: '' });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sentFailure()).toEqual([]);
    expect(sentSuccess().map((input) => JSON.parse(input.output ?? ''))).toEqual([
      { approvalId: req.approval.id, outcome: 'expired', decidedBy: [], channel: 'system', decidedAt: DECIDED_AT },
    ]);
  });

  it('refuses an approval of another source without calling AWS', async () => {
    // Prepare
    const req = request();
    req.approval.sourceRef = { kind: 'ssm', automationExecutionId: 'a'.repeat(36), stepName: 'approve' };
    // Act
    const outcome = resumer.resume(req);
    // Assess
    await expect(outcome).rejects.toThrow(/not a Step Functions one/);
    expect(sfnMock.calls()).toHaveLength(0);
  });
});

describe('Step Functions resumer: field limits', () => {
  const truncationCases: Array<[string, string]> = [
    ['600 kB of ASCII', 'a'.repeat(600_000)],
    ['600 kB of 3-byte characters', '€'.repeat(200_000)],
    ['600 kB of characters JSON must escape', '"\\\n'.repeat(200_000)],
    ['600 kB of surrogate pairs', '😀'.repeat(150_000)],
  ];

  it.each(truncationCases)(
    'approve: %s fits in the 256 KiB output, shortened as little as needed',
    async (_, comment) => {
      // Prepare
      const req = request({ comment });
      // Act
      await resumer.resume(req);
      // Assess
      const output = sentSuccess()[0]?.output ?? '';
      const bytes = Buffer.byteLength(output, 'utf8');
      expect(bytes).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
      expect(bytes).toBeGreaterThan(MAX_OUTPUT_BYTES - 16);
      const document = JSON.parse(output);
      expect(document).toMatchObject({ approvalId: req.approval.id, outcome: 'approved', commentTruncated: true });
      expect(document.comment.endsWith('…')).toBe(true);
      expect(comment.startsWith(document.comment.slice(0, -1))).toBe(true);
      expect(document.comment).not.toMatch(LONE_SURROGATE);
    },
  );

  it.each(truncationCases)('reject: %s fits in the 32768-character cause', async (_, comment) => {
    // Prepare
    const req = request({ outcome: 'rejected', answer: 'reject', comment });
    // Act
    await resumer.resume(req);
    // Assess
    const cause = sentFailure()[0]?.cause ?? '';
    expect(cause.length).toBeLessThanOrEqual(MAX_CAUSE_CHARS);
    expect(cause.length).toBeGreaterThan(MAX_CAUSE_CHARS - 16);
    const document = JSON.parse(cause);
    expect(document).toMatchObject({ outcome: 'rejected', commentTruncated: true, decidedAt: DECIDED_AT });
    expect(comment.startsWith(document.comment.slice(0, -1))).toBe(true);
    expect(document.comment).not.toMatch(LONE_SURROGATE);
  });

  it('never cuts a surrogate pair in half when shortening the comment', () => {
    // Prepare: the limit allows 3 UTF-16 units of comment before the …, which would end inside the second emoji
    const req = request({ comment: '😀😀😀' });
    const fits = (json: string) => JSON.parse(json).comment.length <= 4;
    // Act
    const document = JSON.parse(decisionDocument(req, fits));
    // Assess
    expect(document.comment).toBe('😀…');
    expect(document.commentTruncated).toBe(true);
  });

  it('a 100 kB comment stays whole in the output but is shortened in the cause', async () => {
    // Prepare
    const comment = 'b'.repeat(100_000);
    // Act
    await resumer.resume(request({ comment }));
    await resumer.resume(request({ outcome: 'rejected', answer: 'reject', comment }));
    // Assess
    const output = JSON.parse(sentSuccess()[0]?.output ?? '');
    const cause = JSON.parse(sentFailure()[0]?.cause ?? '');
    expect(output.comment).toBe(comment);
    expect(output).not.toHaveProperty('commentTruncated');
    expect(cause.comment.length).toBeLessThan(MAX_CAUSE_CHARS);
    expect(cause.commentTruncated).toBe(true);
  });

  it('the error name stays within 256 characters', async () => {
    // Prepare + Act
    await resumer.resume(request({ outcome: 'rejected', answer: 'reject' }));
    await resumer.resume(request({ outcome: 'expired', answer: 'reject' }));
    // Assess
    expect(sentFailure().map((input) => input.error)).toEqual(['Greenlight.Rejected', 'Greenlight.Expired']);
    for (const input of sentFailure()) expect(input.error?.length).toBeLessThanOrEqual(256);
  });
});

describe('Step Functions resumer: error classification', () => {
  it.each([
    [
      'TaskTimedOut',
      new TaskTimedOut({ message: "Task Timed Out: 'Provided task does not exist anymore'", $metadata: {} }),
    ],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'Task does not exist', $metadata: {} })],
    ['InvalidToken', new InvalidToken({ message: "Invalid Token: 'Invalid token'", $metadata: {} })],
  ])('%s means the task no longer waits: not-waiting with a clear reason', async (name, error) => {
    // Prepare
    failWith(error);
    // Act
    const result = await resumer.resume(request({ attempt: 2 }));
    // Assess
    expect(result).toEqual({ kind: 'not-waiting', reason: expect.stringContaining(`(${name})`) });
    if (result.kind === 'not-waiting') expect(result.reason).not.toContain(TASK_TOKEN);
    expect(sfnMock.calls()).toHaveLength(1);
  });

  it('TaskTimedOut reads as "no longer waiting: already answered, timed out or ended"', async () => {
    // Prepare
    failWith(new TaskTimedOut({ message: 'closed', $metadata: {} }));
    // Act
    const result = await resumer.resume(request({ outcome: 'rejected', answer: 'reject' }));
    // Assess
    expect(result).toEqual({
      kind: 'not-waiting',
      reason:
        'Step Functions reports the task is no longer waiting (TaskTimedOut): already answered, timed out or the execution ended',
    });
  });

  const unavailable: Array<[string, Error]> = [
    [
      'ThrottlingException after the SDK retries',
      new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 400, attempts: 3 },
      }),
    ],
    [
      'a 500 InternalFailure',
      new SFNServiceException({
        name: 'InternalFailure',
        $fault: 'server',
        message: 'internal',
        $metadata: { httpStatusCode: 500, attempts: 3 },
      }),
    ],
    [
      'a 503 with an unknown name',
      new SFNServiceException({ name: 'Whatever', $fault: 'client', message: 'x', $metadata: { httpStatusCode: 503 } }),
    ],
    ['KmsThrottlingException', new KmsThrottlingException({ message: 'kms busy', $metadata: {} })],
    ['a socket timeout', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['an error the model marks retryable', Object.assign(new Error('retry me'), { $retryable: {} })],
  ];

  it.each(unavailable)('%s → SourceUnavailableError with the cause', async (_, error) => {
    // Prepare
    failWith(error);
    const req = request();
    // Act
    const thrown = await resumer.resume(req).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect(thrown).toMatchObject({ source: 'stepfunctions', cause: error });
    expect((thrown as Error).message).toContain(req.approval.id);
    expect((thrown as Error).message).not.toContain(TASK_TOKEN);
  });

  it('names the failure, status and attempts in the SourceUnavailableError message', async () => {
    // Prepare
    failWith(unavailable[1]?.[1] as Error);
    // Act
    const thrown = await resumer.resume(request()).catch((caught: unknown) => caught);
    // Assess
    expect((thrown as Error).message).toContain('(InternalFailure, HTTP 500, 3 attempts)');
  });

  it.each([
    ['InvalidOutput (we build the JSON, so it is a bug)', new InvalidOutput({ message: 'bad', $metadata: {} })],
    ['KmsAccessDeniedException', new KmsAccessDeniedException({ message: 'denied', $metadata: {} })],
    ['ValidationException', new ValidationException({ message: 'invalid', $metadata: {} })],
    [
      'AccessDeniedException',
      new SFNServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 403 } }),
    ],
    ['a plain error', new Error('boom')],
  ])('%s is rethrown as it is', async (_, error) => {
    // Prepare
    failWith(error);
    // Act
    const thrown = await resumer.resume(request()).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBe(error);
    expect(thrown).not.toBeInstanceOf(SourceUnavailableError);
  });

  it('never lets the task token out in an error message or stack, even when AWS echoes it', async () => {
    // Prepare
    const echoed = new ValidationException({ message: `Value '${TASK_TOKEN}' at 'taskToken' failed`, $metadata: {} });
    echoed.stack = `ValidationException: ${echoed.message}\n    at somewhere`;
    const transient = new SFNServiceException({
      name: 'InternalFailure',
      $fault: 'server',
      message: `failed for ${TASK_TOKEN}`,
      $metadata: { httpStatusCode: 500 },
    });
    // Act
    failWith(echoed);
    const rethrown = (await resumer.resume(request()).catch((caught: unknown) => caught)) as Error;
    failWith(transient);
    const wrapped = (await resumer.resume(request()).catch((caught: unknown) => caught)) as Error;
    // Assess
    expect(rethrown.message).toBe("Value '[task token]' at 'taskToken' failed");
    expect(rethrown.stack).not.toContain(TASK_TOKEN);
    expect(wrapped).toBeInstanceOf(SourceUnavailableError);
    expect(`${wrapped.message} ${(wrapped.cause as Error).message} ${(wrapped.cause as Error).stack}`).not.toContain(
      TASK_TOKEN,
    );
  });
});

describe('refusalCause', () => {
  it('stays within the 32 768 characters of SendTaskFailure cause even when escaping multiplies the reason', () => {
    // Prepare: control characters escape to six characters each in JSON
    const reason = '\u0001'.repeat(20_000);
    // Act
    const cause = refusalCause({
      approvalId: 'apr_0123456789abcdef0123456789abcdef',
      sourceRef: { kind: 'stepfunctions', taskToken: 'token', executionArn: '' },
      error: 'Greenlight.InvalidRequest',
      reason,
    });
    // Assess
    expect(cause.length).toBeLessThanOrEqual(MAX_CAUSE_CHARS);
    expect(JSON.parse(cause)).toMatchObject({ outcome: 'refused', error: 'Greenlight.InvalidRequest' });
    expect(JSON.parse(cause).reason.endsWith('…')).toBe(true);
  });
});
