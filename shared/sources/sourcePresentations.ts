/**
 * How people see every source (names, console links), without their SDK clients: what the rendering functions
 * import. The typecheck asks for a new source's line here too.
 */
import type { ContextLink, SourceKind } from '../domain/approval';
import { codePipelinePresentation } from './codepipeline/codePipelinePresentation';
import { imageBuilderPresentation } from './imagebuilder/imageBuilderPresentation';
import type { SourcePresentation } from './sourceDescriptor';
import { ssmAutomationPresentation } from './ssm/ssmAutomationPresentation';
import { stepFunctionsPresentation } from './stepfunctions/stepFunctionsPresentation';

export const SOURCE_PRESENTATIONS = {
  stepfunctions: stepFunctionsPresentation,
  imagebuilder: imageBuilderPresentation,
  ssm: ssmAutomationPresentation,
  codepipeline: codePipelinePresentation,
} as const satisfies { [K in SourceKind]: SourcePresentation<K> };

/** "AWS Step Functions", … (the raw kind when unknown: an item written by a newer version). */
export function sourceLabel(source: SourceKind): string {
  return SOURCE_PRESENTATIONS[source]?.label ?? source;
}

/** AWS console links for an approval's waiting workflow (none for a reference its source does not recognise). */
export function consoleLinksFor(approval: { source: SourceKind; workflowRef: string }, region: string): ContextLink[] {
  return SOURCE_PRESENTATIONS[approval.source]?.consoleLinks(approval.workflowRef, region) ?? [];
}
