/** How people see Systems Manager Automation: its name and console links (no SDK: the rendering functions bundle it). */
import { consoleTarget } from '../consoleLinks';
import type { SourcePresentation } from '../sourceDescriptor';
import { AUTOMATION_EXECUTION_ID } from './ssmAutomationReference';

export const ssmAutomationPresentation: SourcePresentation<'ssm'> = {
  kind: 'ssm',
  label: 'Systems Manager Automation',
  workflowName: (workflowRef) =>
    `automation ${workflowRef.includes('/') ? workflowRef.slice(workflowRef.lastIndexOf('/') + 1) : workflowRef}`,
  answers: {
    approved: 'Approve signal: the automation continues',
    rejected: 'Reject signal: the automation stops',
    expired: 'Reject signal (expired): the automation stops',
  },
  consoleLinks: (workflowRef, region) => {
    const target = consoleTarget(workflowRef, region);
    if (target === undefined) return [];
    const { arn } = target;
    const id =
      arn === undefined
        ? workflowRef
        : arn.service === 'ssm' && arn.resource.startsWith('automation-execution/')
          ? arn.resource.slice('automation-execution/'.length)
          : '';
    if (!AUTOMATION_EXECUTION_ID.test(id)) return [];
    return [
      {
        label: 'Automation execution',
        url: `${target.base}/systems-manager/automation/execution/${id}?region=${target.region}`,
      },
    ];
  },
};
