/**
 * What each source needs later to resume its waiting workflow. Kept with the approval in the store only.
 */
export interface StepFunctionsReference {
  kind: 'stepfunctions';
  /** Secret: whoever holds it can answer the task. */
  taskToken: string;
  executionArn: string;
  stateMachineArn?: string;
}

export interface ImageBuilderReference {
  kind: 'imagebuilder';
  /** `stepExecutionId` of SendWorkflowStepAction. */
  workflowStepExecutionId: string;
  imageBuildVersionArn: string;
  workflowExecutionId?: string;
  workflowBuildVersionArn?: string;
  stepName?: string;
}

export interface SsmAutomationReference {
  kind: 'ssm';
  automationExecutionId: string;
  stepName: string;
  stepExecutionId?: string;
  documentName?: string;
}

export type SourceReference = StepFunctionsReference | ImageBuilderReference | SsmAutomationReference;
