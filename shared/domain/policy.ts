/**
 * The approval policy, enforced server-side for every channel: who may decide (allow-list, with a people map joining
 * one person's identities), how many must agree (N-of-M quorum, and how many rejections reject), no self-approval,
 * and the deadline. Pure functions.
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

/** Person name → the identities that are this person (`email:…`, `slack:U…`, `iam:arn:…`). */
export type PeopleMap = Readonly<Record<string, readonly string[]>>;

export interface PolicyRule {
  name: string;
  /** Which waiting items the rule covers; `resource` is a glob (`*` = any run of characters) on the workflow ref. */
  match: { source?: SourceKind; resource?: string };
  /** Identities, or `person:<name>` for every identity of a person in the people map. */
  approvers: string[];
  requiredApprovals?: number;
  /** How many rejections reject; 1 (the default) makes any rejection final. */
  requiredRejections?: number;
  timeoutSeconds?: number;
  /** Slack channel (id like C0123ABCD, or #name) for this rule's approvals; overrides the default. */
  slackChannel?: string;
  /** Who is e-mailed (`email:` identities); by default every approver with an e-mail address. */
  emailRecipients?: string[];
}

export interface PolicyDocument {
  people: PeopleMap;
  rules: PolicyRule[];
  defaults?: { slackChannel?: string };
}

export interface NotificationRouting {
  slackChannel?: string;
  /** Plain addresses, one per person. */
  emailRecipients: string[];
}

/**
 * Where an approval is announced: the Slack channel of its rule (or the default), and an e-mail to each approver
 * who has an address — their own, or one the people map knows for them.
 */
export function notificationRouting(
  document: PolicyDocument,
  approval: Pick<Approval, 'source' | 'workflowRef' | 'approvers'>,
): NotificationRouting {
  const rule = matchingRule(document, approval);
  const slackChannel = rule?.slackChannel ?? document.defaults?.slackChannel;
  const candidates = rule?.emailRecipients ?? approval.approvers;
  const addresses = new Map<string, string>();
  for (const identity of candidates) {
    const person = personOf(identity, document.people);
    const email = identity.startsWith('email:')
      ? identity
      : document.people[person.slice('person:'.length)]?.find((known) => known.startsWith('email:'));
    if (email && !addresses.has(person)) addresses.set(person, email.slice('email:'.length));
  }
  return { ...(slackChannel ? { slackChannel } : {}), emailRecipients: [...addresses.values()] };
}

/** The identity a vote or an allow-list entry stands for: the person's name when the people map knows it. */
export function personOf(identity: string, people: PeopleMap): string {
  for (const [name, identities] of Object.entries(people)) {
    if (identities.includes(identity)) return `person:${name}`;
  }
  return identity;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export function matchingRule(document: PolicyDocument, item: Pick<WaitingItem, 'source' | 'workflowRef'>) {
  return document.rules.find(
    (rule) =>
      (rule.match.source === undefined || rule.match.source === item.source) &&
      (rule.match.resource === undefined || globToRegExp(rule.match.resource).test(item.workflowRef)),
  );
}

/**
 * The waiting item with the policy applied: what the request says wins (the workflow's author chose it); otherwise
 * the first matching rule of the policy file; otherwise nobody may approve and the approval expires.
 */
export function applyPolicy(item: WaitingItem, document: PolicyDocument): WaitingItem & { requiredRejections: number } {
  const rule = matchingRule(document, item);
  const requested = item.approvers !== undefined && item.approvers.length > 0;
  // `person:<name>` entries stay as they are: every identity of that person matches them (personOf), and the quorum
  // reads "1 of 2 people", not "1 of 6 identities".
  const approvers = requested ? (item.approvers as string[]) : [...(rule?.approvers ?? [])];
  return {
    ...item,
    approvers,
    requiredApprovals: item.requiredApprovals ?? (requested ? undefined : rule?.requiredApprovals) ?? 1,
    requiredRejections: rule?.requiredRejections ?? 1,
    ...((item.timeoutSeconds ?? rule?.timeoutSeconds) === undefined
      ? {}
      : { timeoutSeconds: item.timeoutSeconds ?? rule?.timeoutSeconds }),
  };
}

/** Throws the policy error that forbids this vote, if any. Replays are handled by the caller before this. */
export function assertMayVote(
  approval: Approval,
  vote: { approver: string; decision: Decision },
  people: PeopleMap,
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
export function tallyVotes(approval: Approval, people: PeopleMap): 'approved' | 'rejected' | 'pending' {
  const distinct = (decision: Decision) =>
    new Set(approval.votes.filter((vote) => vote.decision === decision).map((vote) => personOf(vote.approver, people)))
      .size;
  if (distinct('reject') >= (approval.requiredRejections ?? 1)) return 'rejected';
  if (distinct('approve') >= approval.requiredApprovals) return 'approved';
  return 'pending';
}
