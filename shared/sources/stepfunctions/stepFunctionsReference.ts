/** What a Step Functions approval keeps to answer its task, and the ARN shapes it accepts. */
import { ACCOUNT, PARTITION, REGION } from '../arns';

export type StepFunctionsReference = {
  kind: 'stepfunctions';
  /** Secret: whoever holds it can answer the task. */
  taskToken: string;
  executionArn: string;
  stateMachineArn?: string;
};

export const STEP_FUNCTIONS_EXECUTION_ARN = new RegExp(
  `^${PARTITION}:states:${REGION}:${ACCOUNT}:(?:execution|express):[^:\\s]{1,80}:[^:\\s]{1,80}(?::[^:\\s]+)?$`,
);
export const STEP_FUNCTIONS_STATE_MACHINE_ARN = new RegExp(
  `^${PARTITION}:states:${REGION}:${ACCOUNT}:stateMachine:[^:\\s]{1,80}(?::[^:\\s]+)?$`,
);
