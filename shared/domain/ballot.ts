/**
 * The ballot: what the policy needs to judge one more vote, kept on the approval item in a form a DynamoDB condition
 * can test (lists of people, counters). It lets the vote that completes the tally be judged by its own conditional
 * write, with no read before it (README "Deciding", "Exactly one answer").
 *
 * It is derived from the approval and the directory (the people map), never from a request: `ballotOf` is the one
 * definition, applied when the approval opens and on every write that changes its votes. People are resolved with
 * the directory whose fingerprint it carries; a ballot from another directory (the policy's people changed since)
 * is never trusted — the write's condition fails and the vote is judged on the item by the policy functions.
 * Pure, no I/O.
 */
import { createHash } from 'node:crypto';
import type { Approval, Decision } from './approval';
import { type Directory, distinctPeople, type PeopleMap, personOf } from './policy';

export interface Ballot {
  /** Fingerprint of the directory the people below were resolved with. */
  directory: string;
  /** The distinct people on the approval's allow-list. */
  eligible: string[];
  /** The requester's person: may reject, never approve. */
  requester?: string;
  /** The people who voted so far (each votes once). */
  voted: string[];
  /** The Idempotency-Keys of the votes so far. */
  keys: string[];
  /** Distinct people still needed to approve / to reject. */
  approvalsToGo: number;
  rejectionsToGo: number;
}

const fingerprints = new WeakMap<PeopleMap, Map<string, string>>();

/** A short, stable digest of who is who: the people map (order-insensitive) and the trusted Identity Center accounts. */
export function directoryFingerprint(directory: Directory): string {
  const accounts = JSON.stringify([...(directory.identityCenterAccounts ?? [])].sort());
  let byAccounts = fingerprints.get(directory.people);
  if (byAccounts === undefined) {
    byAccounts = new Map();
    fingerprints.set(directory.people, byAccounts);
  }
  let fingerprint = byAccounts.get(accounts);
  if (fingerprint === undefined) {
    const people = Object.keys(directory.people)
      .sort()
      .map((name) => [name, [...(directory.people[name] ?? [])].sort()]);
    fingerprint = createHash('sha256')
      .update(JSON.stringify([people, accounts]))
      .digest('hex')
      .slice(0, 32);
    byAccounts.set(accounts, fingerprint);
  }
  return fingerprint;
}

const peopleWho = (approval: Approval, decision: Decision, directory: Directory) =>
  distinctPeople(
    approval.votes.filter((vote) => vote.decision === decision).map((vote) => vote.approver),
    directory,
  );

/** The ballot of an approval as it stands (see the module comment). */
export function ballotOf(approval: Approval, directory: Directory): Ballot {
  return {
    directory: directoryFingerprint(directory),
    eligible: [...distinctPeople(approval.approvers, directory)],
    ...(approval.requestedBy === undefined ? {} : { requester: personOf(approval.requestedBy, directory) }),
    voted: [
      ...distinctPeople(
        approval.votes.map((vote) => vote.approver),
        directory,
      ),
    ],
    keys: approval.votes.flatMap((vote) => (vote.idempotencyKey === undefined ? [] : [vote.idempotencyKey])),
    approvalsToGo: approval.requiredApprovals - peopleWho(approval, 'approve', directory).size,
    rejectionsToGo: (approval.requiredRejections ?? 1) - peopleWho(approval, 'reject', directory).size,
  };
}

/** The approval with its ballot brought up to date. */
export function withBallot(approval: Approval, directory: Directory): Approval {
  return { ...approval, ballot: ballotOf(approval, directory) };
}

/** What a vote that completes the tally must find on the ballot, besides `pending` and a deadline not yet passed. */
export interface DecidingVoteTerms {
  directory: string;
  person: string;
  decision: Decision;
  idempotencyKey?: string;
}

/**
 * Whether the ballot admits a vote that completes the tally: the same judgement the store's conditional write makes
 * (the adapter encodes exactly these terms), so the two can be checked against the policy functions in tests.
 */
export function admitsDecidingVote(ballot: Ballot | undefined, terms: DecidingVoteTerms): boolean {
  if (ballot === undefined || ballot.directory !== terms.directory) return false;
  if (!ballot.eligible.includes(terms.person) || ballot.voted.includes(terms.person)) return false;
  if (terms.idempotencyKey !== undefined && ballot.keys.includes(terms.idempotencyKey)) return false;
  if (terms.decision === 'approve') return ballot.requester !== terms.person && ballot.approvalsToGo === 1;
  return ballot.rejectionsToGo === 1;
}
