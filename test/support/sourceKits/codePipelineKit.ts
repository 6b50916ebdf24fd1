import { randomUUID } from 'node:crypto';
import { sampleEvent } from '../fixtures';
import type { SourceTestKit } from '../sourceTestKit';

export const codePipelineKit: SourceTestKit = {
  answerCalls: { service: 'codepipeline', operations: ['PutApprovalResult'] },
  openWaiting(stack) {
    // One pipeline per wait: a SUPERSEDED pipeline holds one execution in its approval stage at a time.
    const waiting = stack.standins.codePipeline.startWaitingApproval({
      pipelineName: `deploy-${randomUUID().slice(0, 8)}`,
      stageName: 'Approve',
      actionName: 'ProductionApproval',
      customData: 'Approve deploying to production',
    });
    const event = sampleEvent('codepipeline/action-execution-started');
    event.resources = [waiting.pipelineArn];
    event.detail.pipeline = waiting.pipelineName;
    event.detail['execution-id'] = waiting.pipelineExecutionId;
    event.detail.stage = waiting.stageName;
    event.detail.action = waiting.actionName;
    event.detail.version = waiting.pipelineVersion;
    return {
      event,
      // The approval token is a secret like a task token: the suites look for it where it must never appear.
      taskToken: waiting.token,
      matchesCall: (input) => input.pipelineName === waiting.pipelineName && input.token === waiting.token,
    };
  },
  answerOf: (call) =>
    (call.input as { result?: { status?: string } }).result?.status === 'Approved' ? 'approve' : 'reject',
};
