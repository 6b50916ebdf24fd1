/**
 * How people see every source (names, console links), without their SDK clients: what the rendering functions
 * import. The typecheck asks for a new source's line here too.
 */
import type { ContextLink, Outcome, SourceKind } from '../domain/approval';
import { codePipelinePresentation } from './codepipeline/codePipelinePresentation';
import { imageBuilderPresentation } from './imagebuilder/imageBuilderPresentation';
import { durableFunctionPresentation } from './lambda/durableFunctionPresentation';
import type { SourcePresentation } from './sourceDescriptor';
import { ssmAutomationPresentation } from './ssm/ssmAutomationPresentation';
import { stepFunctionsPresentation } from './stepfunctions/stepFunctionsPresentation';

export const SOURCE_PRESENTATIONS = {
  stepfunctions: stepFunctionsPresentation,
  imagebuilder: imageBuilderPresentation,
  ssm: ssmAutomationPresentation,
  lambda: durableFunctionPresentation,
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

/** What an answer resumes: `execution checkout-deploy` (the reference itself for an unknown source). */
export function workflowName(approval: { source: SourceKind; workflowRef: string }): string {
  return SOURCE_PRESENTATIONS[approval.source]?.workflowName(approval.workflowRef) ?? approval.workflowRef;
}

/** What the workflow is told for an outcome, in its source's words (the outcome itself for an unknown source). */
export function answerDescription(source: SourceKind, outcome: Outcome): string {
  return SOURCE_PRESENTATIONS[source]?.answers[outcome] ?? outcome;
}
