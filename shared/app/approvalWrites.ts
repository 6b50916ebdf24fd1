/** The two moves every use case makes after changing an approval: one conditional write, then its announcement. */
import type { Approval } from '../domain/approval';
import type { ApprovalStore } from '../store/approvalStore';
import { ApprovalVersionConflictError } from '../store/errors';
import type { ApprovalEventPublisher, ApprovalEventType, Log } from './ports';

export type WriteResult = { written: true; approval: Approval } | { written: false; approval: Approval };

/**
 * Writes `next` if nobody changed the approval since `previous` (exactly as read or written, one version before);
 * otherwise returns what is stored now (or `previous` if it vanished): someone else's change won, and the caller
 * acts on that instead.
 */
export async function writeOrLatest(store: ApprovalStore, next: Approval, previous: Approval): Promise<WriteResult> {
  try {
    await store.update(next, previous);
    return { written: true, approval: next };
  } catch (error) {
    if (!(error instanceof ApprovalVersionConflictError)) throw error;
    return { written: false, approval: (await store.get(next.id)) ?? previous };
  }
}

/**
 * Outbound events must never undo or block a change already recorded (nor make EventBridge redeliver an event that
 * would then be deduplicated): a failure is logged, and the schedule's follow-up makes the deliveries good.
 */
export async function publishSafely(
  deps: { events: ApprovalEventPublisher; log: Log },
  type: ApprovalEventType,
  approval: Approval,
): Promise<void> {
  try {
    await deps.events.publish(type, approval);
  } catch (error) {
    deps.log.error('could not publish an outbound event', {
      approvalId: approval.id,
      type,
      errorName: error instanceof Error ? error.name : 'unknown',
    });
  }
}
