/** How people see AWS CodePipeline: its name and console links (no SDK: the rendering functions bundle it). */
import { consoleTarget } from '../consoleLinks';
import type { SourcePresentation } from '../sourceDescriptor';
import { parseCodePipelineWorkflowRef } from './codePipelineReference';

export const codePipelinePresentation: SourcePresentation<'codepipeline'> = {
  kind: 'codepipeline',
  label: 'AWS CodePipeline',
  workflowName: (workflowRef) => {
    const wait = parseCodePipelineWorkflowRef(workflowRef);
    return wait === undefined ? workflowRef : `pipeline ${wait.pipelineName} (${wait.stage} / ${wait.action})`;
  },
  answers: {
    approved: 'PutApprovalResult Approved: the pipeline continues',
    rejected: 'PutApprovalResult Rejected: the stage fails',
    expired: 'PutApprovalResult Rejected (expired): the stage fails',
  },
  consoleLinks: (workflowRef, region) => {
    const wait = parseCodePipelineWorkflowRef(workflowRef);
    const target = wait === undefined ? undefined : consoleTarget(wait.pipelineArn, region);
    if (wait === undefined || target?.arn?.service !== 'codepipeline') return [];
    // The pipeline view, in the form of the `consoleLink` CodePipeline itself sends with approval notifications
    // (approvals-json-format.html); its `approvalReviewLink` carries the token, so it is never used.
    return [
      {
        label: 'CodePipeline pipeline',
        url: `${target.base}/codepipeline/home?region=${target.region}#/view/${encodeURIComponent(wait.pipelineName)}`,
      },
    ];
  },
};
