import { sampleEvent } from '../fixtures';
import type { SourceTestKit } from '../sourceTestKit';

export const lambdaKit: SourceTestKit = {
  answerCalls: {
    service: 'lambda',
    operations: ['SendDurableExecutionCallbackSuccess', 'SendDurableExecutionCallbackFailure'],
  },
  openWaiting(stack, options) {
    const execution = stack.standins.lambda.startWaitingExecution({ functionName: 'deploy-with-approval' });
    // What the waitForCallback submitter puts on the request bus (events/lambda/approval-requested.json).
    const event = sampleEvent('lambda/approval-requested');
    event.detail.callbackId = execution.callbackId;
    event.detail.durableExecutionArn = execution.durableExecutionArn;
    if (options.approvers === null) delete event.detail.approvers;
    else event.detail.approvers = options.approvers ?? ['email:alice@example.com', 'email:carol@example.com'];
    event.detail.requiredApprovals = options.requiredApprovals ?? 1;
    if (options.requestedBy) event.detail.requestedBy = options.requestedBy;
    return {
      event,
      // The callback id is a secret like a task token: the suites look for it where it must never appear.
      taskToken: execution.callbackId,
      matchesCall: (input) => input.CallbackId === execution.callbackId,
    };
  },
  answerOf: (call) => (call.operation === 'SendDurableExecutionCallbackSuccess' ? 'approve' : 'reject'),
};
