/**
 * EC2 Image Builder: a workflow step with action WaitForAction emits `EC2 Image Builder Workflow Step Waiting`
 * (source aws.imagebuilder). The step execution id is in the detail; the image build version ARN, which
 * SendWorkflowStepAction also needs, is in `resources`. See events/README.md for the documentation.
 */
import type { CaptureResult, WaitingSource } from '../../app/sourcePorts';
import * as z from '../../domain/zodMini';
import { eventBridgeEnvelope } from '../eventBridgeEnvelope';
import { isEventBridgeEvent, parseEvent } from '../parseEvent';
import {
  IMAGE_BUILD_VERSION_ARN,
  IMAGE_BUILDER_WORKFLOW_ARN,
  type ImageBuilderReference,
  WORKFLOW_EXECUTION_ID,
  WORKFLOW_STEP_EXECUTION_ID,
} from './imageBuilderReference';

export const IMAGE_BUILDER_EVENT_SOURCE = 'aws.imagebuilder';
export const WORKFLOW_STEP_WAITING_DETAIL_TYPE = 'EC2 Image Builder Workflow Step Waiting';

const eventSchema = z.object({
  ...eventBridgeEnvelope,
  resources: z.array(z.string()).check(
    z.refine((resources) => resources.some((arn) => IMAGE_BUILD_VERSION_ARN.test(arn)), {
      message: 'must contain the image build version ARN (arn:…:imagebuilder:…:image/<name>/<version>/<build>)',
    }),
  ),
  detail: z.object({
    'workflow-step-execution-id': z
      .string({ error: 'is required' })
      .check(z.regex(WORKFLOW_STEP_EXECUTION_ID, 'must be a workflow step execution id (step-<uuid>)')),
    'workflow-execution-id': z.optional(
      z.string().check(z.regex(WORKFLOW_EXECUTION_ID, 'must be a workflow execution id (wf-<uuid>)')),
    ),
    'workflow-step-name': z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  }),
});

/** `arn:…:image/golden-al2023/1.0.0/3` → `golden-al2023 1.0.0/3`. */
function describeImage(imageBuildVersionArn: string): string {
  const [, name, version, build] = imageBuildVersionArn.split(':image/')[1]?.match(/^([^/]+)\/([^/]+)\/([^/]+)$/) ?? [];
  return `${name} ${version}/${build}`;
}

function capture(event: unknown): CaptureResult {
  const envelope = parseEvent(eventSchema, event, 'imagebuilder', 'Workflow Step Waiting event');
  const { detail } = envelope;
  const imageBuildVersionArn = envelope.resources.find((arn) => IMAGE_BUILD_VERSION_ARN.test(arn)) as string;
  const workflowBuildVersionArn = envelope.resources.find((arn) => IMAGE_BUILDER_WORKFLOW_ARN.test(arn));
  const stepName = detail['workflow-step-name'];
  const stepExecutionId = detail['workflow-step-execution-id'];
  return {
    kind: 'waiting',
    item: {
      source: 'imagebuilder',
      naturalKey: stepExecutionId,
      sourceRef: {
        kind: 'imagebuilder',
        workflowStepExecutionId: stepExecutionId,
        imageBuildVersionArn,
        ...(detail['workflow-execution-id'] ? { workflowExecutionId: detail['workflow-execution-id'] } : {}),
        ...(workflowBuildVersionArn ? { workflowBuildVersionArn } : {}),
        ...(stepName ? { stepName } : {}),
      } satisfies ImageBuilderReference,
      workflowRef: imageBuildVersionArn,
      title: `Image ${describeImage(imageBuildVersionArn)}: ${stepName ?? 'workflow step'} is waiting`,
      context: {
        fields: {
          image: imageBuildVersionArn,
          ...(stepName ? { step: stepName } : {}),
          ...(detail['workflow-execution-id'] ? { workflowExecution: detail['workflow-execution-id'] } : {}),
        },
      },
    },
  };
}

export function imageBuilderCapture(defaultTimeoutSeconds: number): WaitingSource {
  return {
    kind: 'imagebuilder',
    defaultTimeoutSeconds,
    recognises: (event) => isEventBridgeEvent(event, [WORKFLOW_STEP_WAITING_DETAIL_TYPE], IMAGE_BUILDER_EVENT_SOURCE),
    capture: async (event) => capture(event),
  };
}
