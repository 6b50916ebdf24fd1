/**
 * Systems Manager Automation: a runbook's `aws:approve` step waits (`EC2 Automation Step/Execution Status-change
 * Notification`, Status `Waiting`); answered with SendAutomationSignal Approve / Reject; a terminal execution status
 * says the automation ended. Fields and errors: events/README.md and docs/sources/ssm.md.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import * as z from '../../domain/zodMini';
import { eventBridgeEnvelope } from '../eventBridgeEnvelope';
import type { SourceDescriptor } from '../sourceDescriptor';
import { statusList, workflowEndings } from '../workflowEndings';
import { AUTOMATION_EXECUTION_STATUS_CHANGE, SSM_EVENT_SOURCE, ssmAutomationCapture } from './ssmAutomationCapture';
import { ssmAutomationPresentation } from './ssmAutomationPresentation';
import { ssmAutomationProbe } from './ssmAutomationProbe';
import { AUTOMATION_EXECUTION_ID } from './ssmAutomationReference';
import { ssmAutomationResumer } from './ssmAutomationResumer';

const DAY_SECONDS = 24 * 60 * 60;
const TERMINAL_STATUSES = [
  'Success',
  'Failed',
  'TimedOut',
  'Cancelled',
  'CompletedWithSuccess',
  'CompletedWithFailure',
  'Exited',
  'Rejected',
];

export const ssmAutomationSource: SourceDescriptor<'ssm', SSMClient> = {
  ...ssmAutomationPresentation,
  // aws:approve waits 7 days unless the step's timeoutSeconds says otherwise.
  defaultTimeoutSeconds: 7 * DAY_SECONDS,
  createClient: (config) => new SSMClient(config ?? {}),
  waitingSource: (ssm, options) => ssmAutomationCapture(ssm, options, ssmAutomationSource.defaultTimeoutSeconds),
  resumer: ssmAutomationResumer,
  probe: ssmAutomationProbe,
  endings: workflowEndings({
    kind: 'ssm',
    eventSource: SSM_EVENT_SOURCE,
    detailTypes: [AUTOMATION_EXECUTION_STATUS_CHANGE],
    terminalStatuses: TERMINAL_STATUSES,
    what: 'automation status change',
    schema: z.object({
      ...eventBridgeEnvelope,
      detail: z.object({
        ExecutionId: z.string().check(z.regex(AUTOMATION_EXECUTION_ID, 'must be an automation execution id')),
        Status: z.enum(statusList(TERMINAL_STATUSES)),
      }),
    }),
    read: ({ detail }) => ({ workflowRef: detail.ExecutionId, status: detail.Status }),
  }),
};
