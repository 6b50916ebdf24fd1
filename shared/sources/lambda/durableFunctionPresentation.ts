/** How people see Lambda durable functions: their name and console links (no SDK: the rendering functions bundle it). */
import { consoleTarget } from '../consoleLinks';
import type { SourcePresentation } from '../sourceDescriptor';
import { DURABLE_EXECUTION_ARN, durableExecutionParts } from './durableFunctionReference';

export const durableFunctionPresentation: SourcePresentation<'lambda'> = {
  kind: 'lambda',
  label: 'AWS Lambda durable functions',
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
