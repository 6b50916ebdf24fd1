/** How people see Lambda durable functions: their name and console links (no SDK: the rendering functions bundle it). */
import { consoleTarget } from '../consoleLinks';
import type { SourcePresentation } from '../sourceDescriptor';
import { DURABLE_EXECUTION_ARN, durableExecutionParts } from './durableFunctionReference';

export const durableFunctionPresentation: SourcePresentation<'lambda'> = {
  kind: 'lambda',
  label: 'AWS Lambda durable functions',
  workflowName: (workflowRef) =>
    DURABLE_EXECUTION_ARN.test(workflowRef)
      ? `durable execution of ${durableExecutionParts(workflowRef).functionName}`
      : workflowRef,
  answers: {
    approved: 'SendDurableExecutionCallbackSuccess: the durable execution continues',
    rejected: 'SendDurableExecutionCallbackFailure with error Greenlight.Rejected',
    expired: 'SendDurableExecutionCallbackFailure with error Greenlight.Expired',
  },
  consoleLinks: (workflowRef, region) => {
    const target = consoleTarget(workflowRef, region);
    if (target?.arn?.service !== 'lambda' || !DURABLE_EXECUTION_ARN.test(workflowRef)) return [];
    // The function's page (its durable executions are listed there); no console address for one execution is documented.
    const { functionName } = durableExecutionParts(workflowRef);
    return [
      {
        label: 'Lambda function',
        url: `${target.base}/lambda/home?region=${target.region}#/functions/${functionName}`,
      },
    ];
  },
};
