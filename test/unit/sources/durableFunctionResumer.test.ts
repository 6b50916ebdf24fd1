import {
  CallbackTimeoutException,
  InvalidParameterValueException,
  KMSAccessDeniedException,
  LambdaClient,
  LambdaServiceException,
  ResourceNotFoundException,
  SendDurableExecutionCallbackFailureCommand,
  SendDurableExecutionCallbackSuccessCommand,
  ServiceException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../shared/app/errors';
import type { ResumeRequest } from '../../../shared/app/sourcePorts';
import {
  durableFunctionResumer,
  MAX_ERROR_BYTES,
  MAX_ERROR_MESSAGE_CHARS,
  MAX_RESULT_BYTES,
} from '../../../shared/sources/lambda/durableFunctionResumer';
import { DECIDED_AT, lambdaApproval, resumeRequest } from '../../support/resumeRequests';

const CALLBACK_ID = `Ab+/${'c2VjcmV0'.repeat(40)}==`;
const EXECUTION_ARN =
  'arn:aws:lambda:us-east-1:111122223333:function:deploy-with-approval:3/durable-execution/run-1/0c2f6d3e-8b1a-3f4c-9d7e-5a6b8c9d0e1f';

const lambdaMock = mockClient(LambdaClient);
const resumer = durableFunctionResumer(new LambdaClient({ region: 'us-east-1' }));
const utf8Bytes = (text: string | undefined) => Buffer.byteLength(text ?? '', 'utf8');

function request(overrides: Partial<ResumeRequest> = {}): ResumeRequest {
  const approval = lambdaApproval({ callbackId: CALLBACK_ID, durableExecutionArn: EXECUTION_ARN }, 'Deploy');
  return resumeRequest(approval, overrides);
}
const rejection = (overrides: Partial<ResumeRequest> = {}) =>
  request({ outcome: 'rejected', answer: 'reject', decidedBy: ['email:carol@example.com'], ...overrides });

function sentSuccess() {
  return lambdaMock.commandCalls(SendDurableExecutionCallbackSuccessCommand).map((call) => call.args[0].input);
}
function sentFailure() {
  return lambdaMock.commandCalls(SendDurableExecutionCallbackFailureCommand).map((call) => call.args[0].input);
}
function failWith(error: Error) {
  lambdaMock.on(SendDurableExecutionCallbackSuccessCommand).rejects(error);
  lambdaMock.on(SendDurableExecutionCallbackFailureCommand).rejects(error);
}

beforeEach(() => {
  lambdaMock.reset();
  lambdaMock.on(SendDurableExecutionCallbackSuccessCommand).resolves({});
  lambdaMock.on(SendDurableExecutionCallbackFailureCommand).resolves({});
});

describe('Lambda durable functions resumer: the answer call', () => {
  it('approve sends exactly one SendDurableExecutionCallbackSuccess whose Result is the Step Functions document', async () => {
    // Prepare
    const req = request();
    // Act
    const result = await resumer.resume(req);
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(sentFailure()).toEqual([]);
    expect(sentSuccess()).toEqual([
      {
        CallbackId: CALLBACK_ID,
        Result: JSON.stringify({
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

  it('reject sends one SendDurableExecutionCallbackFailure: Greenlight.Rejected, the decision in words, the document in ErrorData', async () => {
    // Prepare
    const req = rejection({ channel: 'slack', comment: 'not during the freeze' });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sentSuccess()).toEqual([]);
    expect(sentFailure()).toEqual([
      {
        CallbackId: CALLBACK_ID,
        Error: {
          ErrorType: 'Greenlight.Rejected',
          ErrorMessage: `Rejected by email:carol@example.com via slack at ${DECIDED_AT}: not during the freeze`,
          ErrorData: JSON.stringify({
            approvalId: req.approval.id,
            outcome: 'rejected',
            decidedBy: ['email:carol@example.com'],
            channel: 'slack',
            comment: 'not during the freeze',
            decidedAt: DECIDED_AT,
          }),
        },
      },
    ]);
  });

  it('an expiry fails the callback with Greenlight.Expired and outcome expired in ErrorData (ErrorType does not reach the function)', async () => {
    // Prepare
    const req = request({ outcome: 'expired', answer: 'reject', decidedBy: [], channel: 'system', comment: undefined });
    // Act
    await resumer.resume(req);
    // Assess
    const error = sentFailure()[0]?.Error;
    expect(error?.ErrorType).toBe('Greenlight.Expired');
    expect(error?.ErrorMessage).toBe(`Expired without a decision at ${DECIDED_AT}, failed as the policy says`);
    expect(JSON.parse(error?.ErrorData ?? '')).toEqual({
      approvalId: req.approval.id,
      outcome: 'expired',
      decidedBy: [],
      channel: 'system',
      decidedAt: DECIDED_AT,
    });
  });

  it('a refusal fails the callback with the refusal error, its reason, and the refusal document in ErrorData', async () => {
    // Prepare
    const refusal = {
      approvalId: 'apr_0123456789abcdef0123456789abcdef',
      sourceRef: { kind: 'lambda' as const, callbackId: CALLBACK_ID, durableExecutionArn: '' },
      error: 'Greenlight.InvalidRequest' as const,
      reason: 'the request is not valid: detail.requiredApprovals: Too small',
    };
    // Act
    const result = await resumer.refuse(refusal);
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(sentFailure()).toEqual([
      {
        CallbackId: CALLBACK_ID,
        Error: {
          ErrorType: 'Greenlight.InvalidRequest',
          ErrorMessage: `Refused by Greenlight (Greenlight.InvalidRequest): ${refusal.reason}`,
          ErrorData: JSON.stringify({
            approvalId: refusal.approvalId,
            outcome: 'refused',
            error: 'Greenlight.InvalidRequest',
            reason: refusal.reason,
          }),
        },
      },
    ]);
  });

  it('sends the same request on every retry of one decision', async () => {
    // Prepare
    const req = rejection({ comment: 'no' });
    // Act
    await resumer.resume(req);
    await resumer.resume({ ...req, attempt: 3 });
    // Assess
    const [first, second] = sentFailure();
    expect(second).toEqual(first);
  });

  it('refuses an approval of another source without calling AWS', async () => {
    // Prepare
    const req = request();
    req.approval.sourceRef = { kind: 'stepfunctions', taskToken: 't', executionArn: 'arn' };
    // Act
    const outcome = resumer.resume(req);
    // Assess
    await expect(outcome).rejects.toThrow(/not a Lambda durable function one/);
    expect(lambdaMock.calls()).toHaveLength(0);
  });
});

describe('Lambda durable functions resumer: field limits', () => {
  const longComments: Array<[string, string]> = [
    ['600 kB of ASCII', 'a'.repeat(600_000)],
    ['600 kB of 3-byte characters', '€'.repeat(200_000)],
    ['600 kB of characters JSON must escape', '"\\\n'.repeat(200_000)],
  ];

  it.each(longComments)('approve: %s fits in the 256 KB Result, shortened as little as needed', async (_, comment) => {
    // Act
    await resumer.resume(request({ comment }));
    // Assess
    const result = String(sentSuccess()[0]?.Result ?? '');
    expect(utf8Bytes(result)).toBeLessThanOrEqual(MAX_RESULT_BYTES);
    expect(utf8Bytes(result)).toBeGreaterThan(MAX_RESULT_BYTES - 16);
    const document = JSON.parse(result);
    expect(document).toMatchObject({ outcome: 'approved', commentTruncated: true });
    expect(comment.startsWith(document.comment.slice(0, -1))).toBe(true);
  });

  it.each(longComments)('reject: %s keeps the three error fields within 256 KB together', async (_, comment) => {
    // Act
    await resumer.resume(rejection({ comment }));
    // Assess
    const error = sentFailure()[0]?.Error;
    const total = utf8Bytes(error?.ErrorType) + utf8Bytes(error?.ErrorMessage) + utf8Bytes(error?.ErrorData);
    expect(total).toBeLessThanOrEqual(MAX_ERROR_BYTES);
    expect(total).toBeGreaterThan(MAX_ERROR_BYTES - 16);
    expect(error?.ErrorMessage?.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_CHARS);
    expect(error?.ErrorMessage?.endsWith('…')).toBe(true);
    expect(JSON.parse(error?.ErrorData ?? '')).toMatchObject({ outcome: 'rejected', commentTruncated: true });
  });
});

describe('Lambda durable functions resumer: error classification', () => {
  it.each([
    ['CallbackTimeoutException', new CallbackTimeoutException({ message: 'closed', $metadata: {} })],
    ['ResourceNotFoundException', new ResourceNotFoundException({ message: 'not found', $metadata: {} })],
  ])('%s means the callback no longer waits: not-waiting with a clear reason', async (name, error) => {
    // Prepare
    failWith(error);
    // Act
    const results = [await resumer.resume(request()), await resumer.resume(rejection())];
    // Assess
    for (const result of results) {
      expect(result).toEqual({ kind: 'not-waiting', reason: expect.stringContaining(`(${name})`) });
    }
    expect(lambdaMock.calls()).toHaveLength(2);
  });

  it('CallbackTimeoutException after the SDK retried says the earlier attempt may have been delivered', async () => {
    // Prepare
    failWith(new CallbackTimeoutException({ message: 'closed', $metadata: { attempts: 2 } }));
    // Act
    const result = await resumer.resume(request({ attempt: 2 }));
    // Assess
    expect(result).toMatchObject({ kind: 'not-waiting', afterRetry: true });
  });

  it.each([
    [
      'TooManyRequestsException',
      new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429, attempts: 3 } }),
    ],
    ['ServiceException (500)', new ServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } })],
    [
      'a KMS error (502, server fault)',
      new KMSAccessDeniedException({ message: 'kms', $metadata: { httpStatusCode: 502 } }),
    ],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('%s → SourceUnavailableError with the cause', async (_, error) => {
    // Prepare
    failWith(error);
    const req = request();
    // Act
    const thrown = await resumer.resume(req).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect(thrown).toMatchObject({ source: 'lambda', cause: error });
    expect((thrown as Error).message).toContain(req.approval.id);
  });

  it.each([
    [
      'InvalidParameterValueException (we build the request, so it is a bug)',
      new InvalidParameterValueException({ message: 'bad', $metadata: {} }),
    ],
    [
      'AccessDeniedException',
      new LambdaServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    ],
  ])('%s is rethrown as it is', async (_, error) => {
    // Prepare
    failWith(error);
    // Act
    const thrown = await resumer.resume(request()).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBe(error);
  });

  it('never lets the callback id out in an error message or stack, even when AWS echoes it', async () => {
    // Prepare
    const echoed = new InvalidParameterValueException({
      message: `Value '${CALLBACK_ID}' is not valid`,
      $metadata: {},
    });
    echoed.stack = `InvalidParameterValueException: ${echoed.message}\n    at somewhere`;
    const transient = new ServiceException({
      message: `failed for ${CALLBACK_ID}`,
      $metadata: { httpStatusCode: 500 },
    });
    // Act
    failWith(echoed);
    const rethrown = (await resumer.resume(rejection()).catch((caught: unknown) => caught)) as Error;
    failWith(transient);
    const wrapped = (await resumer.resume(request()).catch((caught: unknown) => caught)) as Error;
    // Assess
    expect(rethrown.message).toBe("Value '[callback id]' is not valid");
    expect(rethrown.stack).not.toContain(CALLBACK_ID);
    expect(wrapped).toBeInstanceOf(SourceUnavailableError);
    expect(`${wrapped.message} ${(wrapped.cause as Error).message} ${(wrapped.cause as Error).stack}`).not.toContain(
      CALLBACK_ID,
    );
  });
});
