/**
 * The e-mail that asks one approver to decide: a subject, an HTML part and a plain-text part with the same facts as
 * the Slack message, and a prominent "Review and decide" link to that approver's own review link.
 *
 * Invariant 2: the mail carries no one-click approve / reject link — mail scanners pre-fetch links; the review page it
 * links to only shows, and its form POSTs the decision.
 * Invariant 1: it takes a {@link PublicApproval} and reads named fields only (never a spread).
 * The HTML escapes every interpolated value with {@link escapeHtml}, double-quotes every attribute, links only
 * http(s) URLs and loads nothing external (no images, fonts, style sheets or scripts). The subject is one line: no
 * control characters, so a title cannot inject a header. Pure: no AWS imports, no I/O.
 */
import type { PublicApproval } from '../domain/approval';
import { clip } from '../domain/clip';
import { sourceLabel } from '../sources/sourcePresentations';
import { formatUtc, oneLine } from './approvalFacts';
import { escapeHtml, type PageLink, safeHttpUrl, timeLeft } from './reviewPages';
import { quorumText } from './slackMessages';

export interface ApprovalEmailOptions {
  /** The e-mail address the message goes to. */
  recipient: string;
  /** That approver's own review link (http or https). */
  reviewUrl: string;
  consoleLinks: PageLink[];
  now: Date;
}

export interface ApprovalEmail {
  subject: string;
  text: string;
  html: string;
}

export const SUBJECT_PREFIX = '[Approval needed]';
const MAX_SUBJECT_TITLE_LENGTH = 200;

/** Control characters (CR, LF, NUL, DEL, C1), line / paragraph separators and bidirectional overrides. */
const UNSAFE_IN_HEADER = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]+/gu;

/** One line, safe in a mail header: unsafe characters and runs of white space become one space. */
function headerText(value: string): string {
  return value.replace(UNSAFE_IN_HEADER, ' ').replace(/\s+/g, ' ').trim();
}

function subjectFor(title: string): string {
  const line = clip(headerText(title), MAX_SUBJECT_TITLE_LENGTH);
  return line === '' ? SUBJECT_PREFIX : `${SUBJECT_PREFIX} ${line}`;
}

type Row = [label: string, value: string];

function factRows(approval: PublicApproval, now: Date): Row[] {
  const rows: Row[] = [
    ['Source', sourceLabel(approval.source)],
    ['Workflow', approval.workflowRef],
  ];
  if (approval.requestedBy) rows.push(['Requested by', approval.requestedBy]);
  rows.push(['Approvers', approval.approvers.length === 0 ? 'any authorised approver' : approval.approvers.join(', ')]);
  rows.push(['Needed', quorumText(approval)]);
  rows.push(['Requested at', formatUtc(approval.createdAt)]);
  rows.push(['Expires', `${formatUtc(approval.expiresAt)} (${timeLeft(approval.expiresAt, now)})`]);
  rows.push(['Approval id', approval.id]);
  return rows;
}

interface ShownLink {
  label: string;
  /** The normalised http(s) URL; undefined when the link is not shown as one. */
  href: string | undefined;
}

function shownLinks(links: readonly PageLink[]): ShownLink[] {
  return links.map((link) => {
    const label = oneLine(link.label) === '' ? oneLine(link.url) : oneLine(link.label);
    return { label, href: safeHttpUrl(link.url) };
  });
}

const NOT_A_WEB_LINK = '(not shown as a link: only http and https links are allowed)';
const GET_CHANGES_NOTHING =
  'Opening the link changes nothing: the page shows the request and asks you to approve or reject it.';

// --- plain-text part -------------------------------------------------------------------------------------------

function textLinks(heading: string, links: readonly ShownLink[]): string[] {
  if (links.length === 0) return [];
  return [
    '',
    `${heading}:`,
    ...links.map((link) => (link.href ? `  - ${link.label}: ${link.href}` : `  - ${link.label} ${NOT_A_WEB_LINK}`)),
  ];
}

function textPart(
  approval: PublicApproval,
  options: ApprovalEmailOptions,
  reviewUrl: string,
  links: ShownLink[],
  consoleLinks: ShownLink[],
): string {
  const facts = factRows(approval, options.now);
  const width = Math.max(...facts.map(([label]) => label.length));
  const fields = Object.entries(approval.context.fields);
  const description = approval.description?.replace(/\r\n?/g, '\n').trim();
  const lines = [
    `Approval needed: ${oneLine(approval.title)}`,
    '',
    `Review and decide: ${reviewUrl}`,
    GET_CHANGES_NOTHING,
    `This link is personal to ${oneLine(options.recipient)}: do not forward it.`,
    '',
    ...facts.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${oneLine(value)}`),
    ...(description ? ['', 'Description:', description] : []),
    ...(fields.length === 0
      ? []
      : ['', 'Details:', ...fields.map(([key, value]) => `  ${oneLine(key)}: ${oneLine(String(value))}`)]),
    ...textLinks('Links', links),
    ...textLinks('AWS console', consoleLinks),
    '',
    '-- ',
    `Sent by Greenlight to ${oneLine(options.recipient)}.`,
  ];
  return `${lines.join('\n')}\n`;
}

// --- HTML part -------------------------------------------------------------------------------------------------

const FONT = 'font-family:system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif';
const H2 = 'font-size:16px;margin:24px 0 8px';
const MUTED = 'color:#5f6368;font-size:13px';
const CELL = 'text-align:left;vertical-align:top;padding:4px 12px 4px 0;border-bottom:1px solid #e3e5e8';

function htmlRows(rows: readonly Row[]): string {
  const cells = rows
    .map(
      ([label, value]) =>
        `<tr><th style="${CELL};white-space:nowrap">${escapeHtml(label)}</th>` +
        `<td style="${CELL};word-break:break-word">${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;width:100%;font-size:14px">${cells}</table>`;
}

function htmlLinks(heading: string, links: readonly ShownLink[]): string {
  if (links.length === 0) return '';
  const items = links
    .map((link) =>
      link.href
        ? `<li><a href="${escapeHtml(link.href)}" rel="noopener noreferrer" style="color:#1a56db">${escapeHtml(link.label)}</a></li>`
        : `<li>${escapeHtml(link.label)} <span style="${MUTED}">${escapeHtml(NOT_A_WEB_LINK)}</span></li>`,
    )
    .join('');
  return `<h2 style="${H2}">${escapeHtml(heading)}</h2><ul style="margin:0;padding-left:20px">${items}</ul>`;
}

function htmlPart(
  approval: PublicApproval,
  options: ApprovalEmailOptions,
  subject: string,
  reviewUrl: string,
  links: ShownLink[],
  consoleLinks: ShownLink[],
): string {
  const fields = Object.entries(approval.context.fields).map(([key, value]): Row => [key, String(value)]);
  const description = approval.description?.trim();
  const href = escapeHtml(reviewUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f5f6f8;color:#1c1e21;${FONT};line-height:1.45">
<div style="max-width:640px;margin:0 auto;padding:24px;background:#ffffff">
<p style="${MUTED};margin:0">Approval needed · ${escapeHtml(sourceLabel(approval.source))}</p>
<h1 style="font-size:22px;margin:8px 0 16px">${escapeHtml(approval.title)}</h1>
<p style="margin:0 0 8px"><a href="${href}" rel="noopener noreferrer" style="display:inline-block;padding:12px 24px;background:#1e7e34;color:#ffffff;font-weight:600;font-size:16px;text-decoration:none;border-radius:6px">Review and decide</a></p>
<p style="${MUTED};margin:0 0 4px">${escapeHtml(GET_CHANGES_NOTHING)}</p>
<p style="${MUTED};margin:0 0 16px">This link is personal to ${escapeHtml(options.recipient)}: do not forward it. If the button does not work, open <a href="${href}" rel="noopener noreferrer" style="color:#1a56db;word-break:break-all">${escapeHtml(reviewUrl)}</a></p>
${htmlRows(factRows(approval, options.now))}
${description ? `<h2 style="${H2}">Description</h2><div style="white-space:pre-wrap;font-size:14px">${escapeHtml(description)}</div>` : ''}
${fields.length === 0 ? '' : `<h2 style="${H2}">Details</h2>${htmlRows(fields)}`}
${htmlLinks('Links', links)}
${htmlLinks('AWS console', consoleLinks)}
<p style="${MUTED};margin:24px 0 0">Sent by Greenlight to ${escapeHtml(options.recipient)}.</p>
</div>
</body>
</html>
`;
}

/**
 * The e-mail inviting `options.recipient` to review an approval through their own review link. Throws a TypeError
 * when `reviewUrl` is not an http(s) URL (a configuration fault: the mail would have nothing to act on).
 */
export function approvalEmail(approval: PublicApproval, options: ApprovalEmailOptions): ApprovalEmail {
  const reviewUrl = safeHttpUrl(options.reviewUrl);
  if (reviewUrl === undefined) throw new TypeError('reviewUrl must be an absolute http(s) URL');
  const subject = subjectFor(approval.title);
  const links = shownLinks(approval.context.links);
  const consoleLinks = shownLinks(options.consoleLinks);
  return {
    subject,
    text: textPart(approval, options, reviewUrl, links, consoleLinks),
    html: htmlPart(approval, options, subject, reviewUrl, links, consoleLinks),
  };
}
