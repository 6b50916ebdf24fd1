/**
 * The AWS services Greenlight answers. Adding a source: its kind here (one line), then its folder under
 * shared/sources/<kind>/ — the typecheck then asks for its entry in shared/sources/sources.ts (CONTRIBUTING.md).
 */
export const SOURCE_KINDS = ['stepfunctions', 'imagebuilder', 'ssm', 'lambda', 'codepipeline'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/**
 * What a source needs later to answer its waiting workflow (a task token, a step execution id, …). Its shape belongs
 * to the source (shared/sources/<kind>/); the domain only carries it. Holds secrets: kept with the approval in the
 * store only, never shown.
 */
export interface SourceReference {
  readonly kind: SourceKind;
  readonly [field: string]: unknown;
}
