/** Systems Manager Automation: GetAutomationExecution tells whether the execution still waits at the approve step. */
import {
  AutomationExecutionNotFoundException,
  GetAutomationExecutionCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import type { SourceProbe } from '../../app/sourcePorts';
import { probeOutcome } from '../probeOutcome';
import type { SsmAutomationReference } from './ssmAutomationReference';

export function ssmAutomationProbe(ssm: SSMClient): SourceProbe {
  return {
    stillWaiting: (approval) =>
      probeOutcome<SsmAutomationReference>(
        approval,
        'ssm',
        async (ref) => {
          const { AutomationExecution } = await ssm.send(
            new GetAutomationExecutionCommand({ AutomationExecutionId: ref.automationExecutionId }),
          );
          const step = AutomationExecution?.StepExecutions?.find((candidate) => candidate.StepName === ref.stepName);
          if (AutomationExecution?.AutomationExecutionStatus === 'Waiting' && step?.StepStatus === 'Waiting') {
            return { kind: 'waiting' };
          }
          return { kind: 'ended', status: AutomationExecution?.AutomationExecutionStatus ?? 'unknown' };
        },
        (error) => error instanceof AutomationExecutionNotFoundException,
      ),
  };
}
