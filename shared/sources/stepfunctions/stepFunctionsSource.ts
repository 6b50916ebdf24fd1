/**
 * AWS Step Functions: a Task state waits with `.waitForTaskToken` (events:putEvents or lambda:invoke); answered with
 * SendTaskSuccess / SendTaskFailure; `Step Functions Execution Status Change` says the execution ended. Fields and
 * errors: events/README.md and docs/sources/stepfunctions.md.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import * as z from '../../domain/zodMini';
import { eventBridgeEnvelope } from '../eventBridgeEnvelope';
import type { SourceDescriptor } from '../sourceDescriptor';
import { statusList, workflowEndings } from '../workflowEndings';
import { stepFunctionsCapture } from './stepFunctionsCapture';
import { stepFunctionsPresentation } from './stepFunctionsPresentation';
import { stepFunctionsProbe } from './stepFunctionsProbe';
import { STEP_FUNCTIONS_EXECUTION_ARN } from './stepFunctionsReference';
import { stepFunctionsResumer } from './stepFunctionsResumer';

const DAY_SECONDS = 24 * 60 * 60;
const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

export const stepFunctionsSource: SourceDescriptor<'stepfunctions', SFNClient> = {
  ...stepFunctionsPresentation,
  // A task has no default timeout; we use SSM's 7 days.
  defaultTimeoutSeconds: 7 * DAY_SECONDS,
  createClient: (config) => new SFNClient(config ?? {}),
  waitingSource: () => stepFunctionsCapture(stepFunctionsSource.defaultTimeoutSeconds),
  resumer: stepFunctionsResumer,
  probe: stepFunctionsProbe,
  endings: workflowEndings({
    kind: 'stepfunctions',
    eventSource: 'aws.states',
    detailTypes: ['Step Functions Execution Status Change'],
    terminalStatuses: TERMINAL_STATUSES,
    what: 'execution status change',
    schema: z.object({
      ...eventBridgeEnvelope,
      detail: z.object({
        executionArn: z.string().check(z.regex(STEP_FUNCTIONS_EXECUTION_ARN, 'must be a Step Functions execution ARN')),
        status: z.enum(statusList(TERMINAL_STATUSES)),
      }),
    }),
    read: ({ detail }) => ({ workflowRef: detail.executionArn, status: detail.status }),
  }),
};
