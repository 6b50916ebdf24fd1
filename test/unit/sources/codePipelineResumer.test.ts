import {
  ActionNotFoundException,
  ApprovalAlreadyCompletedException,
  CodePipelineClient,
  CodePipelineServiceException,
  InvalidApprovalTokenException,
  PipelineNotFoundException,
  PutApprovalResultCommand,
  StageNotFoundException,
  ValidationException,
} from '@aws-sdk/client-codepipeline';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../shared/app/errors';
import type { RefusalRequest, ResumeRequest } from '../../../shared/app/sourcePorts';
import { type Approval, openApproval } from '../../../shared/domain/approval';
import type { CodePipelineReference } from '../../../shared/sources/codepipeline/codePipelineReference';
import { codePipelineResumer, MAX_SUMMARY_CHARS } from '../../../shared/sources/codepipeline/codePipelineResumer';
import { DECIDED_AT, OPENED_AT, resumeRequest } from '../../support/resumeRequests';

const TOKEN = '3e7c1a9b-2d4f-4a6e-8b1c-5d7f9e0a2b4c';
const REFERENCE: CodePipelineReference = {
  kind: 'codepipeline',
  pipelineName: 'checkout-deploy',
  stageName: 'Approve',
  actionName: 'ProductionApproval',
  pipelineExecutionId: '6f1d2c3b-4a59-4e8d-9c7b-a6f5e4d3c2b1',
  actionExecutionId: '0c9b8a76-5e4d-4c3b-a2f1-e0d9c8b7a6f5',
  token: TOKEN,
  tokenFrom: 'pipeline-state',
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const codePipelineMock = mockClient(CodePipelineClient);
const resumer = codePipelineResumer(new CodePipelineClient({ region: 'us-east-1' }));

function approval(): Approval {
  return openApproval(
    {
      source: 'codepipeline',
      naturalKey: `arn:aws:codepipeline:us-east-1:111122223333:checkout-deploy/Approve/ProductionApproval/${REFERENCE.pipelineExecutionId}/${REFERENCE.actionExecutionId}`,
      sourceRef: structuredClone(REFERENCE),
      workflowRef: `arn:aws:codepipeline:us-east-1:111122223333:checkout-deploy/Approve/ProductionApproval/${REFERENCE.pipelineExecutionId}`,
      title: 'Pipeline checkout-deploy: ProductionApproval awaits approval',
    },
    new Date(OPENED_AT),
    7 * 24 * 60 * 60,
  );
}

function request(overrides: Partial<ResumeRequest> = {}): ResumeRequest {
  return resumeRequest(approval(), { channel: 'slack', comment: 'ship it', ...overrides });
}

function sent() {
  return codePipelineMock.commandCalls(PutApprovalResultCommand).map((call) => call.args[0].input);
}

beforeEach(() => {
  codePipelineMock.reset();
  codePipelineMock.on(PutApprovalResultCommand).resolves({ approvedAt: new Date(DECIDED_AT) });
});

describe('CodePipeline resumer: the answer call', () => {
  it('approve sends one PutApprovalResult Approved whose summary names who decided, how, when and why', async () => {
    // Act
    const result = await resumer.resume(request());
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    expect(sent()).toEqual([
      {
        pipelineName: 'checkout-deploy',
        stageName: 'Approve',
        actionName: 'ProductionApproval',
        token: TOKEN,
        result: {
          status: 'Approved',
          summary: `Approved by email:alice@example.com via slack at ${DECIDED_AT}: ship it`,
        },
      },
    ]);
  });

  it('reject sends Rejected naming every decider', async () => {
    // Prepare
    const req = request({
      outcome: 'rejected',
      answer: 'reject',
      decidedBy: ['slack:U012AB3CD', 'email:carol@example.com'],
    });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sent()[0]?.result).toEqual({
      status: 'Rejected',
      summary: `Rejected by slack:U012AB3CD, email:carol@example.com via slack at ${DECIDED_AT}: ship it`,
    });
  });

  it('an expiry rejects, as the policy says, and says it expired without a decision', async () => {
    // Prepare
    const req = request({ outcome: 'expired', answer: 'reject', decidedBy: [], channel: 'system', comment: undefined });
    // Act
    await resumer.resume(req);
    // Assess
    expect(sent()[0]?.result).toEqual({
      status: 'Rejected',
      summary: `Expired without a decision at ${DECIDED_AT}, rejected as the policy says`,
    });
  });

  it('sends the same request on a retry (attempt 2)', async () => {
    // Act
    await resumer.resume(request());
    await resumer.resume(request({ attempt: 2 }));
    // Assess
    const [first, second] = sent();
    expect(second).toEqual(first);
  });

  it('keeps the summary within 512 characters, ending with … and never splitting a surrogate pair', async () => {
    // Prepare
    const req = request({ comment: `x${'😀'.repeat(600)}` });
    // Act
    await resumer.resume(req);
    // Assess
    const summary = sent()[0]?.result?.summary ?? '';
    expect(summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary).not.toMatch(LONE_SURROGATE);
    expect(summary.startsWith(`Approved by email:alice@example.com via slack at ${DECIDED_AT}: x😀`)).toBe(true);
  });

  it('a refusal answers Rejected with the refusal text, within 512 characters', async () => {
    // Prepare
    const refusal: RefusalRequest = {
      approvalId: approval().id,
      sourceRef: structuredClone(REFERENCE),
      error: 'Greenlight.NoEligibleApprovers',
      reason: `no policy rule covers this codepipeline workflow ${'r'.repeat(600)}`,
    };
    // Act
    const result = await resumer.refuse(refusal);
    // Assess
    expect(result).toEqual({ kind: 'resumed' });
    const [input] = sent();
    expect(input?.result?.status).toBe('Rejected');
    expect(input?.result?.summary).toMatch(
      /^Refused by Greenlight \(Greenlight\.NoEligibleApprovers\): no policy rule/,
    );
    expect(input?.result?.summary?.length).toBe(MAX_SUMMARY_CHARS);
    expect(input?.token).toBe(TOKEN);
  });

  it('refuses an approval of another source without calling AWS', async () => {
    // Prepare
    const req = request();
    req.approval.sourceRef = { kind: 'ssm', automationExecutionId: 'x', stepName: 'approve' };
    // Act
    const outcome = resumer.resume(req);
    // Assess
    await expect(outcome).rejects.toThrow(/not a CodePipeline one/);
    expect(codePipelineMock.calls()).toHaveLength(0);
  });
});

describe('CodePipeline resumer: error classification', () => {
  const metadata = { httpStatusCode: 400 };
  it.each([
    [
      'ApprovalAlreadyCompletedException',
      new ApprovalAlreadyCompletedException({ message: 'done', $metadata: metadata }),
    ],
    ['InvalidApprovalTokenException', new InvalidApprovalTokenException({ message: 'expired', $metadata: metadata })],
    ['ActionNotFoundException', new ActionNotFoundException({ message: 'no action', $metadata: metadata })],
    ['StageNotFoundException', new StageNotFoundException({ message: 'no stage', $metadata: metadata })],
    ['PipelineNotFoundException', new PipelineNotFoundException({ message: 'no pipeline', $metadata: metadata })],
  ])('%s → not-waiting with a clear reason', async (name, error) => {
    // Prepare
    codePipelineMock.on(PutApprovalResultCommand).rejects(error);
    // Act
    const result = await resumer.resume(request());
    // Assess
    expect(result).toEqual({ kind: 'not-waiting', reason: expect.stringContaining(`(${name})`) });
    expect(result.kind === 'not-waiting' && result.reason.startsWith('CodePipeline')).toBe(true);
  });

  it('marks a "no longer waiting" answer to an SDK retry as afterRetry (our own first attempt may have landed)', async () => {
    // Prepare
    const error = new ApprovalAlreadyCompletedException({ message: 'done', $metadata: { attempts: 2 } });
    codePipelineMock.on(PutApprovalResultCommand).rejects(error);
    // Act
    const result = await resumer.resume(request());
    // Assess
    expect(result).toMatchObject({ kind: 'not-waiting', afterRetry: true });
  });

  it.each([
    [
      'ThrottlingException',
      new CodePipelineServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 400 },
      }),
    ],
    [
      'InternalFailure',
      new CodePipelineServiceException({
        name: 'InternalFailure',
        $fault: 'server',
        message: 'internal',
        $metadata: { httpStatusCode: 500 },
      }),
    ],
    [
      'ServiceUnavailable',
      new CodePipelineServiceException({
        name: 'ServiceUnavailable',
        $fault: 'server',
        message: 'x',
        $metadata: { httpStatusCode: 503 },
      }),
    ],
    ['ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('%s → SourceUnavailableError (finished later)', async (name, error) => {
    // Prepare
    codePipelineMock.on(PutApprovalResultCommand).rejects(error);
    // Act
    const thrown = await resumer.resume(request()).catch((caught: unknown) => caught);
    // Assess
    expect(thrown).toBeInstanceOf(SourceUnavailableError);
    expect(thrown).toMatchObject({ source: 'codepipeline' });
    expect((thrown as Error).message).toContain(`(${name}`);
  });

  it('never lets the token out in an error it throws, even when AWS echoes it', async () => {
    // Prepare: a validation error that quotes the request, and a 5xx whose message does the same
    const echoing = new ValidationException({ message: `Value '${TOKEN}' at 'token' is invalid`, $metadata: metadata });
    const unavailable = new CodePipelineServiceException({
      name: 'InternalFailure',
      $fault: 'server',
      message: `failed for token ${TOKEN}`,
      $metadata: { httpStatusCode: 500 },
    });
    // Act
    codePipelineMock.on(PutApprovalResultCommand).rejects(echoing);
    const rethrown = await resumer.resume(request()).catch((caught: unknown) => caught);
    codePipelineMock.on(PutApprovalResultCommand).rejects(unavailable);
    const wrapped = await resumer.resume(request()).catch((caught: unknown) => caught);
    // Assess
    expect(rethrown).toBeInstanceOf(ValidationException);
    expect(wrapped).toBeInstanceOf(SourceUnavailableError);
    for (const error of [rethrown, wrapped, (wrapped as Error).cause]) {
      const text = `${(error as Error).message} ${(error as Error).stack}`;
      expect(text).not.toContain(TOKEN);
    }
    expect((rethrown as Error).message).toContain('[approval token]');
  });
});
