/**
 * The lifecycle of open approvals: closing those whose workflow ended elsewhere, expiring overdue ones, finishing
 * interrupted answers, re-checking old ones against their source and nudging approvers. Every change is one
 * conditional write, so two sweeps at once, or a sweep racing a decision, cannot answer a workflow twice.
 */
import { type Approval, isPastDeadline, type OpenStatus } from '../domain/approval';
import { transition } from '../domain/approvalStateMachine';
import { publishSafely, writeOrLatest } from './approvalWrites';
import { type DecideDependencies, expireApproval, finishInterruptedResume } from './decideApproval';
import type { SourceProbe, WorkflowEnded } from './sourcePorts';

export interface LifecycleDependencies extends DecideDependencies {
  probes: Readonly<Record<Approval['source'], SourceProbe>>;
  /** Pending approvals older than this are re-checked against their source. */
  recheckAfterSeconds: number;
  /**
   * Pending approvals older than this are followed up by the notifier: deliveries that failed or were never started
   * (a lost "Approval Opened" event) are made good, and approvers are reminded when a reminder is due.
   */
  followUpAfterSeconds: number;
}

export interface SweepSummary {
  expired: number;
  /** Heartbeats sent to waiting Step Functions tasks that asked for them. */
  heartbeats: number;
  cancelled: number;
  finished: number;
  followedUp: number;
  unchanged: number;
}

/** pending → cancelled with the reason, unless something else changed it first. */
export async function cancelApproval(deps: DecideDependencies, approval: Approval, reason: string): Promise<Approval> {
  if (approval.status !== 'pending') return approval;
  const cancelled = { ...transition(approval, 'cancelled', { at: deps.clock.now(), reason }), closedReason: reason };
  const write = await writeOrLatest(deps.store, cancelled, approval);
  if (!write.written) return write.approval;
  deps.log.info('approval cancelled', { approvalId: approval.id, reason });
  await publishSafely(deps, 'Approval Closed', cancelled);
  return cancelled;
}

/** A workflow ended (succeeded, failed, stopped…): its approvals still pending can no longer be answered. */
export async function closeEndedWorkflow(deps: DecideDependencies, ended: WorkflowEnded): Promise<Approval[]> {
  const approvals = await deps.store.findByWorkflow(ended.source, ended.workflowRef);
  const reason = `the workflow ended (${ended.status}) before a decision`;
  return Promise.all(approvals.map((approval) => cancelApproval(deps, approval, reason)));
}

async function* openApprovals(deps: DecideDependencies, status: OpenStatus): AsyncGenerator<Approval> {
  let cursor: string | undefined;
  do {
    const page = await deps.store.listOpen({ status, limit: 100, ...(cursor ? { cursor } : {}) });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * The schedule's sweep. `followUp` asks the notifier to follow an approval up (it decides what, if anything, to send).
 * Errors on one approval are logged and do not stop the others.
 */
export async function sweepOpenApprovals(
  deps: LifecycleDependencies,
  followUp: (approval: Approval) => Promise<void>,
): Promise<SweepSummary> {
  const summary: SweepSummary = { expired: 0, heartbeats: 0, cancelled: 0, finished: 0, followedUp: 0, unchanged: 0 };
  const now = deps.clock.now();
  const ageSeconds = (approval: Approval) => (now.getTime() - Date.parse(approval.createdAt)) / 1000;

  for await (const approval of openApprovals(deps, 'resuming')) {
    const after = await guarded(deps, approval, () => finishInterruptedResume(deps, approval));
    if (after && after.status !== 'resuming') summary.finished += 1;
  }
  for await (const approval of openApprovals(deps, 'pending')) {
    const after = await guarded(deps, approval, async () => {
      if (isPastDeadline(approval, now)) return expireApproval(deps, approval);
      if (approval.heartbeatSeconds !== undefined) {
        // Every sweep (5 minutes, at most half the shortest HeartbeatSeconds a request may ask for) keeps the task alive.
        const state = await deps.probes[approval.source].keepAlive?.(approval);
        if (state?.kind === 'ended')
          return cancelApproval(deps, approval, `the workflow no longer waits (${state.status})`);
        if (state?.kind === 'waiting') summary.heartbeats += 1;
      }
      if (ageSeconds(approval) >= deps.recheckAfterSeconds) {
        const state = await deps.probes[approval.source].stillWaiting(approval);
        if (state.kind === 'ended') {
          return cancelApproval(deps, approval, `the workflow no longer waits (${state.status})`);
        }
      }
      if (ageSeconds(approval) >= deps.followUpAfterSeconds) {
        await followUp(approval);
        summary.followedUp += 1;
      }
      return approval;
    });
    if (after?.status === 'expired' || after?.status === 'resuming') summary.expired += 1;
    else if (after?.status === 'cancelled') summary.cancelled += 1;
    else summary.unchanged += 1;
  }
  return summary;
}

async function guarded(deps: DecideDependencies, approval: Approval, work: () => Promise<Approval>) {
  try {
    return await work();
  } catch (error) {
    deps.log.error('sweep could not handle an approval', {
      approvalId: approval.id,
      errorName: error instanceof Error ? error.name : 'unknown',
    });
    return undefined;
  }
}
