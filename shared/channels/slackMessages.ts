/**
 * Block Kit for an approval: the channel message (with its buttons while the approval is pending), the "decide with a
 * comment" modal, and ephemeral refusals. Pure: no AWS imports, no I/O, no Slack calls.
 *
 * Invariant 1: the builders take a {@link PublicApproval} and read named fields only (never a spread), and every
 * button and the modal carry the approval id and nothing else, so no task token can reach Slack.
 * Invariant 2: the message only shows; a decision is a POSTed Slack interaction, checked server-side like any other.
 * Invariant 3: every text that came from a request or a person (title, description, workflow reference, context
 * fields and links, identities, vote comments, closing reasons) goes where Slack parses no markup: `plain_text` text
 * objects (header, section text and fields) or `text` / `link` elements of `rich_text` blocks. mrkdwn carries
 * Greenlight's own words only, and a mention only comes from a `slack:` identity, as a rich-text `user` element that
 * Greenlight builds. Links are http(s) only, in rich-text `link` elements (URL and label are separate JSON strings,
 * so neither can forge markup). The notification text (`text`, which Slack parses as mrkdwn) carries the title with
 * `&`, `<` and `>` escaped ({@link escapeSlackText}), as Slack's "Escaping text" asks.
 *
 * Every text is cut to the Block Kit limits ({@link SLACK_LIMITS}), never inside a surrogate pair (or an entity in the
 * escaped notification text).
 */
import type {
  ActionsBlock,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  ModalView,
  MrkdwnElement,
  PlainTextElement,
  RichTextBlock,
  RichTextBlockElement,
  RichTextElement,
  RichTextList,
  RichTextQuote,
  RichTextSection,
  RichTextText,
  SectionBlock,
} from '@slack/types';
import type { SlackMessage as SlackMessageOf } from '../app/ports';
import { type DecisionChannel, isPastDeadline, type PublicApproval } from '../domain/approval';
import { clip } from '../domain/clip';
import { sourceLabel } from '../sources/sourcePresentations';
import { approvalsSoFar, formatUtc, oneLine, plural } from './approvalFacts';
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

/**
 * Block Kit limits we respect (https://docs.slack.dev/reference/block-kit/blocks and its block pages; a text object's
 * text is 1 to 3000 characters). `richText` is our own bound: Slack documents no length limit for a rich_text block,
 * so each is kept within a section's text limit (counting text, link labels and URLs, mentions and emoji names).
 */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonValue: 2000,
  modalTitle: 24,
  richText: 3000,
} as const;

/** The notification / fallback text (Slack reads it as mrkdwn, so the title in it is escaped) and Block Kit blocks. */
export type SlackMessage = SlackMessageOf<KnownBlock>;

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

const CHANNEL_LABELS: Record<DecisionChannel, string> = {
  'review-link': 'review link',
  slack: 'Slack',
  rest: 'REST API',
  iam: 'IAM-signed API call',
  eventbridge: 'EventBridge',
  sso: 'Greenlight inbox',
  system: 'Greenlight',
};

function channelLabel(channel: DecisionChannel): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

/** "2 of 3 approvers must approve" / "1 approval needed from any authorised approver". Shared with the email. */
export function quorumText(approval: Pick<PublicApproval, 'approvers' | 'requiredApprovals'>): string {
  return approval.approvers.length === 0
    ? `${plural(approval.requiredApprovals, 'approval')} needed from any authorised approver`
    : `${approval.requiredApprovals} of ${plural(approval.approvers.length, 'approver')} must approve`;
}

// ── Rich text: literal text, links, mentions and emoji as separate elements (Slack parses none of them as markup) ──

type Inline = RichTextElement;
type Style = NonNullable<RichTextText['style']>;

function text(value: string, style?: Style): RichTextText {
  return style ? { type: 'text', text: value, style } : { type: 'text', text: value };
}

const bold = (value: string) => text(value, { bold: true });
const italic = (value: string) => text(value, { italic: true });
const emoji = (name: string): Inline => ({ type: 'emoji', name });

/** Adjacent text elements of the same style joined into one (what Slack shows is the same; the payload is smaller). */
function merged(elements: readonly Inline[]): Inline[] {
  const result: Inline[] = [];
  for (const element of elements) {
    const previous = result.at(-1);
    if (
      element.type === 'text' &&
      previous?.type === 'text' &&
      JSON.stringify(previous.style ?? {}) === JSON.stringify(element.style ?? {})
    ) {
      result[result.length - 1] = { ...previous, text: previous.text + element.text };
    } else if (element.type !== 'text' || element.text !== '') {
      result.push(element);
    }
  }
  return result;
}

/** Rows of inline elements as one rich-text section, a line break between rows. */
function paragraph(...rows: Inline[][]): RichTextSection {
  return {
    type: 'rich_text_section',
    elements: merged(rows.flatMap((row, index) => (index > 0 ? [text('\n'), ...row] : row))),
  };
}

function bulletList(items: RichTextSection[]): RichTextList {
  return { type: 'rich_text_list', style: 'bullet', elements: items };
}

function quote(elements: Inline[]): RichTextQuote {
  return { type: 'rich_text_quote', elements: merged(elements) };
}

function richText(elements: Array<RichTextBlockElement | undefined>): RichTextBlock {
  return { type: 'rich_text', elements: elements.filter((element) => element !== undefined) };
}

/** What a rich-text element counts against {@link SLACK_LIMITS.richText}. */
export function richTextLength(element: RichTextBlockElement | Inline): number {
  switch (element.type) {
    case 'rich_text_section':
    case 'rich_text_quote':
    case 'rich_text_preformatted':
    case 'rich_text_list':
      return (element.elements as Array<RichTextBlockElement | Inline>).reduce(
        (sum, child) => sum + richTextLength(child),
        0,
      );
    case 'text':
      return element.text.length;
    case 'link':
      return element.url.length + (element.text?.length ?? 0);
    case 'user':
      return element.user_id.length + 3;
    case 'emoji':
      return element.name.length + 2;
    default:
      return JSON.stringify(element).length;
  }
}

/** Room kept at the end of a rich_text block for the "…and N more" line. */
const MORE_RESERVE = 80;

/** As many whole `items` as fit in what `used` leaves of the rich-text budget, and how many did not. */
function fitting<T extends RichTextBlockElement>(items: readonly T[], used: number): { shown: T[]; hidden: number } {
  let total = used + MORE_RESERVE;
  const shown: T[] = [];
  for (const item of items) {
    total += richTextLength(item) + 1;
    if (total > SLACK_LIMITS.richText) break;
    shown.push(item);
  }
  return { shown, hidden: items.length - shown.length };
}

// ── Identities: a `slack:` identity is a mention Greenlight builds; any other is literal text ───────────────────────

const SLACK_USER_IDENTITY = /^slack:([UW][A-Z0-9]{2,30})$/;
const MAX_IDENTITY_LENGTH = 120;

function identityElement(identity: string): Inline {
  const slackUser = SLACK_USER_IDENTITY.exec(identity)?.[1];
  return slackUser ? { type: 'user', user_id: slackUser } : text(clip(oneLine(identity), MAX_IDENTITY_LENGTH));
}

function identityElements(identities: readonly string[], shown = 10): Inline[] {
  const elements = identities
    .slice(0, shown)
    .flatMap((identity, index) => (index > 0 ? [text(', '), identityElement(identity)] : [identityElement(identity)]));
  return identities.length > shown ? [...elements, text(` and ${identities.length - shown} more`)] : elements;
}

// ── Plain text objects ──────────────────────────────────────────────────────────────────────────────────────────────

function plainText(value: string): PlainTextElement {
  return { type: 'plain_text', text: value };
}

function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

/** A section of Greenlight's own mrkdwn (no text from a request or a person). */
function ownSection(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

/** A context line of Greenlight's own mrkdwn (no text from a request or a person). */
function ownContext(text: string): ContextBlock {
  return { type: 'context', elements: [mrkdwn(text)] };
}

function headerBlock(title: string): HeaderBlock {
  const text = oneLine(title) === '' ? 'Approval request' : oneLine(title);
  return { type: 'header', text: plainText(clip(text, SLACK_LIMITS.headerText)) };
}

// ── The message's blocks ────────────────────────────────────────────────────────────────────────────────────────────

const MAX_WORKFLOW_LENGTH = 1000;

/** Source, workflow, who asked, approvers and quorum, when, time left: one line each, the label bold. */
function factsBlock(approval: PublicApproval, now: Date, pending: boolean): RichTextBlock {
  const rows: Inline[][] = [
    [bold('Source'), text(`: ${sourceLabel(approval.source)}`)],
    [bold('Workflow'), text(`: ${clip(oneLine(approval.workflowRef), MAX_WORKFLOW_LENGTH)}`)],
  ];
  if (approval.requestedBy) rows.push([bold('Requested by'), text(': '), identityElement(approval.requestedBy)]);
  rows.push([
    bold('Approvers'),
    text(': '),
    ...(approval.approvers.length === 0 ? [] : [...identityElements(approval.approvers), text(' · ')]),
    text(quorumText(approval)),
  ]);
  rows.push([bold('Requested at'), text(`: ${formatUtc(approval.createdAt)}`)]);
  if (pending) {
    rows.push([
      bold('Time left'),
      text(`: ${timeLeft(approval.expiresAt, now)} (until ${formatUtc(approval.expiresAt)})`),
    ]);
  }
  return richText([paragraph(...rows)]);
}

function descriptionBlock(description: string | undefined): SectionBlock | undefined {
  if (!description?.trim()) return undefined;
  return { type: 'section', text: plainText(clip(description, SLACK_LIMITS.sectionText)) };
}

const MAX_CONTEXT_FIELD_SECTIONS = 2;
const MAX_FIELD_KEY_LENGTH = 100;
const MAX_FIELD_VALUE_LENGTH = 1800;

/** The request's context fields as plain-text section fields ("name", a line break, "value"), two columns. */
function contextFieldBlocks(approval: PublicApproval): KnownBlock[] {
  const entries = Object.entries(approval.context.fields);
  if (entries.length === 0) return [];
  const perSection = SLACK_LIMITS.sectionFields;
  const shown = entries.slice(0, perSection * MAX_CONTEXT_FIELD_SECTIONS);
  const blocks: KnownBlock[] = [];
  for (let start = 0; start < shown.length; start += perSection) {
    blocks.push({
      type: 'section',
      fields: shown.slice(start, start + perSection).map(([key, value]) => {
        const name = clip(oneLine(key) === '' ? '(unnamed)' : oneLine(key), MAX_FIELD_KEY_LENGTH);
        return plainText(`${name}\n${clip(String(value), MAX_FIELD_VALUE_LENGTH)}`);
      }),
    });
  }
  if (entries.length > shown.length) {
    blocks.push(ownContext(`_${plural(entries.length - shown.length, 'more field')} not shown_`));
  }
  return blocks;
}

const MAX_LABEL_LENGTH = 200;
/** Longest URL made a link (the button element's documented `url` limit is 3000; rich text documents none). */
const MAX_URL_LENGTH = 2000;

/** One link as a list item: a rich-text link (http or https only) labelled with the link's label, else its URL. */
function linkItem(link: PageLink): RichTextSection {
  const label = clip(oneLine(link.label) === '' ? oneLine(link.url) : oneLine(link.label), MAX_LABEL_LENGTH);
  const url = safeHttpUrl(link.url);
  if (url === undefined) {
    return paragraph([text(label), italic(' (not shown as a link: only http and https links are allowed)')]);
  }
  if (url.length > MAX_URL_LENGTH) return paragraph([text(label), italic(' (not shown as a link: too long)')]);
  return paragraph([{ type: 'link', url, text: label }]);
}

function linksBlock(heading: string, links: readonly PageLink[]): RichTextBlock | undefined {
  if (links.length === 0) return undefined;
  const head = paragraph([bold(heading)]);
  const { shown, hidden } = fitting(links.map(linkItem), richTextLength(head));
  return richText([
    head,
    shown.length > 0 ? bulletList(shown) : undefined,
    hidden > 0 ? paragraph([italic(`…and ${plural(hidden, 'more link')}, not shown`)]) : undefined,
  ]);
}

const MAX_COMMENT_LENGTH = 300;

function commentText(comment: string): string {
  return `“${clip(oneLine(comment), MAX_COMMENT_LENGTH)}”`;
}

function votesBlock(approval: PublicApproval): RichTextBlock {
  const heading = [
    bold('Votes so far'),
    text(` · ${approvalsSoFar(approval.votes)} of ${plural(approval.requiredApprovals, 'required approval')}`),
  ];
  if (approval.votes.length === 0) return richText([paragraph(heading, [italic('No votes yet.')])]);
  const head = paragraph(heading);
  const items = approval.votes.map((vote) =>
    paragraph([
      identityElement(vote.approver),
      text(' '),
      ...(vote.decision === 'approve'
        ? [emoji('white_check_mark'), text(' approved')]
        : [emoji('x'), text(' rejected')]),
      text(` via ${channelLabel(vote.channel)} at ${formatUtc(vote.at)}`),
      ...(vote.comment ? [text(`: ${commentText(vote.comment)}`)] : []),
    ]),
  );
  const { shown, hidden } = fitting(items, richTextLength(head));
  return richText([
    head,
    shown.length > 0 ? bulletList(shown) : undefined,
    hidden > 0 ? paragraph([italic(`…and ${plural(hidden, 'more vote')}`)]) : undefined,
  ]);
}

/** When the approval left `pending` (decided or closed). */
function leftPendingAt(approval: PublicApproval): string {
  return approval.history.find((entry) => entry.status !== 'pending')?.at ?? approval.updatedAt;
}

function closingEntry(approval: PublicApproval) {
  return [...approval.history].reverse().find((entry) => entry.status === approval.status);
}

/** "Approved by @U1, email:bob@example.com via Slack at 2026-… UTC", or the expiry; undefined otherwise. */
function decisionHeadline(approval: PublicApproval): Inline[] | undefined {
  const at = formatUtc(leftPendingAt(approval));
  if (approval.outcome === 'expired') return [bold('Expired'), text(` without a decision at ${at}`)];
  if (approval.outcome !== 'approved' && approval.outcome !== 'rejected') return undefined;
  const decision = approval.outcome === 'approved' ? 'approve' : 'reject';
  const deciding = approval.votes.filter((vote) => vote.decision === decision);
  const verb = bold(approval.outcome === 'approved' ? 'Approved' : 'Rejected');
  if (deciding.length === 0) return [verb, text(` at ${at}`)];
  const who = identityElements([...new Set(deciding.map((vote) => vote.approver))], 5);
  const via = [...new Set(deciding.map((vote) => channelLabel(vote.channel)))].join(', ');
  return [verb, text(' by '), ...who, text(` via ${via} at ${at}`)];
}

/** The comments of the votes that decided, one quote each. */
function decisionComments(approval: PublicApproval): RichTextQuote[] {
  const decision = approval.outcome === 'approved' ? 'approve' : approval.outcome === 'rejected' ? 'reject' : undefined;
  return approval.votes
    .filter((vote) => vote.decision === decision && vote.comment)
    .map((vote) => quote([identityElement(vote.approver), text(`: ${commentText(vote.comment ?? '')}`)]));
}

const OUTCOME_EMOJI: Record<string, string> = {
  approved: 'white_check_mark',
  rejected: 'x',
  expired: 'alarm_clock',
};

const MAX_REASON_LENGTH = 1000;

function reasonText(reason: string): string {
  return clip(oneLine(reason), MAX_REASON_LENGTH);
}

/** The outcome of a decided or closed approval; undefined while it is pending. */
function outcomeBlock(approval: PublicApproval): RichTextBlock | undefined {
  const headline = decisionHeadline(approval);
  const reason = approval.closedReason ?? closingEntry(approval)?.reason;
  let rows: Inline[][];
  let comments: RichTextQuote[] = [];
  switch (approval.status) {
    case 'pending':
      return undefined;
    case 'resuming':
      rows = [
        [
          emoji(OUTCOME_EMOJI[approval.outcome ?? ''] ?? 'information_source'),
          text(' '),
          ...(headline ?? [bold('Decided')]),
        ],
        [emoji('hourglass_flowing_sand'), text(' Answering the workflow…')],
      ];
      comments = decisionComments(approval);
      break;
    case 'approved':
    case 'rejected':
    case 'expired':
      rows = [
        [
          emoji(OUTCOME_EMOJI[approval.status] ?? 'information_source'),
          text(' '),
          ...(headline ?? [
            bold(approval.status === 'expired' ? 'Expired' : 'Closed'),
            text(` at ${formatUtc(leftPendingAt(approval))}`),
          ]),
        ],
      ];
      comments = decisionComments(approval);
      break;
    case 'cancelled':
      rows = [
        [
          emoji('no_entry_sign'),
          text(' '),
          bold('Cancelled'),
          text(` at ${formatUtc(closingEntry(approval)?.at ?? approval.updatedAt)}`),
          ...(reason ? [text(`: ${reasonText(reason)}`)] : []),
        ],
      ];
      break;
    case 'failed':
      rows = [
        [emoji('warning'), text(' '), bold('Failed'), text(': the workflow did not accept the answer')],
        ...(headline ? [[text('Decision: '), ...headline]] : []),
        [bold('Reason:'), text(` ${reason ? reasonText(reason) : 'not recorded'}`)],
      ];
      comments = decisionComments(approval);
      break;
    default:
      return undefined;
  }
  const head = paragraph(...rows);
  const { shown, hidden } = fitting(comments, richTextLength(head));
  return richText([
    head,
    ...shown,
    hidden > 0 ? paragraph([italic(`…and ${plural(hidden, 'more comment')}`)]) : undefined,
  ]);
}

function actionsBlock(approvalId: string): ActionsBlock {
  return {
    type: 'actions',
    block_id: 'greenlight.decision',
    elements: [
      {
        type: 'button',
        action_id: SLACK_ACTION_IDS.approve,
        text: plainText('Approve'),
        style: 'primary',
        value: approvalId,
      },
      {
        type: 'button',
        action_id: SLACK_ACTION_IDS.reject,
        text: plainText('Reject'),
        style: 'danger',
        value: approvalId,
      },
      {
        type: 'button',
        action_id: SLACK_ACTION_IDS.comment,
        text: plainText('Decide with a comment…'),
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

/** The notification text: Greenlight's words and the title, escaped (Slack parses this text as mrkdwn). */
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
    descriptionBlock(approval.description),
    ...contextFieldBlocks(approval),
    linksBlock('Links', approval.context.links),
    linksBlock('AWS console', consoleLinks),
    votesBlock(approval),
    outcomeBlock(approval),
  ];
  if (expiredUnanswered) {
    blocks.push(ownSection(':alarm_clock: The deadline has passed: decisions are no longer accepted.'));
  } else if (pending) {
    blocks.push(actionsBlock(approval.id));
  }
  blocks.push(ownContext(`Greenlight · approval ${escapeSlackText(approval.id)}`));
  return {
    text: fallbackText(approval, expiredUnanswered),
    blocks: blocks.filter((block): block is KnownBlock => block !== undefined).slice(0, SLACK_LIMITS.blocks),
  };
}

const MAX_MODAL_TITLE_LENGTH = 500;

/**
 * The modal the "Decide with a comment…" button opens: approve or reject, with an optional comment. It carries the
 * approval id in `private_metadata` and nothing else.
 */
export function commentModal(approval: PublicApproval): ModalView {
  const title = oneLine(approval.title) === '' ? 'Approval request' : oneLine(approval.title);
  return {
    type: 'modal',
    callback_id: COMMENT_MODAL_CALLBACK_ID,
    private_metadata: approval.id,
    title: plainText('Approval decision'),
    submit: plainText('Submit decision'),
    close: plainText('Cancel'),
    blocks: [
      {
        type: 'section',
        text: plainText(
          `${clip(title, MAX_MODAL_TITLE_LENGTH)}\n${sourceLabel(approval.source)} · approval ${approval.id}`,
        ),
      },
      {
        type: 'input',
        block_id: COMMENT_MODAL_FIELDS.decision.blockId,
        label: plainText('Decision'),
        element: {
          type: 'radio_buttons',
          action_id: COMMENT_MODAL_FIELDS.decision.actionId,
          options: [
            { text: plainText('Approve'), value: 'approve' },
            { text: plainText('Reject'), value: 'reject' },
          ],
        },
      },
      {
        type: 'input',
        block_id: COMMENT_MODAL_FIELDS.comment.blockId,
        optional: true,
        label: plainText('Comment'),
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
 * The thread reply that reminds approvers: the title (request text) in a rich-text element Slack does not parse, and
 * in the notification text escaped.
 */
export function reminderMessage(title: string, timeLeftText: string): SlackMessage {
  return {
    text: `Reminder: "${clipEscaped(title, SLACK_LIMITS.fieldText)}" still waits for a decision (${timeLeftText}).`,
    blocks: [
      richText([
        paragraph([
          bold('Reminder: '),
          text(`"${title.slice(0, SLACK_LIMITS.fieldText)}"`),
          text(` still waits for a decision (${timeLeftText}).`),
        ]),
      ]),
    ],
  };
}

/**
 * An ephemeral answer to someone whose click or submission changed nothing (not an approver, already closed, …).
 * The reasons are Greenlight's own wording around ids that Slack or Greenlight made (the clicker's `slack:` id, the
 * approval id, a status, a time), never text from a request or a person. Escaped all the same (Slack parses an
 * ephemeral message's text), no emoji code, so the same text also fits a modal's field error.
 */
export function refusalMessage(reason: string): { text: string } {
  const text = reason.trim() === '' ? 'Your decision was not recorded.' : reason.trim();
  return { text: clipEscaped(text, SLACK_LIMITS.sectionText) };
}
