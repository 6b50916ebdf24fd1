/** ARN shapes we accept, per the AWS ARN formats of each service (partition aware: aws, aws-cn, aws-us-gov). */
const PARTITION = 'arn:aws(?:-[a-z]+)*';
const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';
const ACCOUNT = '\\d{12}';

export const STEP_FUNCTIONS_EXECUTION_ARN = new RegExp(
  `^${PARTITION}:states:${REGION}:${ACCOUNT}:(?:execution|express):[^:\\s]{1,80}:[^:\\s]{1,80}(?::[^:\\s]+)?$`,
);
export const STEP_FUNCTIONS_STATE_MACHINE_ARN = new RegExp(
  `^${PARTITION}:states:${REGION}:${ACCOUNT}:stateMachine:[^:\\s]{1,80}(?::[^:\\s]+)?$`,
);
export const IMAGE_BUILD_VERSION_ARN = new RegExp(
  `^${PARTITION}:imagebuilder:${REGION}:${ACCOUNT}:image/[A-Za-z0-9-_]+/\\d+\\.\\d+\\.\\d+/\\d+$`,
);

/** The name part after the last colon, e.g. the execution name. */
export function lastArnSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/** Image Builder ids, as the GetWorkflowStepExecution API reference gives their patterns. */
export const WORKFLOW_STEP_EXECUTION_ID =
  /^step-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const WORKFLOW_EXECUTION_ID = /^wf-[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export const IMAGE_BUILDER_WORKFLOW_ARN = new RegExp(`^${PARTITION}:imagebuilder:${REGION}:${ACCOUNT}:workflow/`);

/** SSM automation execution ids: "Fixed length of 36" (SendAutomationSignal API reference). */
export const AUTOMATION_EXECUTION_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
