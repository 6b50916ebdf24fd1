import type { WaitingState } from '../app/sourcePorts';
import type { Approval } from '../domain/approval';
import type { SourceReference } from '../domain/sourceKind';

/**
 * Runs one probe call with the approval's reference, when it is the source's own: a "not found" error means the
 * workflow ended; any other failure (throttled, denied, unknown shape) is `unknown`, so the sweep changes nothing.
 */
export async function probeOutcome<Ref extends SourceReference>(
  approval: Approval,
  kind: Ref['kind'],
  ask: (ref: Ref) => Promise<WaitingState>,
  notFound: (error: unknown) => boolean,
): Promise<WaitingState> {
  if (approval.sourceRef.kind !== kind) return { kind: 'unknown', reason: `not a ${kind} approval` };
  try {
    return await ask(approval.sourceRef as Ref);
  } catch (error) {
    if (notFound(error)) return { kind: 'ended', status: 'not found' };
    return { kind: 'unknown', reason: error instanceof Error ? error.name : 'unknown error' };
  }
}
