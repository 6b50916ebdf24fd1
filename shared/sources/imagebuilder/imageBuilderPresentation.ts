/** How people see EC2 Image Builder: its name and console links (no SDK: the rendering functions bundle it). */
import { consoleTarget } from '../consoleLinks';
import type { SourcePresentation } from '../sourceDescriptor';

export const imageBuilderPresentation: SourcePresentation<'imagebuilder'> = {
  kind: 'imagebuilder',
  label: 'EC2 Image Builder',
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
