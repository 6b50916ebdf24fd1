/** How people see EC2 Image Builder: its name and console links (no SDK: the rendering functions bundle it). */
import { consoleTarget } from '../consoleLinks';
import type { SourcePresentation } from '../sourceDescriptor';

export const imageBuilderPresentation: SourcePresentation<'imagebuilder'> = {
  kind: 'imagebuilder',
  label: 'EC2 Image Builder',
  workflowName: (workflowRef) =>
    `image ${workflowRef.includes(':image/') ? workflowRef.slice(workflowRef.indexOf(':image/') + ':image/'.length) : workflowRef}`,
  answers: {
    approved: 'RESUME: the image build continues',
    rejected: 'STOP: the image build stops',
    expired: 'STOP (expired): the image build stops',
  },
  consoleLinks: (workflowRef, region) => {
    const target = consoleTarget(workflowRef, region);
    if (target?.arn?.service !== 'imagebuilder') return [];
    return [
      {
        label: 'Image Builder image',
        url: `${target.base}/imagebuilder/home?region=${target.region}#/images/${encodeURIComponent(workflowRef)}/details`,
      },
    ];
  },
};
