/**
 * EC2 Image Builder: a workflow step in `WaitForAction` (`EC2 Image Builder Workflow Step Waiting`); answered with
 * SendWorkflowStepAction RESUME / STOP; `EC2 Image Builder Image State Change` says the build ended. Fields and
 * errors: events/README.md and docs/sources/imagebuilder.md.
 */
import { ImagebuilderClient } from '@aws-sdk/client-imagebuilder';
import * as z from '../../domain/zodMini';
import { eventBridgeEnvelope } from '../eventBridgeEnvelope';
import type { SourceDescriptor } from '../sourceDescriptor';
import { statusList, workflowEndings } from '../workflowEndings';
import { imageBuilderCapture } from './imageBuilderCapture';
import { imageBuilderPresentation } from './imageBuilderPresentation';
import { imageBuilderProbe } from './imageBuilderProbe';
import { IMAGE_BUILD_VERSION_ARN } from './imageBuilderReference';
import { imageBuilderResumer } from './imageBuilderResumer';

const DAY_SECONDS = 24 * 60 * 60;
const TERMINAL_STATUSES = ['AVAILABLE', 'FAILED', 'CANCELLED', 'DELETED'];

export const imageBuilderSource: SourceDescriptor<'imagebuilder', ImagebuilderClient> = {
  ...imageBuilderPresentation,
  // WaitForAction waits 3 days unless the step says otherwise.
  defaultTimeoutSeconds: 3 * DAY_SECONDS,
  createClient: (config) => new ImagebuilderClient(config ?? {}),
  waitingSource: () => imageBuilderCapture(imageBuilderSource.defaultTimeoutSeconds),
  resumer: imageBuilderResumer,
  probe: imageBuilderProbe,
  endings: workflowEndings({
    kind: 'imagebuilder',
    eventSource: 'aws.imagebuilder',
    detailTypes: ['EC2 Image Builder Image State Change'],
    terminalStatuses: TERMINAL_STATUSES,
    what: 'image state change',
    schema: z.object({
      ...eventBridgeEnvelope,
      resources: z.array(z.string()).check(
        z.refine((arns) => arns.some((arn) => IMAGE_BUILD_VERSION_ARN.test(arn)), {
          message: 'must contain the image build version ARN',
        }),
      ),
      detail: z.object({ state: z.object({ status: z.enum(statusList(TERMINAL_STATUSES)) }) }),
    }),
    read: (event) => ({
      workflowRef: event.resources.find((arn) => IMAGE_BUILD_VERSION_ARN.test(arn)) as string,
      status: event.detail.state.status,
    }),
  }),
};
