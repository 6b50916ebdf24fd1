/**
 * What the integration, e2e and reliability tests need of each source: how to make a workflow wait in its stand-in
 * and announce it, and how to read the stand-in's answer calls. One kit per source (test/support/sourceKits/), all
 * listed in SOURCE_TEST_KITS: the typecheck asks a new source for its kit, so every suite covers it.
 */
import type { LocalStack } from '../../infra/local/localStack';
import type { RecordedCall, ServiceName } from '../../infra/local/standins';
import type { SourceKind } from '../../shared/domain/approval';
import { codePipelineKit } from './sourceKits/codePipelineKit';
import { imageBuilderKit } from './sourceKits/imageBuilderKit';
import { lambdaKit } from './sourceKits/lambdaKit';
import { ssmAutomationKit } from './sourceKits/ssmAutomationKit';
import { stepFunctionsKit } from './sourceKits/stepFunctionsKit';

export interface OpenWaitingOptions {
  requiredApprovals?: number;
  requestedBy?: string;
  /** Step Functions: `deploy` unless told (`canary-…` meets the rule that lists `client:ci-gate`). */
  stateMachineName?: string;
  /** Requests that carry approvers: alice and carol unless told; null: none (the rule's approvers stay). */
  approvers?: string[] | null;
}

export interface WaitingInStandin {
  /** The event that announces the wait, as the source (or the workflow) puts it. */
  event: unknown;
  /** What identifies this wait in the stand-in's recorded calls. */
  matchesCall(input: Record<string, unknown>): boolean;
  /** The secret that answers the wait, Step Functions' task token or Lambda's callback id (never to be found elsewhere). */
  taskToken?: string;
}

export interface SourceTestKit {
  /** The stand-in service and operations that answer the source's waits. */
  answerCalls: { service: ServiceName; operations: string[] };
  /** A new wait in the stand-in, and its announcing event. */
  openWaiting(stack: LocalStack, options: OpenWaitingOptions): WaitingInStandin;
  /** What an answer call told the workflow. */
  answerOf(call: RecordedCall): 'approve' | 'reject';
  /** Calls with one key act once (Image Builder's clientToken): the key of a call, when the source has such keys. */
  idempotencyKeyOf?(call: RecordedCall): string;
}

export const SOURCE_TEST_KITS: Record<SourceKind, SourceTestKit> = {
  stepfunctions: stepFunctionsKit,
  imagebuilder: imageBuilderKit,
  ssm: ssmAutomationKit,
  lambda: lambdaKit,
  codepipeline: codePipelineKit,
};
