/**
 * Block Kit for an approval: the channel message (with its buttons while the approval is pending), the "decide with a
 * comment" modal, and ephemeral refusals. Pure: no AWS imports, no I/O, no Slack calls.
 *
 * Invariant 1: the builders take a {@link PublicApproval} and read named fields only (never a spread), and every
 * button and the modal carry the approval id and nothing else, so no task token can reach Slack.
 * Invariant 2: the message only shows; a decision is a POSTed Slack interaction, checked server-side like any other.
 *
 * Every user-chosen text that Slack parses as mrkdwn goes through {@link escapeSlackText} (`&`, `<`, `>` — Slack's
 * control characters, so a title cannot forge a link, a mention or `<!channel>`); links are built here, http(s) only.
 * Every text is cut to the Block Kit limits ({@link SLACK_LIMITS}) after escaping, never inside an entity, a mention,
 * a link or a surrogate pair.
 */
import type {
  ActionsBlock,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  ModalView,
  MrkdwnElement,
  SectionBlock,
} from '@slack/types';
import { type DecisionChannel, isPastDeadline, type PublicApproval } from '../domain/approval';
import { clipText, formatUtc, oneLine, sourceLabel } from './approvalFacts';
import { COMMENT_MAX_LENGTH, type PageLink, safeHttpUrl, timeLeft } from './reviewPages';

/** The interactions the message and the modal send back; the Slack function routes on these. */
export const SLACK_ACTION_IDS = {
  approve: 'greenlight.approve',
  reject: 'greenlight.reject',
  comment: 'greenlight.comment',
} as const;
export const COMMENT_MODAL_CALLBACK_ID = 'greenlight.comment';
/** Where the modal's submission carries its values: `view.state.values[block_id][action_id]`. */
export const COMMENT_MODAL_FIELDS = {
  decision: { blockId: 'decision', actionId: 'decision' },
  comment: { blockId: 'comment', actionId: 'comment' },
} as const;

/** Block Kit limits we respect (https://docs.slack.dev/reference/block-kit/blocks). */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonValue: 2000,
  modalTitle: 24,
} as const;

export interface SlackMessage {
  /** The notification / fallback text (Slack reads it as mrkdwn, so it is escaped too). */
  text: string;
  blocks: KnownBlock[];
}

const SLACK_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes Slack's three control characters, as Slack requires for any text it parses. */
export function escapeSlackText(value: string): string {
  return value.replace(/[&<>]/g, (character) => SLACK_ESCAPES[character] ?? character);
}

/** `raw` escaped, cut to at most `max` characters with a closing `…` (never inside an entity or a surrogate pair). */
function clipEscaped(raw: string, max: number): string {
  const full = escapeSlackText(raw);
  if (full.length <= max) return full;
  let clipped = '';
  for (const character of raw) {
    const piece = escapeSlackText(character);
    if (clipped.length + piece.length > max - 1) break;
    clipped += piece;
  }
  return `${clipped}…`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

const CHANNEL_LABELS: Record<DecisionChannel, string> = {
  'review-link': 'review link',
  slack: 'Slack',
  rest: 'REST API',
  eventbridge: 'EventBridge',
  system: 'Greenlight',
};

function channelLabel(channel: DecisionChannel): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

/** How many distinct people approved so far. */
export function approvalsSoFar(approval: Pick<PublicApproval, 'votes'>): number {
  return new Set(approval.votes.filter((vote) => vote.decision === 'approve').map((vote) => vote.approver)).size;
}

/** "2 of 3 approvers must approve" / "1 approval needed from any authorised approver". Shared with the email. */
export function quorumText(approval: Pick<PublicApproval, 'approvers' | 'requiredApprovals'>): string {
  return approval.approvers.length === 0
    ? `${plural(approval.requiredApprovals, 'approval')} needed from any authorised approver`
    : `${approval.requiredApprovals} of ${plural(approval.approvers.length, 'approver')} must approve`;
}

const SLACK_USER_IDENTITY = /^slack:([UW][A-Z0-9]{2,30})$/;
const MAX_IDENTITY_LENGTH = 120;

/** A Slack identity becomes a mention; anything else is escaped text. */
function renderIdentity(identity: string): string {
  const slackUser = SLACK_USER_IDENTITY.exec(identity);
  return slackUser ? `<@${slackUser[1]}>` : clipEscaped(oneLine(identity), MAX_IDENTITY_LENGTH);
}

function renderIdentities(identities: readonly string[], shown = 10): string {
  const rendered = identities.slice(0, shown).map(renderIdentity).join(', ');
  return identities.length > shown ? `${rendered} and ${identities.length - shown} more` : rendered;
}

/**
 * A URL that may go inside `<url|label>`: http(s) only, with `|`, `<` and `>` percent-encoded (so the label cannot be
 * moved into the URL and back) and `&` escaped as Slack requires.
 */
function slackLinkUrl(url: string): string | undefined {
  const href = safeHttpUrl(url);
  if (href === undefined) return undefined;
  return href.replace(/[|<>]/g, (character) => encodeURIComponent(character)).replace(/&/g, '&amp;');
}

const MAX_LABEL_LENGTH = 200;

function renderLink(link: PageLink): string {
  const label = oneLine(link.label) === '' ? link.url : link.label;
  const text = clipEscaped(oneLine(label), MAX_LABEL_LENGTH);
  const url = slackLinkUrl(link.url);
  if (url === undefined) return `• ${text} _(not shown as a link: only http and https links are allowed)_`;
  return `• <${url}|${text}>`;
}

/** Room kept at the end of a section for the "…and N more" line. */
const MORE_RESERVE = 80;

/** `heading` and as many whole `lines` as fit in `max`, then a line saying how many were left out. */
function joinWithinLimit(heading: string, lines: readonly string[], max: number, more: (count: number) => string) {
  let text = heading;
  let shown = 0;
  for (const line of lines) {
    if (text.length + 1 + line.length > max - MORE_RESERVE) break;
    text += `\n${line}`;
    shown += 1;
  }
  const hidden = lines.length - shown;
  return hidden > 0 ? `${text}\n${more(hidden)}` : text;
}

function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(clipPlainSafe(text, SLACK_LIMITS.sectionText)) };
}

/** Last-resort guard for already-built mrkdwn: every builder stays under the limit, this only protects the payload. */
function clipPlainSafe(text: string, max: number): string {
  return text.length <= max ? text : clipText(text, max);
}

function field(label: string, valueMrkdwn: string): MrkdwnElement {
  return mrkdwn(clipPlainSafe(`*${label}*\n${valueMrkdwn}`, SLACK_LIMITS.fieldText));
}

function headerBlock(title: string): HeaderBlock {
  const text = oneLine(title) === '' ? 'Approval request' : oneLine(title);
  return { type: 'header', text: { type: 'plain_text', text: clipText(text, SLACK_LIMITS.headerText) } };
}

const FIELD_VALUE_MAX = 1800;

function factsBlock(approval: PublicApproval, now: Date, pending: boolean): SectionBlock {
  const fields: MrkdwnElement[] = [
    field('Source', escapeSlackText(sourceLabel(approval.source))),
    field('Workflow', clipEscaped(approval.workflowRef, FIELD_VALUE_MAX)),
  ];
  if (approval.requestedBy) fields.push(field('Requested by', renderIdentity(approval.requestedBy)));
  fields.push(
    field(
      'Approvers',
      `${approval.approvers.length === 0 ? '' : `${renderIdentities(approval.approvers)}\n`}${escapeSlackText(quorumText(approval))}`,
    ),
  );
  fields.push(field('Requested at', escapeSlackText(formatUtc(approval.createdAt))));
  if (pending) {
    fields.push(
      field(
        'Time left',
        escapeSlackText(`${timeLeft(approval.expiresAt, now)} (until ${formatUtc(approval.expiresAt)})`),
      ),
    );
  }
  return { type: 'section', fields };
}

const MAX_CONTEXT_FIELD_SECTIONS = 2;
const MAX_FIELD_KEY_LENGTH = 100;

function contextFieldBlocks(approval: PublicApproval): KnownBlock[] {
  const entries = Object.entries(approval.context.fields);
  if (entries.length === 0) return [];
  const perSection = SLACK_LIMITS.sectionFields;
  const shown = entries.slice(0, perSection * MAX_CONTEXT_FIELD_SECTIONS);
  const blocks: KnownBlock[] = [];
  for (let start = 0; start < shown.length; start += perSection) {
    blocks.push({
      type: 'section',
      fields: shown
        .slice(start, start + perSection)
        .map(([key, value]) =>
          field(clipEscaped(oneLine(key), MAX_FIELD_KEY_LENGTH), clipEscaped(String(value), FIELD_VALUE_MAX)),
        ),
    });
  }
  if (entries.length > shown.length) {
    blocks.push(contextBlock(`_${plural(entries.length - shown.length, 'more field')} not shown_`));
  }
  return blocks;
}

function linksBlock(heading: string, links: readonly PageLink[]): SectionBlock | undefined {
  if (links.length === 0) return undefined;
  return section(
    joinWithinLimit(`*${heading}*`, links.map(renderLink), SLACK_LIMITS.sectionText, (count) => {
      return `_…and ${plural(count, 'more link')}, not shown_`;
    }),
  );
}

const MAX_COMMENT_LENGTH = 300;

function votesBlock(approval: PublicApproval): SectionBlock {
  const heading = `*Votes so far* · ${approvalsSoFar(approval)} of ${plural(approval.requiredApprovals, 'required approval')}`;
  if (approval.votes.length === 0) return section(`${heading}\n_No votes yet._`);
  const lines = approval.votes.map((vote) => {
    const verb = vote.decision === 'approve' ? ':white_check_mark: approved' : ':x: rejected';
    const comment = vote.comment ? `: “${clipEscaped(oneLine(vote.comment), MAX_COMMENT_LENGTH)}”` : '';
    return `• ${renderIdentity(vote.approver)} ${verb} via ${channelLabel(vote.channel)} at ${formatUtc(vote.at)}${comment}`;
  });
  return section(
    joinWithinLimit(heading, lines, SLACK_LIMITS.sectionText, (count) => `_…and ${plural(count, 'more vote')}_`),
  );
}

/** When the approval left `pending` (decided or closed). */
function leftPendingAt(approval: PublicApproval): string {
  return approval.history.find((entry) => entry.status !== 'pending')?.at ?? approval.updatedAt;
}

function closingEntry(approval: PublicApproval) {
  return [...approval.history].reverse().find((entry) => entry.status === approval.status);
}

/** "*Approved* by <@U1>, email:bob@example.com via Slack at 2026-… UTC", or the expiry, without emoji. */
function decisionHeadline(approval: PublicApproval): string | undefined {
  const at = formatUtc(leftPendingAt(approval));
  if (approval.outcome === 'expired') return `*Expired* without a decision at ${at}`;
  if (approval.outcome !== 'approved' && approval.outcome !== 'rejected') return undefined;
  const decision = approval.outcome === 'approved' ? 'approve' : 'reject';
  const deciding = approval.votes.filter((vote) => vote.decision === decision);
  const verb = approval.outcome === 'approved' ? '*Approved*' : '*Rejected*';
  if (deciding.length === 0) return `${verb} at ${at}`;
  const who = renderIdentities([...new Set(deciding.map((vote) => vote.approver))], 5);
  const via = [...new Set(deciding.map((vote) => channelLabel(vote.channel)))].join(', ');
  return `${verb} by ${who} via ${via} at ${at}`;
}

function decisionComments(approval: PublicApproval): string[] {
  const decision = approval.outcome === 'approved' ? 'approve' : approval.outcome === 'rejected' ? 'reject' : undefined;
  return approval.votes
    .filter((vote) => vote.decision === decision && vote.comment)
    .map(
      (vote) => `> ${renderIdentity(vote.approver)}: “${clipEscaped(oneLine(vote.comment ?? ''), MAX_COMMENT_LENGTH)}”`,
    );
}

const OUTCOME_EMOJI: Record<string, string> = {
  approved: ':white_check_mark:',
  rejected: ':x:',
  expired: ':alarm_clock:',
};

const MAX_REASON_LENGTH = 1000;

/** The outcome line(s) of a decided or closed approval; undefined while it is pending. */
function outcomeText(approval: PublicApproval): string | undefined {
  const headline = decisionHeadline(approval);
  const emoji = OUTCOME_EMOJI[approval.outcome ?? ''] ?? ':information_source:';
  const reason = approval.closedReason ?? closingEntry(approval)?.reason;
  let lines: string[];
  switch (approval.status) {
    case 'pending':
      return undefined;
    case 'resuming':
      lines = [
        `${emoji} ${headline ?? '*Decided*'}`,
        ':hourglass_flowing_sand: Answering the workflow…',
        ...decisionComments(approval),
      ];
      break;
    case 'approved':
    case 'rejected':
    case 'expired':
      lines = [
        `${OUTCOME_EMOJI[approval.status]} ${headline ?? `*${approval.status === 'expired' ? 'Expired' : 'Closed'}* at ${formatUtc(leftPendingAt(approval))}`}`,
        ...decisionComments(approval),
      ];
      break;
    case 'cancelled':
      lines = [
        `:no_entry_sign: *Cancelled* at ${formatUtc(closingEntry(approval)?.at ?? approval.updatedAt)}${
          reason ? `: ${clipEscaped(oneLine(reason), MAX_REASON_LENGTH)}` : ''
        }`,
      ];
      break;
    case 'failed':
      lines = [
        ':warning: *Failed*: the workflow did not accept the answer',
        ...(headline ? [`Decision: ${headline}`] : []),
        `*Reason:* ${reason ? clipEscaped(oneLine(reason), MAX_REASON_LENGTH) : 'not recorded'}`,
        ...decisionComments(approval),
      ];
      break;
    default:
      return undefined;
  }
  return joinWithinLimit(lines[0] ?? '', lines.slice(1), SLACK_LIMITS.sectionText, (count) => {
    return `_…and ${plural(count, 'more comment')}_`;
  });
}

function contextBlock(text: string): ContextBlock {
  return { type: 'context', elements: [mrkdwn(clipPlainSafe(text, SLACK_LIMITS.sectionText))] };
}

function actionsBlock(approvalId: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: 'greenlight.decision',
    elements: [
      {
        type: 'button',
        action_id: SLACK_ACTION_IDS.approve,
        text: { type: 'plain_text', text: 'Approve' },
        style: 'primary',
        value: approvalId,
      },
      {
        type: 'button',
        action_id: SLACK_ACTION_IDS.reject,
        text: { type: 'plain_text', text: 'Reject' },
        style: 'danger',
        value: approvalId,
      },
      {
        type: 'button',
        action_id: SLACK_ACTION_IDS.comment,
        text: { type: 'plain_text', text: 'Decide with a comment…' },
        value: approvalId,
      },
    ],
  };
}

const FALLBACK_VERBS: Record<PublicApproval['status'], string> = {
  pending: 'Approval needed',
  resuming: 'Decided',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

function fallbackText(approval: PublicApproval, expiredUnanswered: boolean): string {
  const title = clipEscaped(oneLine(approval.title), SLACK_LIMITS.headerText);
  if (expiredUnanswered) return `Approval expired: ${title}`;
  if (approval.status === 'resuming') {
    const verb = approval.outcome ? FALLBACK_VERBS[approval.outcome] : FALLBACK_VERBS.resuming;
    return `${verb}: ${title} — answering the workflow…`;
  }
  return `${FALLBACK_VERBS[approval.status] ?? approval.status}: ${title}`;
}

/**
 * The channel message for an approval. While it is `pending` (and its deadline has not passed) it carries the
 * Approve / Reject / "Decide with a comment…" buttons, whose value is the approval id only; once decided it shows the
 * decision and "answering the workflow…"; once closed, the outcome. Never more than {@link SLACK_LIMITS}.
 */
export function approvalMessage(
  approval: PublicApproval,
  options: { now: Date; consoleLinks: PageLink[] },
): SlackMessage {
  const { now, consoleLinks } = options;
  const pending = approval.status === 'pending';
  const expiredUnanswered = pending && isPastDeadline(approval, now);
  const blocks: Array<KnownBlock | undefined> = [
    headerBlock(approval.title),
    factsBlock(approval, now, pending && !expiredUnanswered),
    approval.description?.trim() ? section(clipEscaped(approval.description, SLACK_LIMITS.sectionText)) : undefined,
    ...contextFieldBlocks(approval),
    linksBlock('Links', approval.context.links),
    linksBlock('AWS console', consoleLinks),
    votesBlock(approval),
  ];
  const outcome = outcomeText(approval);
  if (outcome !== undefined) blocks.push(section(outcome));
  if (expiredUnanswered) {
    blocks.push(section(':alarm_clock: The deadline has passed: decisions are no longer accepted.'));
  } else if (pending) {
    blocks.push(actionsBlock(approval.id));
  }
  blocks.push(contextBlock(`Greenlight · approval ${escapeSlackText(approval.id)}`));
  return {
    text: fallbackText(approval, expiredUnanswered),
    blocks: blocks.filter((block): block is KnownBlock => block !== undefined).slice(0, SLACK_LIMITS.blocks),
  };
}

/**
 * The modal the "Decide with a comment…" button opens: approve or reject, with an optional comment. It carries the
 * approval id in `private_metadata` and nothing else.
 */
export function commentModal(approval: PublicApproval): ModalView {
  return {
    type: 'modal',
    callback_id: COMMENT_MODAL_CALLBACK_ID,
    private_metadata: approval.id,
    title: { type: 'plain_text', text: 'Approval decision' },
    submit: { type: 'plain_text', text: 'Submit decision' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        `*${clipEscaped(oneLine(approval.title), 500)}*\n${escapeSlackText(sourceLabel(approval.source))} · approval ${escapeSlackText(approval.id)}`,
      ),
      {
        type: 'input',
        block_id: COMMENT_MODAL_FIELDS.decision.blockId,
        label: { type: 'plain_text', text: 'Decision' },
        element: {
          type: 'radio_buttons',
          action_id: COMMENT_MODAL_FIELDS.decision.actionId,
          options: [
            { text: { type: 'plain_text', text: 'Approve' }, value: 'approve' },
            { text: { type: 'plain_text', text: 'Reject' }, value: 'reject' },
          ],
        },
      },
      {
        type: 'input',
        block_id: COMMENT_MODAL_FIELDS.comment.blockId,
        optional: true,
        label: { type: 'plain_text', text: 'Comment' },
        element: {
          type: 'plain_text_input',
          action_id: COMMENT_MODAL_FIELDS.comment.actionId,
          multiline: true,
          max_length: COMMENT_MAX_LENGTH,
        },
      },
    ],
  };
}

/**
 * An ephemeral answer to someone whose click or submission changed nothing (not an approver, already closed, …).
 * Escaped (Slack parses message text), no emoji code, so the same text also fits a modal's field error.
 */
export function refusalMessage(reason: string): { text: string } {
  const text = reason.trim() === '' ? 'Your decision was not recorded.' : reason.trim();
  return { text: clipEscaped(text, SLACK_LIMITS.sectionText) };
}
