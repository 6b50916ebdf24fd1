/**
 * Lambda durable functions: `context.waitForCallback(submitter)` hands its submitter a callback id; the submitter puts
 * an `Approval Requested` event on Greenlight's request bus whose detail carries `callbackId` and `durableExecutionArn`
 * (no AWS event announces a waiting callback). The SDK runs the submitter as a retried step, so one wait may be
 * announced more than once: the callback id is the natural key, and every duplicate meets the same approval.
 * Answered with SendDurableExecutionCallbackSuccess / Failure. Fields: docs/sources/lambda.md and events/README.md.
 */
import type { EventIssue } from '../../app/errors';
import type { CaptureResult, WaitingSource } from '../../app/sourcePorts';
import * as z from '../../domain/zodMini';
import { parseAnswerableRequest } from '../answerableRequest';
import { approvalRequestedBy, approvalRequestedEventSchema } from '../approvalRequested';
import { approvalRequestFields, QUORUM_UNREACHABLE, quorumReachable } from '../approvalRequestSchema';
import { parseEvent } from '../parseEvent';
import {
  CALLBACK_ID,
  DURABLE_EXECUTION_ARN,
  type DurableFunctionReference,
  durableExecutionParts,
  MAX_CALLBACK_ID_CHARS,
  MAX_DURABLE_EXECUTION_ARN_CHARS,
} from './durableFunctionReference';

export const callbackIdSchema = z
  .string({ error: 'is required (the callback id waitForCallback hands its submitter)' })
  .check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(MAX_CALLBACK_ID_CHARS, `must be at most ${MAX_CALLBACK_ID_CHARS} characters`),
    z.regex(CALLBACK_ID, 'must be a callback id (base64 characters)'),
  );

const durableExecutionArnSchema = z
  .string({ error: 'is required (pass context.executionContext.durableExecutionArn)' })
  .check(
    z.maxLength(MAX_DURABLE_EXECUTION_ARN_CHARS, `must be at most ${MAX_DURABLE_EXECUTION_ARN_CHARS} characters`),
    z.regex(DURABLE_EXECUTION_ARN, 'must be a Lambda durable execution ARN'),
  );

const requestSchema = z
  .object({ callbackId: callbackIdSchema, durableExecutionArn: durableExecutionArnSchema, ...approvalRequestFields })
  .check(z.refine(quorumReachable, QUORUM_UNREACHABLE));

type DurableFunctionRequest = z.output<typeof requestSchema>;

/**
 * The execution ARN is the request's word, not AWS's (nothing appends it, unlike Step Functions' `resources`); policy
 * rules match it, so it must at least name a function of the account that put the event (EventBridge sets `account`).
 */
function declaredExecution(envelope: { account: string; detail: Record<string, unknown> }): {
  durableExecutionArn?: string;
  issues: EventIssue[];
} {
  const arn = durableExecutionArnSchema.safeParse(envelope.detail.durableExecutionArn);
  if (!arn.success) return { issues: [] }; // the request schema names the fault
  if (durableExecutionParts(arn.data).account !== envelope.account) {
    const message = 'must be a durable execution of the account that put the event';
    return { issues: [{ path: 'detail.durableExecutionArn', message }] };
  }
  return { durableExecutionArn: arn.data, issues: [] };
}

function toWaitingItem(request: DurableFunctionRequest): CaptureResult {
  return {
    kind: 'waiting',
    item: {
      source: 'lambda',
      naturalKey: request.callbackId,
      sourceRef: {
        kind: 'lambda',
        callbackId: request.callbackId,
        durableExecutionArn: request.durableExecutionArn,
      } satisfies DurableFunctionReference,
      workflowRef: request.durableExecutionArn,
      title:
        request.title ??
        `Lambda durable execution of ${durableExecutionParts(request.durableExecutionArn).functionName}`,
      ...(request.description === undefined ? {} : { description: request.description }),
      context: { links: request.context?.links ?? [], fields: request.context?.fields ?? {} },
      ...(request.approvers === undefined ? {} : { approvers: request.approvers }),
      ...(request.requiredApprovals === undefined ? {} : { requiredApprovals: request.requiredApprovals }),
      ...(request.requestedBy === undefined ? {} : { requestedBy: request.requestedBy }),
      ...(request.timeoutSeconds === undefined ? {} : { timeoutSeconds: request.timeoutSeconds }),
      ...(request.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: request.heartbeatSeconds }),
    },
  };
}

async function capture(event: unknown): Promise<CaptureResult> {
  const envelope = parseEvent(approvalRequestedEventSchema, event, 'lambda', 'EventBridge event');
  const execution = declaredExecution(envelope);
  const parsed = parseAnswerableRequest({
    schema: requestSchema,
    request: envelope.detail,
    source: 'lambda',
    what: 'Approval Requested detail',
    at: ['detail'],
    extraIssues: execution.issues,
    handle: (detail) => callbackIdSchema.safeParse((detail as { callbackId?: unknown }).callbackId).data,
  });
  if (parsed.kind === 'valid') return toWaitingItem(parsed.request);
  return {
    kind: 'invalid',
    wait: {
      source: 'lambda',
      naturalKey: parsed.handle,
      sourceRef: {
        kind: 'lambda',
        callbackId: parsed.handle,
        durableExecutionArn: execution.durableExecutionArn ?? '',
      } satisfies DurableFunctionReference,
      workflowRef: execution.durableExecutionArn ?? '',
    },
    issues: parsed.issues,
  };
}

export function durableFunctionCapture(defaultTimeoutSeconds: number): WaitingSource {
  return {
    kind: 'lambda',
    defaultTimeoutSeconds,
    recognises: (event) => approvalRequestedBy(event) === 'lambda',
    capture,
  };
}
