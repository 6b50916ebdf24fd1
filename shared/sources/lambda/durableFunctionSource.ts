/**
 * AWS Lambda durable functions: `context.waitForCallback` waits, its submitter puts an `Approval Requested` event with
 * the callback id; answered with SendDurableExecutionCallbackSuccess / Failure; `Durable Execution Status Change`
 * (source aws.lambda, https://docs.aws.amazon.com/lambda/latest/dg/durable-monitoring.html) says the execution ended.
 * Fields and errors: events/README.md and docs/sources/lambda.md.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import * as z from '../../domain/zodMini';
import { eventBridgeEnvelope } from '../eventBridgeEnvelope';
import type { SourceDescriptor } from '../sourceDescriptor';
import { statusList, workflowEndings } from '../workflowEndings';
import { durableFunctionCapture } from './durableFunctionCapture';
import { durableFunctionPresentation } from './durableFunctionPresentation';
import { durableFunctionProbe } from './durableFunctionProbe';
import { DURABLE_EXECUTION_ARN } from './durableFunctionReference';
import { durableFunctionResumer } from './durableFunctionResumer';

const DAY_SECONDS = 24 * 60 * 60;
/** "For terminal states (SUCCEEDED, STOPPED, FAILED, TIMED_OUT), the event includes an endTimestamp" (durable-monitoring). */
const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'STOPPED'];

export const durableFunctionSource: SourceDescriptor<'lambda', LambdaClient> = {
  ...durableFunctionPresentation,
  // A callback waits without end unless waitForCallback sets a timeout (TimeoutSeconds 0 = none); we use SSM's 7 days.
  defaultTimeoutSeconds: 7 * DAY_SECONDS,
  createClient: (config) => new LambdaClient(config ?? {}),
  waitingSource: () => durableFunctionCapture(durableFunctionSource.defaultTimeoutSeconds),
  resumer: durableFunctionResumer,
  probe: durableFunctionProbe,
  endings: workflowEndings({
    kind: 'lambda',
    eventSource: 'aws.lambda',
    detailTypes: ['Durable Execution Status Change'],
    terminalStatuses: TERMINAL_STATUSES,
    what: 'durable execution status change',
    schema: z.object({
      ...eventBridgeEnvelope,
      detail: z.object({
        durableExecutionArn: z.string().check(z.regex(DURABLE_EXECUTION_ARN, 'must be a Lambda durable execution ARN')),
        status: z.enum(statusList(TERMINAL_STATUSES)),
      }),
    }),
    read: ({ detail }) => ({ workflowRef: detail.durableExecutionArn, status: detail.status }),
  }),
};
