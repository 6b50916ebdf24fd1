/**
 * AWS CodePipeline: a Manual approval action waits (`CodePipeline Action Execution State Change`, state STARTED,
 * category Approval, provider Manual); answered with PutApprovalResult Approved / Rejected; any later state of the same
 * action (SUCCEEDED, FAILED, ABANDONED, CANCELED) says the wait ended. Fields and errors: events/README.md and
 * docs/sources/codepipeline.md.
 */
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import * as z from '../../domain/zodMini';
import type { SourceDescriptor } from '../sourceDescriptor';
import { statusList, workflowEndings } from '../workflowEndings';
import {
  ACTION_EXECUTION_STATE_CHANGE,
  actionStateChangeSchema,
  CODEPIPELINE_EVENT_SOURCE,
  codePipelineCapture,
  pipelineArnOf,
} from './codePipelineCapture';
import { codePipelinePresentation } from './codePipelinePresentation';
import { codePipelineProbe } from './codePipelineProbe';
import { codePipelineWorkflowRef } from './codePipelineReference';
import { codePipelineResumer } from './codePipelineResumer';

/**
 * SUCCEEDED (approved elsewhere), FAILED (rejected elsewhere or timed out), ABANDONED (stop and abandon), CANCELED
 * (the pipeline structure was updated): detect-state-changes-cloudwatch-events.html, pipelines-stop.html.
 */
const TERMINAL_STATUSES = ['SUCCEEDED', 'FAILED', 'ABANDONED', 'CANCELED'];

export const codePipelineSource: SourceDescriptor<'codepipeline', CodePipelineClient> = {
  ...codePipelinePresentation,
  // "Manual approval action account-level default timeout: 7 days" (limits.html), unless timeoutInMinutes says.
  defaultTimeoutSeconds: 10_080 * 60,
  createClient: (config) => new CodePipelineClient(config ?? {}),
  waitingSource: (codepipeline) => codePipelineCapture(codepipeline, codePipelineSource.defaultTimeoutSeconds),
  resumer: codePipelineResumer,
  probe: codePipelineProbe,
  endings: workflowEndings({
    kind: 'codepipeline',
    eventSource: CODEPIPELINE_EVENT_SOURCE,
    detailTypes: [ACTION_EXECUTION_STATE_CHANGE],
    terminalStatuses: TERMINAL_STATUSES,
    what: 'action execution state change',
    schema: actionStateChangeSchema(z.enum(statusList(TERMINAL_STATUSES))),
    read: (event) => ({
      workflowRef: codePipelineWorkflowRef(
        pipelineArnOf(event) as string,
        event.detail.stage,
        event.detail.action,
        event.detail['execution-id'],
      ),
      status: event.detail.state,
    }),
  }),
};
