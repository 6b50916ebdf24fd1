/**
 * decide: one person's decision from any channel → a vote under the policy, and once the quorum is reached exactly one
 * answer to the waiting workflow.
 *
 * Exactly once: the vote and the move to `resuming` are single conditional writes (on the item's ballot, or on the
 * version read), so of any number of concurrent requests only one moves the approval to `resuming`, and only that
 * one calls the source. The
 * `resuming` item carries a lease; when its holder dies before finishing, the next touch after the lease (a request
 * or the schedule) takes it over with another conditional write and finishes it.
 */
import { createHash } from 'node:crypto';
import {
  type Approval,
  type Decision,
  type DecisionChannel,
  isPastDeadline,
  type Outcome,
  type Vote,
} from '../domain/approval';
import { transition } from '../domain/approvalStateMachine';
import { directoryFingerprint, withBallot } from '../domain/ballot';
import { ApprovalNotFoundError, IdempotencyKeyReusedError } from '../domain/errors';
import {
  assertMayVote,
  canonicalVoter,
  type DeciderPolicy,
  type Directory,
  type PeopleMap,
  personOf,
  tallyVotes,
} from '../domain/policy';
import type { ApprovalStore } from '../store/approvalStore';
import { ApprovalVersionConflictError } from '../store/errors';
import { publishSafely, writeOrLatest } from './approvalWrites';
import { SourceUnavailableError } from './errors';
import type { ApprovalEventPublisher, Clock, Log } from './ports';
import type { SourceResumer } from './sourcePorts';

export interface DecideDependencies {
  store: ApprovalStore;
  resumers: Readonly<Record<Approval['source'], SourceResumer>>;
  events: ApprovalEventPublisher;
  people: PeopleMap;
  /** `identities.allowed` of the policy: no identity outside it is accepted (absent: any). */
  allowedIdentities?: readonly string[];
  /** `identities.identityCenterAccounts` of the policy: whose Identity Center sessions speak for an e-mail. */
  identityCenterAccounts?: readonly string[];
  clock: Clock;
  log: Log;
  /** How long a `resuming` item belongs to whoever moved it there before another touch may finish it. */
  resumeLeaseSeconds?: number;
}

export interface DecisionRequest {
  approvalId: string;
  decision: Decision;
  approver: string;
  channel: DecisionChannel;
  comment?: string;
  idempotencyKey?: string;
  /** Who acted for the approver (recorded with the vote), when not the approver themselves. */
  via?: string;
}

export interface DecisionResult {
  approval: Approval;
  /** True when this request repeated one already recorded: nothing changed. */
  replayed: boolean;
}

const DEFAULT_RESUME_LEASE_SECONDS = 30;
/** Conditional-write conflicts are retried with a fresh read; many concurrent voters on one item converge fast. */
const MAX_WRITE_ATTEMPTS = 12;

/** Identifies the request behind an Idempotency-Key: the same key must come with the same decision and comment. */
export function decisionRequestHash(request: DecisionRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.decision, request.approver, request.comment ?? '']))
    .digest('hex')
    .slice(0, 32);
}

function deciderPolicy(deps: DecideDependencies): DeciderPolicy {
  return {
    people: deps.people,
    ...(deps.allowedIdentities ? { allowedIdentities: deps.allowedIdentities } : {}),
    ...(deps.identityCenterAccounts ? { identityCenterAccounts: deps.identityCenterAccounts } : {}),
  };
}

function leaseUntil(deps: DecideDependencies, now: Date): string {
  return new Date(now.getTime() + (deps.resumeLeaseSeconds ?? DEFAULT_RESUME_LEASE_SECONDS) * 1000).toISOString();
}

/** Whether the request repeats a vote already recorded (same Idempotency-Key, or same person and decision). */
function findReplay(approval: Approval, request: DecisionRequest, people: Directory): boolean {
  const hash = decisionRequestHash(request);
  if (request.idempotencyKey !== undefined) {
    const keyed = approval.votes.find((vote) => vote.idempotencyKey === request.idempotencyKey);
    if (keyed) {
      if (keyed.requestHash !== hash) throw new IdempotencyKeyReusedError(approval.id);
      return true;
    }
  }
  const voter = personOf(request.approver, people);
  return approval.votes.some((vote) => personOf(vote.approver, people) === voter && vote.decision === request.decision);
}

function startResuming(approval: Approval, outcome: Outcome, deps: DecideDependencies, now: Date): Approval {
  const resuming = transition(approval, 'resuming', { at: now, reason: `decided: ${outcome}` });
  return { ...resuming, outcome, resumeAttempts: 1, resumeLeaseUntil: leaseUntil(deps, now) };
}

/** The vote this request casts, as recorded on the approval. */
function voteOf(request: DecisionRequest, directory: Directory, now: Date): Vote {
  return {
    approver: request.approver,
    person: personOf(request.approver, directory),
    decision: request.decision,
    channel: request.channel,
    ...(request.via ? { via: request.via } : {}),
    at: now.toISOString(),
    ...(request.comment ? { comment: request.comment } : {}),
    ...(request.idempotencyKey
      ? { idempotencyKey: request.idempotencyKey, requestHash: decisionRequestHash(request) }
      : {}),
  };
}

/**
 * The first attempt, no read before it: the vote as the one that completes the tally, judged by the write's condition
 * on the item's ballot (domain/ballot.ts). That is most decisions (one approver; the last of a quorum), which then
 * cost the floor of an exactly-once decision: this write, the answer, the final write.
 */
function castDecidingVote(deps: DecideDependencies, request: DecisionRequest, directory: Directory, now: Date) {
  const vote = voteOf(request, directory, now);
  const outcome = request.decision === 'approve' ? 'approved' : 'rejected';
  return deps.store.castDecidingVote({
    approvalId: request.approvalId,
    directory: directoryFingerprint(directory),
    person: vote.person ?? request.approver,
    decision: request.decision,
    ...(request.idempotencyKey === undefined ? {} : { idempotencyKey: request.idempotencyKey }),
    vote,
    outcome,
    history: { at: now.toISOString(), status: 'resuming', reason: `decided: ${outcome}` },
    now: now.toISOString(),
    resumeLeaseUntil: leaseUntil(deps, now),
  });
}

export async function decideApproval(deps: DecideDependencies, received: DecisionRequest): Promise<DecisionResult> {
  const directory = deciderPolicy(deps);
  // Every channel's identity in canonical form before any comparison or storage.
  const request = {
    ...received,
    approver: canonicalVoter(received.approvalId, received.approver, directory),
  };
  const deciding = await castDecidingVote(deps, request, directory, deps.clock.now());
  if (deciding.written) {
    deps.log.info('vote recorded', { approvalId: request.approvalId, channel: request.channel, tally: 'decided' });
    return { approval: await resumeWorkflow(deps, deciding.approval), replayed: false };
  }

  // Not admitted as the deciding vote: a vote that leaves the tally open, a replay, a refusal, an approval without a
  // (current) ballot. Judged on the item by the policy functions, starting from the item the refused write found.
  let known = deciding.approval;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const current = known ?? (await deps.store.get(request.approvalId));
    known = undefined;
    if (current === undefined) throw new ApprovalNotFoundError(request.approvalId);

    if (findReplay(current, request, directory)) {
      const finished = await finishInterruptedResume(deps, current);
      return { approval: finished, replayed: true };
    }
    // A vote on an approval whose answer is under way is refused; finish that answer first if it was interrupted.
    const latest = current.status === 'resuming' ? await finishInterruptedResume(deps, current) : current;
    assertMayVote(latest, request, directory, now);

    const voted: Approval = {
      ...current,
      updatedAt: now.toISOString(),
      votes: [...current.votes, voteOf(request, directory, now)],
    };
    const tally = tallyVotes(voted, directory);
    // One conditional write from the version read: the vote, and the move to `resuming` when it completes the tally;
    // the ballot follows the votes, so the next vote can be judged by its write alone.
    const next = withBallot(
      { ...(tally === 'pending' ? voted : startResuming(voted, tally, deps, now)), version: current.version + 1 },
      directory,
    );
    try {
      await deps.store.update(next, current);
    } catch (error) {
      if (error instanceof ApprovalVersionConflictError) continue;
      throw error;
    }
    deps.log.info('vote recorded', { approvalId: next.id, channel: request.channel, tally });
    if (tally === 'pending') {
      await publishSafely(deps, 'Approval Vote Recorded', next);
      return { approval: next, replayed: false };
    }
    return { approval: await resumeWorkflow(deps, next), replayed: false };
  }
  throw new ApprovalVersionConflictError(request.approvalId, -1);
}

/**
 * Closes a pending approval whose deadline passed: moved to `resuming` with outcome `expired` in one conditional
 * write (a concurrent vote or a second sweep loses it), then the workflow is answered as the policy says (reject),
 * so nothing hangs. Anything not pending, or not yet due, is returned as it is.
 */
export async function expireApproval(deps: DecideDependencies, approval: Approval): Promise<Approval> {
  const now = deps.clock.now();
  if (approval.status !== 'pending' || !isPastDeadline(approval, now)) return approval;
  const resuming = { ...startResuming(approval, 'expired', deps, now), version: approval.version + 1 };
  const write = await writeOrLatest(deps.store, resuming, approval);
  if (!write.written) return write.approval;
  deps.log.info('approval expired', { approvalId: approval.id });
  return resumeWorkflow(deps, resuming);
}

/**
 * Finishes a `resuming` approval whose lease ran out (its holder crashed or gave up): takes it over with a
 * conditional write, then answers the workflow. Anything else is returned as it is. Used by every touch and the
 * schedule.
 */
export async function finishInterruptedResume(deps: DecideDependencies, approval: Approval): Promise<Approval> {
  const now = deps.clock.now();
  if (approval.status !== 'resuming') return approval;
  if (approval.resumeLeaseUntil !== undefined && Date.parse(approval.resumeLeaseUntil) > now.getTime()) {
    return approval;
  }
  const claimed: Approval = {
    ...approval,
    version: approval.version + 1,
    updatedAt: now.toISOString(),
    resumeAttempts: (approval.resumeAttempts ?? 1) + 1,
    resumeLeaseUntil: leaseUntil(deps, now),
  };
  const claim = await writeOrLatest(deps.store, claimed, approval);
  if (!claim.written) return claim.approval;
  deps.log.info('finishing an interrupted resume', { approvalId: approval.id, attempt: claimed.resumeAttempts });
  return resumeWorkflow(deps, claimed);
}

/** Deciders and their comments, in vote order, for the answer's audit fields. */
function deciders(approval: Approval, outcome: Outcome) {
  if (outcome === 'expired') return { decidedBy: [], channel: 'system' as const, decidedAt: approval.expiresAt };
  const decision: Decision = outcome === 'approved' ? 'approve' : 'reject';
  const votes = approval.votes.filter((vote) => vote.decision === decision);
  const comment = votes
    .filter((vote) => vote.comment)
    .map((vote) => `${vote.approver}: ${vote.comment}`)
    .join('\n');
  const last = votes.at(-1);
  return {
    decidedBy: votes.map((vote) => vote.approver),
    channel: last?.channel ?? 'system',
    decidedAt: last?.at ?? approval.updatedAt,
    ...(comment ? { comment } : {}),
  };
}

/** Answers the workflow for a `resuming` approval this caller holds the lease of, then records the result. */
async function resumeWorkflow(deps: DecideDependencies, approval: Approval): Promise<Approval> {
  const outcome = approval.outcome as Outcome;
  const resumer = deps.resumers[approval.source];
  let result: Awaited<ReturnType<SourceResumer['resume']>>;
  try {
    result = await resumer.resume({
      approval,
      outcome,
      answer: outcome === 'approved' ? 'approve' : 'reject',
      attempt: approval.resumeAttempts ?? 1,
      ...deciders(approval, outcome),
    });
  } catch (error) {
    if (error instanceof SourceUnavailableError) {
      deps.log.warn('the source is unavailable; the answer will be finished later', {
        approvalId: approval.id,
        source: approval.source,
        errorName: error.name,
      });
      return approval;
    }
    throw error;
  }

  const now = deps.clock.now();
  let closed: Approval;
  if (result.kind === 'resumed') {
    closed = transition(approval, outcome, { at: now });
  } else if ((approval.resumeAttempts ?? 1) > 1 || result.afterRetry) {
    // An earlier attempt (ours after a crash, or the SDK's before a lost reply) may have been delivered; the token
    // never leaves the store, so nobody else could have answered it. Record the outcome and say why.
    closed = transition(approval, outcome, {
      at: now,
      reason: `${result.reason}; an earlier attempt most likely delivered the answer`,
    });
  } else {
    closed = { ...transition(approval, 'failed', { at: now, reason: result.reason }), closedReason: result.reason };
  }
  const { resumeLeaseUntil: _lease, ...withoutLease } = closed;
  const write = await writeOrLatest(deps.store, withoutLease, approval);
  if (!write.written) return write.approval;
  deps.log.info('approval closed', { approvalId: approval.id, status: withoutLease.status });
  const decided = withoutLease.status === 'approved' || withoutLease.status === 'rejected';
  await publishSafely(deps, decided ? 'Approval Decided' : 'Approval Closed', withoutLease);
  return withoutLease;
}
