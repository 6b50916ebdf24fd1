/**
 * Example Lambda durable function that waits for a Greenlight approval (docs/sources/lambda.md). Not deployed with
 * Greenlight and not bundled into its functions: deploy it with your own function (runtime Node.js 22 or 24,
 * @aws/durable-execution-sdk-js, DurableConfig.ExecutionTimeout longer than the approval's timeout). Its role needs
 * AWSLambdaBasicDurableExecutionRolePolicy and events:PutEvents on Greenlight's request bus.
 *
 * 1. `context.waitForCallback('approval', submitter, { timeout })` creates a callback and runs the submitter in a
 *    retried step: it puts ONE `Approval Requested` event whose detail carries `callbackId` and
 *    `durableExecutionArn` (a retry puts the same callback id again, which Greenlight captures as the same approval).
 * 2. The function suspends until Greenlight answers: SendDurableExecutionCallbackSuccess resolves the promise to the
 *    Result, a string (the default serdes passes it through); SendDurableExecutionCallbackFailure rejects it with a
 *    CallbackExternalError whose `errorData` is Greenlight's JSON document. ErrorType does not reach the function (the
 *    SDK keeps only ErrorMessage and ErrorData), so the document's `outcome` is what it branches on.
 */

import {
  CallbackExternalError,
  CallbackTimeoutError,
  type DurableContext,
  withDurableExecution,
} from '@aws/durable-execution-sdk-js';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

/** What Greenlight sends as Result (approve) or ErrorData (reject, expiry, refusal): the Step Functions document. */
interface GreenlightDocument {
  approvalId: string;
  outcome: 'approved' | 'rejected' | 'expired' | 'refused';
  decidedBy?: string[];
  channel?: string;
  comment?: string;
  decidedAt?: string;
  /** Refusals: Greenlight.InvalidRequest | Greenlight.NoEligibleApprovers, and why. */
  error?: string;
  reason?: string;
}

interface DeployRequest {
  service: string;
  version: string;
  environment: string;
  pullRequestUrl?: string;
}

type DeployResult =
  | { status: 'deployed'; approvalId: string; decidedBy: string[] }
  | { status: 'rejected' | 'expired' | 'refused'; reason: string }
  | { status: 'timed-out' };

const APPROVAL_TIMEOUT_SECONDS = 24 * 60 * 60;

// Created once per execution environment; AWS_ENDPOINT_URL_EVENTBRIDGE points it elsewhere locally.
const eventBridge = new EventBridgeClient({});

export const handler = withDurableExecution<DeployRequest, DeployResult>(
  async (event: DeployRequest, context: DurableContext): Promise<DeployResult> => {
    // The same on every replay, so it may be read outside a step.
    const durableExecutionArn = context.executionContext.durableExecutionArn;
    try {
      const result = await context.waitForCallback(
        'approval',
        async (callbackId) => {
          const output = await eventBridge.send(
            new PutEventsCommand({
              Entries: [
                {
                  EventBusName: process.env.GREENLIGHT_REQUEST_BUS ?? 'greenlight-dev',
                  Source: 'com.example.deploy',
                  DetailType: 'Approval Requested',
                  Detail: JSON.stringify({
                    callbackId,
                    durableExecutionArn,
                    title: `Deploy ${event.service} ${event.version} to ${event.environment}`,
                    requestedBy: 'email:bob@example.com',
                    approvers: ['email:alice@example.com'],
                    // Shorter than the callback's timeout, so Greenlight's expiry answers first.
                    timeoutSeconds: APPROVAL_TIMEOUT_SECONDS,
                    context: {
                      fields: { environment: event.environment, version: event.version },
                      links: event.pullRequestUrl ? [{ label: 'Pull request', url: event.pullRequestUrl }] : [],
                    },
                  }),
                },
              ],
            }),
          );
          // PutEvents reports a failed entry in a 200 reply: throw, so the submitter step is retried.
          if ((output.FailedEntryCount ?? 0) > 0)
            throw new Error(`PutEvents failed: ${output.Entries?.[0]?.ErrorCode}`);
        },
        { timeout: { seconds: APPROVAL_TIMEOUT_SECONDS + 300 } },
      );
      const decision = JSON.parse(result) as GreenlightDocument;
      // … deploy in a context.step(…) here …
      return { status: 'deployed', approvalId: decision.approvalId, decidedBy: decision.decidedBy ?? [] };
    } catch (error) {
      if (error instanceof CallbackTimeoutError) return { status: 'timed-out' };
      if (error instanceof CallbackExternalError) {
        const document = greenlightDocument(error.errorData);
        if (document !== undefined && document.outcome !== 'approved') {
          return { status: document.outcome, reason: document.reason ?? error.message };
        }
      }
      throw error; // the submitter failed for good (CallbackSubmitterError), or not Greenlight's answer
    }
  },
);

function greenlightDocument(errorData: string | undefined): GreenlightDocument | undefined {
  if (errorData === undefined) return undefined;
  try {
    return JSON.parse(errorData) as GreenlightDocument;
  } catch {
    return undefined;
  }
}
