/**
 * Server-rendered review pages: plain HTML strings, no framework, no external resources, no script.
 * Every interpolated value goes through {@link escapeHtml}; every attribute is double-quoted; only http(s) URLs
 * become links. Every response carries the same protective headers (no caching, no referrer to any other origin — the
 * page URL holds the review-link token —, no indexing, no framing, a CSP that allows nothing but inline style and
 * same-origin forms). The referrer policy is `same-origin`, not `no-referrer`: under `no-referrer` a browser sends
 * `Origin: null` on the form's POST, and the POST must show Greenlight's origin (reviewPostOrigin.ts).
 *
 * Pages only show an approval; they never decide (invariant 2): the review page's form POSTs the decision.
 * They take a {@link PublicApproval} and render named fields only, so a task token cannot reach them (invariant 1).
 */

import { isPastDeadline, type PublicApproval, type Vote } from '../domain/approval';
import { sourceLabel } from '../sources/sourcePresentations';
import { approvalsSoFar, formatUtc, plural } from './approvalFacts';

export interface HtmlResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export interface PageLink {
  label: string;
  url: string;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** Longest comment the form accepts; the decision use case enforces the same limit server-side. */
export const COMMENT_MAX_LENGTH = 1000;

/** The headers of every page (a fresh object each time). */
export function pageHeaders(): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'same-origin',
    'x-robots-tag': 'noindex',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'content-security-policy': CONTENT_SECURITY_POLICY,
  };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The one escaping helper: safe in text and in double- or single-quoted attribute values. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** The URL, normalised, when it is an absolute http(s) URL; undefined for anything else (javascript:, data:, …). */
export function safeHttpUrl(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "2 days 3 hours left", "45 minutes left", "less than a minute left" or "expired". */
export function timeLeft(expiresAt: string, now: Date): string {
  const remaining = Date.parse(expiresAt) - now.getTime();
  if (!(remaining > 0)) return 'expired';
  const days = Math.floor(remaining / DAY_MS);
  const hours = Math.floor((remaining % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((remaining % HOUR_MS) / MINUTE_MS);
  if (days > 0) return `${plural(days, 'day')}${hours > 0 ? ` ${plural(hours, 'hour')}` : ''} left`;
  if (hours > 0) return `${plural(hours, 'hour')}${minutes > 0 ? ` ${plural(minutes, 'minute')}` : ''} left`;
  if (minutes > 0) return `${plural(minutes, 'minute')} left`;
  return 'less than a minute left';
}

const STATUS_LABELS: Record<PublicApproval['status'], string> = {
  pending: 'Waiting for a decision',
  resuming: 'Decided: the workflow is being resumed',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired',
  cancelled: 'Cancelled',
  failed: 'Failed: the workflow did not accept the answer',
};

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1c1e21;line-height:1.45}
main{max-width:46rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
.kicker,.muted{color:#5f6368;font-size:.9rem}.description{white-space:pre-wrap}
.status{display:inline-block;padding:.15rem .6rem;border-radius:999px;background:#eef1f5;font-weight:600}
.status-approved{background:#e3f4e8;color:#1e6b35}.status-rejected,.status-failed{background:#fbe7e7;color:#9b1c1c}
.notice{padding:.75rem 1rem;border-radius:6px;background:#eef4ff}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;margin:0}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e5e8;vertical-align:top}
textarea{width:100%;box-sizing:border-box;font:inherit}
.actions{display:flex;gap:.75rem;margin-top:.75rem}
button{font:inherit;font-weight:600;padding:.5rem 1.4rem;border:0;border-radius:6px;color:#fff;cursor:pointer}
button.approve{background:#1e7e34}button.reject{background:#b3261e}
`;

function htmlResponse(statusCode: number, title: string, main: string): HtmlResponse {
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Greenlight</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
  return { statusCode, headers: pageHeaders(), body };
}

function definitionList(rows: Array<[string, string | undefined]>): string {
  const items = rows
    .filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '')
    .map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`);
  return `<dl>${items.join('')}</dl>`;
}

/** An http(s) link opened without opener or referrer; anything else is shown as text, never as a link. */
function renderLink(link: PageLink): string {
  const href = safeHttpUrl(link.url);
  const label = link.label.trim() === '' ? link.url : link.label;
  if (href === undefined) {
    return `<li>${escapeHtml(label)} <span class="muted">(not shown as a link: only http and https links are allowed)</span></li>`;
  }
  return `<li><a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">${escapeHtml(label)}</a></li>`;
}

function renderLinks(heading: string, links: readonly PageLink[]): string {
  if (links.length === 0) return '';
  return `<h2>${escapeHtml(heading)}</h2><ul>${links.map(renderLink).join('')}</ul>`;
}

function renderFacts(approval: PublicApproval, now: Date | undefined): string {
  const expires =
    now === undefined
      ? formatUtc(approval.expiresAt)
      : `${formatUtc(approval.expiresAt)} (${timeLeft(approval.expiresAt, now)})`;
  return definitionList([
    ['Source', sourceLabel(approval.source)],
    ['Workflow', approval.workflowRef],
    ['Requested by', approval.requestedBy],
    ['Requested at', formatUtc(approval.createdAt)],
    ['Expires', expires],
    ['Approval id', approval.id],
  ]);
}

function renderContextFields(approval: PublicApproval): string {
  const fields = Object.entries(approval.context.fields);
  if (fields.length === 0) return '';
  return `<h2>Details</h2>${definitionList(fields)}`;
}

function renderQuorum(approval: PublicApproval): string {
  const summary = `<p>${escapeHtml(approvalsSoFar(approval.votes))} of ${escapeHtml(
    plural(approval.requiredApprovals, 'required approval'),
  )} so far.</p>`;
  const approvers =
    approval.approvers.length === 0
      ? '<p class="muted">No approver list: any authorised approver may decide.</p>'
      : `<ul>${approval.approvers.map((approver) => `<li>${escapeHtml(approver)}</li>`).join('')}</ul>`;
  return `<h2>Approvers</h2>${summary}${approvers}`;
}

function renderVotes(votes: readonly Vote[]): string {
  if (votes.length === 0) return '<h2>Votes</h2><p class="muted">No votes yet.</p>';
  const rows = votes
    .map(
      (vote) =>
        `<tr><td>${escapeHtml(vote.approver)}</td><td>${escapeHtml(vote.decision === 'approve' ? 'Approved' : 'Rejected')}</td>` +
        `<td>${escapeHtml(formatUtc(vote.at))}</td><td>${escapeHtml(vote.comment ?? '')}</td></tr>`,
    )
    .join('');
  return `<h2>Votes</h2><table><thead><tr><th>Who</th><th>Decision</th><th>When</th><th>Comment</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Who closed the approval and when: the first history entry after `pending`, else the votes that carried it. */
function renderFinalState(approval: PublicApproval): string {
  const closing = approval.history.find((entry) => entry.status !== 'pending');
  const decidedWith =
    approval.outcome === 'approved' ? 'approve' : approval.outcome === 'rejected' ? 'reject' : undefined;
  const voters = approval.votes.filter((vote) => vote.decision === decidedWith).map((vote) => vote.approver);
  const decidedBy = closing?.by ?? (voters.length > 0 ? voters.join(', ') : undefined);
  return `<h2>Final state</h2>${definitionList([
    ['Status', STATUS_LABELS[approval.status] ?? approval.status],
    ['Outcome', approval.outcome],
    ['Decided by', decidedBy],
    ['Decided at', formatUtc(closing?.at ?? approval.updatedAt)],
    ['Channel', closing?.channel],
    ['Reason', approval.closedReason ?? closing?.reason],
  ])}`;
}

function renderStatus(approval: PublicApproval): string {
  return `<p><span class="status status-${escapeHtml(approval.status)}">${escapeHtml(
    STATUS_LABELS[approval.status] ?? approval.status,
  )}</span></p>`;
}

/** A form may only post to this site: a root-relative path or an absolute http(s) URL. */
function assertFormAction(formAction: string): void {
  const rootRelative = formAction.startsWith('/') && !formAction.startsWith('//') && !formAction.startsWith('/\\');
  if (!rootRelative && safeHttpUrl(formAction) === undefined) {
    throw new TypeError('formAction must be a root-relative path or an http(s) URL');
  }
}

function renderDecisionForm(formAction: string, token: string): string {
  return `<h2>Your decision</h2>
<form method="post" action="${escapeHtml(formAction)}">
<input type="hidden" name="t" value="${escapeHtml(token)}">
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX_LENGTH}" rows="4"></textarea>
<div class="actions">
<button type="submit" name="decision" value="approve" class="approve">Approve</button>
<button type="submit" name="decision" value="reject" class="reject">Reject</button>
</div>
</form>`;
}

export interface ReviewPageInput {
  approval: PublicApproval;
  /** The identity the review link was issued to. */
  approver: string;
  /** The review-link token: posted back with the form, shown nowhere else. */
  token: string;
  now: Date;
  consoleLinks: PageLink[];
  formAction: string;
}

/** The page a review link opens: what is waiting, who asked, the votes so far and, while it is open, the form. */
export function renderReviewPage(input: ReviewPageInput): HtmlResponse {
  const { approval, approver, token, now, consoleLinks, formAction } = input;
  assertFormAction(formAction);
  const open = approval.status === 'pending' && !isPastDeadline(approval, now);
  const ownVote = approval.votes.find((vote) => vote.approver === approver);

  let decision: string;
  if (open && ownVote !== undefined) {
    decision = `<p class="notice">You already voted: ${escapeHtml(ownVote.decision)}. The approval waits for other approvers.</p>`;
  } else if (open) {
    decision = renderDecisionForm(formAction, token);
  } else if (approval.status === 'pending') {
    decision = '<p class="notice">This approval has expired: decisions are no longer accepted.</p>';
  } else {
    decision = renderFinalState(approval);
  }

  const main = [
    `<p class="kicker">Approval request · ${escapeHtml(sourceLabel(approval.source))}</p>`,
    `<h1>${escapeHtml(approval.title)}</h1>`,
    renderStatus(approval),
    approval.description ? `<p class="description">${escapeHtml(approval.description)}</p>` : '',
    `<p>You are reviewing as <strong>${escapeHtml(approver)}</strong>.</p>`,
    renderFacts(approval, now),
    renderContextFields(approval),
    renderLinks('Links', approval.context.links),
    renderLinks('AWS console', consoleLinks),
    renderQuorum(approval),
    renderVotes(approval.votes),
    decision,
  ].join('\n');
  return htmlResponse(200, approval.title, main);
}

/** The page after a POST: what happened and where the approval stands now. No form. */
export function renderDecisionResultPage(input: {
  approval: PublicApproval;
  message: string;
  statusCode?: number;
}): HtmlResponse {
  const { approval, message } = input;
  const main = [
    '<p class="kicker">Approval request</p>',
    `<h1>${escapeHtml(approval.title)}</h1>`,
    `<p class="notice">${escapeHtml(message)}</p>`,
    renderStatus(approval),
    renderFacts(approval, undefined),
    renderQuorum(approval),
    renderVotes(approval.votes),
    approval.status === 'pending' ? '' : renderFinalState(approval),
  ].join('\n');
  return htmlResponse(input.statusCode ?? 200, approval.title, main);
}

/**
 * A plain page for a link that cannot be used (expired, tampered, unknown approval, not authorised, already closed).
 * Shows only the given title and message: callers pass human text, never an error's message or stack.
 * A status outside 400–599 becomes 500.
 */
export function renderErrorPage(statusCode: number, title: string, message: string): HtmlResponse {
  const status = Number.isInteger(statusCode) && statusCode >= 400 && statusCode <= 599 ? statusCode : 500;
  const main = `<p class="kicker">Greenlight</p>\n<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`;
  return htmlResponse(status, title, main);
}
