/** What an Image Builder approval keeps to answer its waiting step, and the id and ARN shapes it accepts. */
import { ACCOUNT, PARTITION, REGION, UUID } from '../arns';

export type ImageBuilderReference = {
  kind: 'imagebuilder';
  /** `stepExecutionId` of SendWorkflowStepAction. */
  workflowStepExecutionId: string;
  imageBuildVersionArn: string;
  workflowExecutionId?: string;
  workflowBuildVersionArn?: string;
  stepName?: string;
};

export const IMAGE_BUILD_VERSION_ARN = new RegExp(
  `^${PARTITION}:imagebuilder:${REGION}:${ACCOUNT}:image/[A-Za-z0-9-_]+/\\d+\\.\\d+\\.\\d+/\\d+$`,
);
/** Image Builder ids, as the GetWorkflowStepExecution API reference gives their patterns. */
export const WORKFLOW_STEP_EXECUTION_ID = new RegExp(`^step-${UUID}$`);
export const WORKFLOW_EXECUTION_ID = new RegExp(`^wf-${UUID}$`);
export const IMAGE_BUILDER_WORKFLOW_ARN = new RegExp(`^${PARTITION}:imagebuilder:${REGION}:${ACCOUNT}:workflow/`);
