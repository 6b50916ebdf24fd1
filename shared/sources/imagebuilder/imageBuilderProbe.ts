/** EC2 Image Builder: GetWorkflowStepExecution tells whether the step still waits. */
import {
  GetWorkflowStepExecutionCommand,
  type ImagebuilderClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-imagebuilder';
import type { SourceProbe } from '../../app/sourcePorts';
import { probeOutcome } from '../probeOutcome';
import type { ImageBuilderReference } from './imageBuilderReference';

export function imageBuilderProbe(imagebuilder: ImagebuilderClient): SourceProbe {
  return {
    stillWaiting: (approval) =>
      probeOutcome<ImageBuilderReference>(
        approval,
        'imagebuilder',
        async (ref) => {
          const { status } = await imagebuilder.send(
            new GetWorkflowStepExecutionCommand({ stepExecutionId: ref.workflowStepExecutionId }),
          );
          // The API lists PENDING | SKIPPED | RUNNING | COMPLETED | FAILED | CANCELLED; a waiting step is not finished.
          return status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED' || status === 'SKIPPED'
            ? { kind: 'ended', status }
            : { kind: 'waiting' };
        },
        (error) => error instanceof ResourceNotFoundException,
      ),
  };
}
