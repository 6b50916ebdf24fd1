import { sampleEvent } from '../fixtures';
import type { SourceTestKit } from '../sourceTestKit';

export const ssmAutomationKit: SourceTestKit = {
  answerCalls: { service: 'ssm', operations: ['SendAutomationSignal'] },
  openWaiting(stack) {
    const automation = stack.standins.ssm.startWaitingAutomation({
      documentName: 'Deploy',
      approvers: ['arn:aws:iam::111122223333:role/greenlight', 'arn:aws:iam::111122223333:user/alice', 'carol'],
      minRequiredApprovals: 1,
    });
    const event = sampleEvent('ssm/automation-step-waiting');
    event.detail.ExecutionId = automation.automationExecutionId;
    event.detail.StepName = automation.stepName;
    return { event, matchesCall: (input) => input.AutomationExecutionId === automation.automationExecutionId };
  },
  answerOf: (call) => ((call.input as { SignalType?: string }).SignalType === 'Approve' ? 'approve' : 'reject'),
};
