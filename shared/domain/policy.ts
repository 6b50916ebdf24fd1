/**
 * The approval policy, enforced server-side for every channel (DESIGN "Trust model"): the operator's policy file is
 * the upper bound of who may decide. A request can only narrow the matching rule's approvers (by person) and raise
 * its quorum; no matching rule means nobody may decide. Plus no self-approval, one vote per person, and the deadline.
 * Pure functions; every identity is compared in canonical form (identity.ts).
 */
import type { Approval, Decision, SourceKind, WaitingItem } from './approval';
import { isPastDeadline } from './approval';
import {
  ApprovalClosedError,
  ApprovalExpiredError,
  ConflictingVoteError,
  NotAnApproverError,
  SelfApprovalError,
} from './errors';
import { canonicalIdentity, globMatches, identityAllowed, identityCenterEmail, tryCanonicalIdentity } from './identity';

/** Person name → the identities that are this person (`email:…`, `slack:U…`, `iam:arn:…`), canonical. */
export type PeopleMap = Readonly<Record<string, readonly string[]>>;

/** The most distinct people one approval may name: bounds the votes an item can hold (see approvalLimits.ts). */
export const MAX_PEOPLE_PER_APPROVAL = 30;

export interface PolicyRule {
  name: string;
  /** Which waiting items the rule covers; `resource` is a glob (`*` = any run of characters) on the workflow ref. */
  match: { source?: SourceKind; resource?: string };
  /** Identities, or `person:<name>` for every identity of a person in the people map. */
  approvers: string[];
  requiredApprovals?: number;
  /** How many rejections reject; 1 (the default) makes any rejection final. */
  requiredRejections?: number;
  /** The longest an approval of this rule stays open; a request may ask for less, never more. */
  timeoutSeconds?: number;
  /** Slack channel (id like C0123ABCD, or #name) for this rule's approvals; overrides the default. */
  slackChannel?: string;
  /** Who is e-mailed (`email:` identities); by default every approver with an e-mail address. */
  emailRecipients?: string[];
}

/**
 * A REST client (`clients.<name>`): it signs with its own secret and decides as `client:<name>`, or names an
 * `approver` inside `actsFor` (identity globs, `*` = any run of characters, or `person:<name>`). Absent or empty:
 * only as itself.
 */
export interface PolicyClient {
  actsFor?: readonly string[];
}

export interface PolicyDocument {
  people: PeopleMap;
  rules: PolicyRule[];
  /** The REST clients by name (`[a-z0-9][a-z0-9._-]{0,63}`); a keyId not named here is refused. */
  clients?: Readonly<Record<string, PolicyClient>>;
  /** Glob patterns on canonical identities: nobody else is ever accepted as a decider or e-mailed. */
  identities?: { allowed?: string[]; identityCenterAccounts?: string[] };
  defaults?: { slackChannel?: string };
}

/**
 * Who is who: the people map, and the AWS accounts whose IAM Identity Center sessions may speak for the e-mail address
 * in their session name (none: such sessions are only what the people map says they are).
 */
export interface Directory {
  people: PeopleMap;
  identityCenterAccounts?: readonly string[];
}

/** Who may decide, as the decision side needs it: the directory and the identities bound. */
export interface DeciderPolicy extends Directory {
  /** Absent: any identity (the approval's allow-list still applies). */
  allowedIdentities?: readonly string[];
}

/** The directory a policy file describes. */
export function directoryOf(document: Pick<PolicyDocument, 'people' | 'identities'>): Directory {
  const accounts = document.identities?.identityCenterAccounts;
  return { people: document.people, ...(accounts ? { identityCenterAccounts: accounts } : {}) };
}

export interface NotificationRouting {
  slackChannel?: string;
  /** Plain addresses, one per person. */
  emailRecipients: string[];
}

/** A person's identities; only the map's own entries (`person:constructor` is nobody). */
export function peopleEntry(people: PeopleMap, name: string): readonly string[] | undefined {
  return Object.hasOwn(people, name) ? people[name] : undefined;
}

const personIndexes = new WeakMap<PeopleMap, Map<string, string>>();

/** identity → person name, built once per people map (the map is frozen for the life of a function). */
function personIndex(people: PeopleMap): Map<string, string> {
  let index = personIndexes.get(people);
  if (index === undefined) {
    index = new Map();
    for (const [name, identities] of Object.entries(people)) {
      for (const identity of identities) index.set(tryCanonicalIdentity(identity) ?? identity, name);
    }
    personIndexes.set(people, index);
  }
  return index;
}

/**
 * The person an identity (or allow-list entry) stands for: `person:<name>` when the people map knows it; an IAM
 * Identity Center session of a trusted account whose session name is an e-mail address is that address's person;
 * otherwise the canonical identity itself, which then is a person of its own.
 */
export function personOf(identity: string, directory: Directory): string {
  if (identity.startsWith('person:')) return identity;
  const canonical = tryCanonicalIdentity(identity) ?? identity;
  const index = personIndex(directory.people);
  const name = index.get(canonical);
  if (name !== undefined) return `person:${name}`;
  const email = identityCenterEmail(canonical, directory.identityCenterAccounts ?? []);
  if (email === undefined) return canonical;
  const emailPerson = index.get(email);
  return emailPerson === undefined ? email : `person:${emailPerson}`;
}

/** The distinct people a list of identities and `person:` entries names. */
export function distinctPeople(entries: readonly string[], directory: Directory): Set<string> {
  return new Set(entries.map((entry) => personOf(entry, directory)));
}

/**
 * Where an approval is announced: the Slack channel of its rule (or the default), and an e-mail to each approver
 * who has an address — their own, or one the people map knows for them — inside `identities.allowed`, the
 * requester aside.
 */
export function notificationRouting(
  document: PolicyDocument,
  approval: Pick<Approval, 'source' | 'workflowRef' | 'approvers' | 'requestedBy'>,
): NotificationRouting {
  const rule = matchingRule(document, approval);
  const slackChannel = rule?.slackChannel ?? document.defaults?.slackChannel;
  const candidates = rule?.emailRecipients ?? approval.approvers;
  const addresses = new Map<string, string>();
  const directory = directoryOf(document);
  // The requester may not approve their own request: no invitation to.
  const requester = approval.requestedBy === undefined ? undefined : personOf(approval.requestedBy, directory);
  for (const entry of candidates) {
    const person = personOf(entry, directory);
    if (person === requester) continue;
    const email = person.startsWith('email:')
      ? person
      : person.startsWith('person:')
        ? peopleEntry(document.people, person.slice('person:'.length))?.find((known) => known.startsWith('email:'))
        : undefined;
    if (email === undefined || addresses.has(person)) continue;
    const allowed = document.identities?.allowed;
    if (allowed && !identityAllowed(email, allowed)) continue;
    addresses.set(person, email.slice('email:'.length));
  }
  return { ...(slackChannel ? { slackChannel } : {}), emailRecipients: [...addresses.values()] };
}

export function matchingRule(document: PolicyDocument, item: Pick<WaitingItem, 'source' | 'workflowRef'>) {
  return document.rules.find(
    (rule) =>
      (rule.match.source === undefined || rule.match.source === item.source) &&
      (rule.match.resource === undefined || globMatches(rule.match.resource, item.workflowRef)),
  );
}

export type PolicyOutcome =
  | {
      kind: 'eligible';
      item: WaitingItem & { approvers: string[]; requiredApprovals: number; requiredRejections: number };
    }
  /** Nobody may decide (no rule, nobody left after narrowing, quorum out of reach): why, without identities. */
  | { kind: 'refused'; reason: string };

/**
 * The waiting item under the policy. The first matching rule gives the allow-list and the quorum; approvers named by
 * the request narrow the list (intersection by person); a requested quorum may raise the rule's, never lower it; a
 * requested timeout may shorten the rule's, never lengthen it. Refused when nobody, or fewer people than the quorum
 * (the requester aside: they may not approve), would be eligible.
 */
export function applyPolicy(item: WaitingItem, document: PolicyDocument): PolicyOutcome {
  const rule = matchingRule(document, item);
  if (rule === undefined) return { kind: 'refused', reason: `no policy rule covers this ${item.source} workflow` };
  const people = directoryOf(document);

  let approvers = rule.approvers;
  if (item.approvers !== undefined && item.approvers.length > 0) {
    const requested = distinctPeople(item.approvers, people);
    approvers = rule.approvers.filter((entry) => requested.has(personOf(entry, people)));
    if (approvers.length === 0) {
      return {
        kind: 'refused',
        reason: `none of the approvers the request names is an approver of the policy rule "${rule.name}"`,
      };
    }
  }
  const eligible = distinctPeople(approvers, people);
  if (eligible.size === 0) return { kind: 'refused', reason: `the policy rule "${rule.name}" names no approvers` };

  const requiredApprovals = Math.max(rule.requiredApprovals ?? 1, item.requiredApprovals ?? 1);
  const requester = item.requestedBy === undefined ? undefined : personOf(item.requestedBy, people);
  const mayApprove = [...eligible].filter((person) => person !== requester).length;
  if (requiredApprovals > mayApprove) {
    return {
      kind: 'refused',
      reason: `${requiredApprovals} approvals are needed but only ${mayApprove} eligible ${mayApprove === 1 ? 'person' : 'people'} may approve (the requester may not)`,
    };
  }
  const timeoutSeconds = minDefined(item.timeoutSeconds, rule.timeoutSeconds);
  return {
    kind: 'eligible',
    item: {
      ...item,
      approvers: [...approvers],
      requiredApprovals,
      // Fewer people after narrowing: a rejection must stay reachable (rejecting is the safe side).
      requiredRejections: Math.min(rule.requiredRejections ?? 1, eligible.size),
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    },
  };
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * The voter's canonical identity, after checking it against the identities bound. Throws InvalidIdentityError for a
 * value that is no identity, NotAnApproverError for one outside `identities.allowed`.
 */
export function canonicalVoter(approvalId: string, approver: string, policy: DeciderPolicy): string {
  const voter = canonicalIdentity(approver);
  if (policy.allowedIdentities !== undefined && !identityAllowed(voter, policy.allowedIdentities)) {
    throw new NotAnApproverError(approvalId, voter);
  }
  return voter;
}

/** Throws the policy error that forbids this vote, if any. Replays are handled by the caller before this. */
export function assertMayVote(
  approval: Approval,
  vote: { approver: string; decision: Decision },
  people: Directory,
  now: Date,
): void {
  if (approval.status !== 'pending') throw new ApprovalClosedError(approval.id, approval.status);
  if (isPastDeadline(approval, now)) throw new ApprovalExpiredError(approval.id, approval.expiresAt);
  const voter = personOf(vote.approver, people);
  const allowed = approval.approvers.some((approver) => personOf(approver, people) === voter);
  if (!allowed) throw new NotAnApproverError(approval.id, vote.approver);
  if (
    vote.decision === 'approve' &&
    approval.requestedBy !== undefined &&
    personOf(approval.requestedBy, people) === voter
  ) {
    throw new SelfApprovalError(approval.id, vote.approver);
  }
  const earlier = approval.votes.find((existing) => personOf(existing.approver, people) === voter);
  if (earlier && earlier.decision !== vote.decision) {
    throw new ConflictingVoteError(approval.id, vote.approver, earlier.decision);
  }
}

/** approved / rejected once enough distinct people agree; pending otherwise. */
export function tallyVotes(approval: Approval, people: Directory): 'approved' | 'rejected' | 'pending' {
  const distinct = (decision: Decision) =>
    distinctPeople(
      approval.votes.filter((vote) => vote.decision === decision).map((vote) => vote.approver),
      people,
    ).size;
  if (distinct('reject') >= (approval.requiredRejections ?? 1)) return 'rejected';
  if (distinct('approve') >= approval.requiredApprovals) return 'approved';
  return 'pending';
}
