import { sampleEvent } from '../fixtures';
import type { SourceTestKit } from '../sourceTestKit';

export const stepFunctionsKit: SourceTestKit = {
  answerCalls: { service: 'sfn', operations: ['SendTaskSuccess', 'SendTaskFailure'] },
  openWaiting(stack, options) {
    const execution = stack.standins.stepFunctions.startWaitingExecution({
      stateMachineName: options.stateMachineName ?? 'deploy',
    });
    const event = sampleEvent('stepfunctions/approval-requested');
    event.resources = [execution.executionArn, execution.stateMachineArn];
    event.detail.taskToken = execution.taskToken;
    if (options.approvers === null) delete event.detail.approvers;
    else event.detail.approvers = options.approvers ?? ['email:alice@example.com', 'email:carol@example.com'];
    event.detail.requiredApprovals = options.requiredApprovals ?? 1;
    if (options.requestedBy) event.detail.requestedBy = options.requestedBy;
    return {
      event,
      taskToken: execution.taskToken,
      matchesCall: (input) => input.taskToken === execution.taskToken,
    };
  },
  answerOf: (call) => (call.operation === 'SendTaskSuccess' ? 'approve' : 'reject'),
};
