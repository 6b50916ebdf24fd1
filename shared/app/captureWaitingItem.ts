/**
 * capture: turns an event that says "a workflow waits for a person" into exactly one pending approval.
 * Idempotent: the approval id derives from the source's own id for the wait, and the write is conditional, so
 * duplicate deliveries and Lambda retries find the item already there.
 */
import { openApproval } from '../domain/approval';
import { applyPolicy, type PolicyDocument } from '../domain/policy';
import { MalformedEventError } from '../sources/errors';
import type { WaitingSource } from '../sources/waitingSource';
import type { ApprovalStore } from '../store/approvalStore';
import { publishSafely } from './approvalWrites';
import type { ApprovalEventPublisher, Clock, Log } from './ports';

export interface CaptureDependencies {
  store: ApprovalStore;
  sources: readonly WaitingSource[];
  clock: Clock;
  log: Log;
  policy: PolicyDocument;
  events: ApprovalEventPublisher;
}

export type CaptureOutcome =
  | { outcome: 'created' | 'duplicate'; approvalId: string }
  | { outcome: 'not-waiting'; reason: string };

function describeEvent(event: unknown): string {
  if (typeof event !== 'object' || event === null) return `a ${event === null ? 'null' : typeof event} value`;
  const envelope = event as Record<string, unknown>;
  const source = typeof envelope.source === 'string' ? envelope.source : '(none)';
  const detailType = typeof envelope['detail-type'] === 'string' ? envelope['detail-type'] : '(none)';
  return `an event with source ${JSON.stringify(source)} and detail-type ${JSON.stringify(detailType)}`;
}

export async function captureWaitingItem(deps: CaptureDependencies, event: unknown): Promise<CaptureOutcome> {
  const source = deps.sources.find((candidate) => candidate.recognises(event));
  if (source === undefined) {
    throw new MalformedEventError(undefined, `no waiting source handles ${describeEvent(event)}`);
  }
  const result = await source.capture(event);
  if (result.kind === 'not-waiting') {
    deps.log.info('nothing waits for this event any more', { source: source.kind, reason: result.reason });
    return { outcome: 'not-waiting', reason: result.reason };
  }
  const approval = openApproval(applyPolicy(result.item, deps.policy), deps.clock.now());
  const created = (await deps.store.create(approval)) === 'created';
  deps.log.info(created ? 'approval captured' : 'approval already captured (duplicate delivery)', {
    approvalId: approval.id,
    source: approval.source,
    workflowRef: approval.workflowRef,
  });
  if (created) await publishSafely(deps, 'Approval Opened', approval);
  return { outcome: created ? 'created' : 'duplicate', approvalId: approval.id };
}
