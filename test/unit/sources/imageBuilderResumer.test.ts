import { createHash } from 'node:crypto';
import {
  CallRateLimitExceededException,
  ClientException,
  ForbiddenException,
  IdempotentParameterMismatchException,
  ImagebuilderClient,
  InvalidParameterValueException,
  InvalidRequestException,
  ResourceInUseException,
  ResourceNotFoundException,
  SendWorkflowStepActionCommand,
  ServiceException,
  ServiceUnavailableException,
} from '@aws-sdk/client-imagebuilder';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../shared/app/errors';
import type { ResumeRequest } from '../../../shared/app/sourcePorts';
import { approvalIdFor } from '../../../shared/domain/approval';
import {
  imageBuilderClientToken,
  imageBuilderResumer,
  MAX_CLIENT_TOKEN_CHARS,
  MAX_REASON_CHARS,
} from '../../../shared/sources/imagebuilder/imageBuilderResumer';
import { DECIDED_AT, imageBuilderApproval, resumeRequest } from '../../support/resumeRequests';

const STEP_EXECUTION_ID = 'step-8c8f1a3e-5f4b-4d7e-9a3b-2b1c0d9e8f7a';
const IMAGE_ARN = 'arn:aws:imagebuilder:us-east-1:111122223333:image/golden-al2023/1.0.0/3';

const imageBuilderMock = mockClient(ImagebuilderClient);
const resumer = imageBuilderResumer(new ImagebuilderClient({ region: 'us-east-1' }));

function request(overrides: Partial<ResumeRequest> = {}): ResumeRequest {
  const approval = imageBuilderApproval(
    { workflowStepExecutionId: STEP_EXECUTION_ID, imageBuildVersionArn: IMAGE_ARN },
    'Image golden-al2023 1.0.0/3: ApproveImage is waiting',
  );
  return resumeRequest(approval, overrides);
}

function sent() {
  return imageBuilderMock.commandCalls(SendWorkflowStepActionCommand).map((call) => call.args[0].input);
}

/** The token as the design defines it, computed here independently of the implementation. */
function expectedToken(approvalId: string, answer: string): string {
  return `gl-${createHash('sha256').update(`${approvalId}:${answer}`).digest('hex').slice(0, 32)}`;
}

beforeEach(() => {
  imageBuilderMock.reset();
  imageBuilderMock.on(SendWorkflowStepActionCommand).resolves({
    stepExecutionId: STEP_EXECUTION_ID,
    imageBuildVersionArn: IMAGE_ARN,
  });
});

describe('Image Builder resumer: the answer call', () => {
  it('approve sends one RESUME naming who decided, how, when and why, with a derived clientToken', async () => {
    // Prepare
    const req = request();
    // Act
    const result = await resumer.resume(req);
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(sent()).toEqual([
      {
        stepExecutionId: STEP_EXECUTION_ID,
        imageBuildVersionArn: IMAGE_ARN,
        action: 'RESUME',
        reason: `Approved by email:alice@example.com via rest at ${DECIDED_AT}: looks good`,
        clientToken: expectedToken(req.approval.id, 'approve'),
      },
    ]);
  });

  it('reject sends one STOP naming every decider', async () => {
    // Prepare
    const req = request({
      outcome: 'rejected',
      answer: 'reject',
      decidedBy: ['slack:U012AB3CD', 'email:bob@example.com'],
      channel: 'slack',
      comment: 'AMI fails CIS benchmark',
    });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sent()).toEqual([
      {
        stepExecutionId: STEP_EXECUTION_ID,
        imageBuildVersionArn: IMAGE_ARN,
        action: 'STOP',
        reason: `Rejected by slack:U012AB3CD, email:bob@example.com via slack at ${DECIDED_AT}: AMI fails CIS benchmark`,
        clientToken: expectedToken(req.approval.id, 'reject'),
      },
    ]);
  });

  it('an expiry stops the step and says it expired without a decision', async () => {
    // Prepare
    const req = request({ outcome: 'expired', answer: 'reject', decidedBy: [], channel: 'system', comment: undefined });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sent()).toEqual([
      expect.objectContaining({
        action: 'STOP',
        reason: `Expired without a decision at ${DECIDED_AT}, stopped as the policy says`,
      }),
    ]);
  });

  it('an expiry the policy approves resumes the step and says so', async () => {
    // Prepare
    const req = request({ outcome: 'expired', answer: 'approve', decidedBy: [], channel: 'system', comment: '' });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sent()).toEqual([
      expect.objectContaining({
        action: 'RESUME',
        reason: `Expired without a decision at ${DECIDED_AT}, resumed as the policy says`,
      }),
    ]);
  });

  it('refuses an approval of another source without calling AWS', async () => {
    // Prepare
    const req = request();
    req.approval.sourceRef = { kind: 'stepfunctions', taskToken: 'secret', executionArn: 'arn' };
    // Act
    const outcome = resumer.resume(req);
    // Assess
    await expect(outcome).rejects.toThrow(/not an Image Builder one/);
    expect(imageBuilderMock.calls()).toHaveLength(0);
  });
});

describe('Image Builder resumer: idempotency (clientToken)', () => {
  it('a retry of the same answer sends the identical request, whatever the attempt', async () => {
    // Prepare
    const first = request({ attempt: 1 });
    const retry = request({ attempt: 4 });
    // Act
    await resumer.resume(first);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await resumer.resume(retry);
    // Assess
    const [a, b] = sent();
    expect(a).toBeDefined();
    expect(b).toEqual(a);
  });

  it('the token differs between RESUME and STOP and between approvals, and is at most 36 characters', () => {
    // Prepare
    const one = approvalIdFor('imagebuilder', STEP_EXECUTION_ID);
    const other = approvalIdFor('imagebuilder', 'step-00000000-0000-0000-0000-000000000000');
    // Act
    const tokens = [
      imageBuilderClientToken(one, 'approve'),
      imageBuilderClientToken(one, 'reject'),
      imageBuilderClientToken(other, 'approve'),
    ];
    // Assess
    expect(tokens[0]).toBe(imageBuilderClientToken(one, 'approve'));
    expect(tokens[0]).toBe(expectedToken(one, 'approve'));
    expect(new Set(tokens).size).toBe(3);
    for (const token of tokens) {
      expect(token.length).toBeLessThanOrEqual(MAX_CLIENT_TOKEN_CHARS);
      expect(MAX_CLIENT_TOKEN_CHARS).toBe(36);
      expect(token).toMatch(/^gl-[0-9a-f]{32}$/);
    }
  });

  it('the approve and reject calls of one approval carry different tokens', async () => {
    // Prepare
    const req = request();
    // Act
    await resumer.resume(req);
    await resumer.resume({ ...req, outcome: 'rejected', answer: 'reject' });
    // Assess
    const [resume, stop] = sent();
    expect(resume?.clientToken).not.toBe(stop?.clientToken);
    expect(resume?.action).toBe('RESUME');
    expect(stop?.action).toBe('STOP');
  });
});

describe('Image Builder resumer: reason limit', () => {
  it('a 2000-character comment is shortened to 1024 characters ending in …', async () => {
    // Prepare
    const comment = 'c'.repeat(2000);
    // Act
    await resumer.resume(request({ comment }));
    // Assess
    const reason = sent()[0]?.reason ?? '';
    expect(reason.length).toBe(MAX_REASON_CHARS);
    expect(reason.startsWith(`Approved by email:alice@example.com via rest at ${DECIDED_AT}: ccc`)).toBe(true);
    expect(reason.endsWith('c…')).toBe(true);
  });

  it('a 600 kB comment of surrogate pairs is shortened without a lone surrogate', async () => {
    // Prepare
    const comment = '😀'.repeat(150_000);
    // Act
    await resumer.resume(request({ comment }));
    // Assess
    const reason = sent()[0]?.reason ?? '';
    expect(reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
    expect(reason.length).toBeGreaterThanOrEqual(MAX_REASON_CHARS - 1);
    expect(reason).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('a reason that is exactly 1024 characters is sent whole', async () => {
    // Prepare
    const headline = `Approved by email:alice@example.com via rest at ${DECIDED_AT}: `;
    const comment = 'd'.repeat(MAX_REASON_CHARS - headline.length);
    // Act
    await resumer.resume(request({ comment }));
    // Assess
    expect(sent()[0]?.reason).toBe(`${headline}${comment}`);
  });

  it('many deciders are shortened too', async () => {
    // Prepare
    const decidedBy = Array.from({ length: 100 }, (_, index) => `email:approver-${index}@example.com`);
    // Act
    await resumer.resume(request({ decidedBy }));
    // Assess
    expect(sent()[0]?.reason?.length).toBe(MAX_REASON_CHARS);
  });
});

describe('Image Builder resumer: error classification', () => {
  it.each([
    ['InvalidRequestException', new InvalidRequestException({ message: 'step is not waiting', $metadata: {} })],
    ['ResourceNotFoundException', new ResourceNotFoundException({ message: 'no such step', $metadata: {} })],
  ])('%s → not-waiting with a clear reason', async (name, error) => {
    // Prepare
    imageBuilderMock.on(SendWorkflowStepActionCommand).rejects(error);
    // Act
    const result = await resumer.resume(request());
    // Assess
    expect(result).toEqual({ kind: 'not-waiting', reason: expect.stringContaining(`(${name})`) });
    expect(result.kind === 'not-waiting' && result.reason.startsWith('Image Builder')).toBe(true);
  });

  it.each([
    ['CallRateLimitExceededException', new CallRateLimitExceededException({ message: 'slow down', $metadata: {} })],
    ['ServiceException', new ServiceException({ message: 'internal', $metadata: { httpStatusCode: 500 } })],
    ['ServiceUnavailableException', new ServiceUnavailableException({ message: 'unavailable', $metadata: {} })],
    ['ResourceInUseException', new ResourceInUseException({ message: 'busy', $metadata: {} })],
    ['ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('%s → SourceUnavailableError with the cause', async (name, error) => {
    // Prepare
    imageBuilderMock.on(SendWorkflowStepActionCommand).rejects(error);
    const req = request();
    // Act
    const thrown = await resumer.resume(req).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect(thrown).toMatchObject({ source: 'imagebuilder', cause: error });
    expect((thrown as Error).message).toContain(`(${name}`);
    expect((thrown as Error).message).toContain(req.approval.id);
  });

  it.each([
    [
      'IdempotentParameterMismatchException (a bug: same token, other parameters)',
      new IdempotentParameterMismatchException({ message: 'mismatch', $metadata: {} }),
    ],
    ['InvalidParameterValueException', new InvalidParameterValueException({ message: 'bad arn', $metadata: {} })],
    ['ForbiddenException', new ForbiddenException({ message: 'denied', $metadata: {} })],
    ['ClientException', new ClientException({ message: 'client', $metadata: {} })],
  ])('%s is rethrown as it is', async (_, error) => {
    // Prepare
    imageBuilderMock.on(SendWorkflowStepActionCommand).rejects(error);
    // Act
    const thrown = await resumer.resume(request()).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBe(error);
  });
});
