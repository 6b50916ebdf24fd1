import { sampleEvent } from '../fixtures';
import type { SourceTestKit } from '../sourceTestKit';

export const imageBuilderKit: SourceTestKit = {
  answerCalls: { service: 'imagebuilder', operations: ['SendWorkflowStepAction'] },
  openWaiting(stack) {
    const step = stack.standins.imageBuilder.addWaitingStep({ imageName: 'golden-test', stepName: 'Approve' });
    const event = sampleEvent('imagebuilder/workflow-step-waiting');
    event.resources = [step.imageBuildVersionArn, step.workflowBuildVersionArn];
    event.detail['workflow-step-execution-id'] = step.workflowStepExecutionId;
    event.detail['workflow-execution-id'] = step.workflowExecutionId;
    return { event, matchesCall: (input) => input.stepExecutionId === step.workflowStepExecutionId };
  },
  answerOf: (call) => ((call.input as { action?: string }).action === 'RESUME' ? 'approve' : 'reject'),
  // Replays of one clientToken return the first response without acting again.
  idempotencyKeyOf: (call) => String((call.input as { clientToken?: string }).clientToken),
};
