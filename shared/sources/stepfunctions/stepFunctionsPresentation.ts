/** How people see AWS Step Functions: its name and console links (no SDK: the rendering functions bundle it). */
import { consoleTarget } from '../consoleLinks';
import type { SourcePresentation } from '../sourceDescriptor';

export const stepFunctionsPresentation: SourcePresentation<'stepfunctions'> = {
  kind: 'stepfunctions',
  label: 'AWS Step Functions',
  workflowName: (workflowRef) => `execution ${workflowRef.split(':').at(-1) || workflowRef}`,
  answers: {
    approved: 'SendTaskSuccess: the execution continues',
    rejected: 'SendTaskFailure with error Greenlight.Rejected',
    expired: 'SendTaskFailure with error Greenlight.Expired',
  },
  consoleLinks: (workflowRef, region) => {
    const target = consoleTarget(workflowRef, region);
    if (target?.arn?.service !== 'states') return [];
    return [
      {
        label: 'Step Functions execution',
        url: `${target.base}/states/home?region=${target.region}#/v2/executions/details/${workflowRef}`,
      },
    ];
  },
};
