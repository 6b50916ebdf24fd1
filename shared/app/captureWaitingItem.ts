/**
 * capture: turns an event that says "a workflow waits for a person" into exactly one pending approval.
 * Idempotent: the approval id derives from the source's own id for the wait, and the write is conditional, so
 * duplicate deliveries and Lambda retries find the item already there.
 */
import { openApproval, type Refusal, type RefusalError, type SourceKind } from '../domain/approval';
import { withBallot } from '../domain/ballot';
import { applyPolicy, directoryOf, type PolicyDocument } from '../domain/policy';
import { refusedApproval } from '../domain/refusedApproval';
import type { ApprovalStore } from '../store/approvalStore';
import { publishSafely, writeOrLatest } from './approvalWrites';
import { type EventIssue, MalformedEventError } from './errors';
import type { ApprovalEventPublisher, Clock, Log } from './ports';
import type { AnswerableWait, SourceResumer, WaitingSource } from './sourcePorts';

export interface CaptureDependencies {
  store: ApprovalStore;
  sources: readonly WaitingSource[];
  clock: Clock;
  log: Log;
  policy: PolicyDocument;
  events: ApprovalEventPublisher;
  /** Answer waits that cannot become approvals (invalid request, nobody eligible) with a refusal. */
  refusers: Readonly<Record<SourceKind, Pick<SourceResumer, 'refuse'>>>;
}

export type CaptureOutcome =
  | { outcome: 'created' | 'duplicate'; approvalId: string }
  | { outcome: 'not-waiting'; reason: string }
  /** The wait was answered with a refusal (`answered`), or the source says it was answered already (a duplicate). */
  | { outcome: 'refused'; approvalId: string; error: RefusalError; answered: boolean };

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
  if (result.kind === 'invalid') {
    return refuse(
      deps,
      source,
      result.wait,
      'Greenlight.InvalidRequest',
      `the request is not valid: ${describeIssues(result.issues)}`,
    );
  }
  const applied = applyPolicy(result.item, deps.policy);
  if (applied.kind === 'refused') {
    return refuse(deps, source, result.item, 'Greenlight.NoEligibleApprovers', applied.reason);
  }
  // With its ballot, so that the vote completing the tally can be judged by its own conditional write.
  const approval = withBallot(
    openApproval(applied.item, deps.clock.now(), source.defaultTimeoutSeconds),
    directoryOf(deps.policy),
  );
  const created = (await deps.store.create(approval)) === 'created';
  deps.log.info(created ? 'approval captured' : 'approval already captured (duplicate delivery)', {
    approvalId: approval.id,
    source: approval.source,
    workflowRef: approval.workflowRef,
  });
  if (created) await publishSafely(deps, 'Approval Opened', approval);
  return { outcome: created ? 'created' : 'duplicate', approvalId: approval.id };
}

/** The first issues, paths and rules only; a request with hundreds of faults is not worth a long answer. */
const MAX_ISSUES_TOLD = 10;

function describeIssues(issues: readonly EventIssue[]): string {
  const told = issues.slice(0, MAX_ISSUES_TOLD).map((issue) => `${issue.path || '(event)'}: ${issue.message}`);
  const more = issues.length - told.length;
  return more > 0 ? `${told.join('; ')}; and ${more} more` : told.join('; ');
}

/**
 * Answers a wait Greenlight will not take with a refusal, so the workflow stops at once instead of waiting for its
 * timeout. The refusal is first recorded with the conditional create a capture uses: if an approval (or a refusal
 * already answered) is stored for the wait, nothing is sent. A refusal whose answer was never confirmed (the source
 * was unavailable, a crash) is answered again by the next delivery; a duplicate answer meets the source's "already
 * answered" error. A source that is unavailable throws, so Lambda retries the event and finally dead-letters it.
 */
async function refuse(
  deps: CaptureDependencies,
  source: WaitingSource,
  wait: AnswerableWait & { title?: string },
  error: RefusalError,
  reason: string,
): Promise<CaptureOutcome> {
  let record = refusedApproval(wait, { error, reason }, deps.clock.now(), source.defaultTimeoutSeconds);
  const approvalId = record.id;
  if ((await deps.store.create(record)) === 'already-exists') {
    const existing = await deps.store.get(approvalId);
    if (existing?.refusal === undefined || existing.refusal.answered) {
      deps.log.info('approval already captured (duplicate delivery)', { approvalId, source: wait.source });
      return { outcome: 'duplicate', approvalId };
    }
    record = existing;
  }
  const refusal = record.refusal as Refusal;
  const answer = await deps.refusers[wait.source].refuse({
    approvalId,
    sourceRef: record.sourceRef,
    error: refusal.error,
    reason: refusal.reason,
  });
  const answered = { ...record, refusal: { ...refusal, answered: true }, version: record.version + 1 };
  await writeOrLatest(deps.store, { ...answered, updatedAt: deps.clock.now().toISOString() }, record);
  deps.log.warn(
    answer.kind === 'resumed'
      ? 'request refused and answered'
      : 'request refused; the source says nothing waits for an answer',
    {
      approvalId,
      source: wait.source,
      workflowRef: wait.workflowRef,
      error: refusal.error,
      reason: refusal.reason,
    },
  );
  return { outcome: 'refused', approvalId, error: refusal.error, answered: answer.kind === 'resumed' };
}
