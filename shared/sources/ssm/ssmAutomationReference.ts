/** What an SSM Automation approval keeps to signal its aws:approve step, and the id shape it accepts. */
import { UUID } from '../arns';

export type SsmAutomationReference = {
  kind: 'ssm';
  automationExecutionId: string;
  stepName: string;
  stepExecutionId?: string;
  documentName?: string;
};

/** SSM automation execution ids: "Fixed length of 36" (SendAutomationSignal API reference). */
export const AUTOMATION_EXECUTION_ID = new RegExp(`^${UUID}$`);
