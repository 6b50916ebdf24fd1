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
import { isPastDeadline, type PublicApproval } from '../domain/approval';
import { type Directory, personOf } from '../domain/policy';
import { answerDescription, sourceLabel, workflowName } from '../sources/sourcePresentations';
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

/** The state that leads the page title, so a tab or history entry says where the approval stands. */
const TITLE_STATES: Record<PublicApproval['status'], string> = {
  pending: 'Waiting',
  resuming: 'Decided',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

const CHANNEL_LABELS: Record<string, string> = {
  'review-link': 'review link',
  slack: 'Slack',
  rest: 'REST API',
  iam: 'IAM-signed API call',
  eventbridge: 'EventBridge',
  sso: 'Greenlight inbox',
  system: 'Greenlight',
};

/** One stylesheet for every page: readable at 390 px, nothing wider than the screen (long ARNs wrap anywhere). */
export const PAGE_STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1c1e21;line-height:1.45;overflow-wrap:anywhere}
main{max-width:52rem;margin:1.5rem auto;padding:1.25rem 1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
@media (max-width:600px){main{margin:0;border-radius:0;padding:1rem}}
h1{font-size:1.45rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
a{color:#0b57d0}a:focus,button:focus,summary:focus,input:focus,textarea:focus{outline:3px solid #f4b400;outline-offset:2px}
.kicker,.muted{color:#4d5156;font-size:.9rem}.description{white-space:pre-wrap}
.status{display:inline-block;padding:.15rem .6rem;border-radius:999px;background:#eef1f5;font-weight:600}
.status-approved{background:#e3f4e8;color:#1e6b35}.status-rejected,.status-failed,.status-expired{background:#fbe7e7;color:#8c1d18}
.notice{padding:.75rem 1rem;border-radius:6px;background:#eef4ff;border-left:4px solid #0b57d0}
.notice.refused{background:#fdeceb;border-left-color:#b3261e}
.panel{border:1px solid #d5d9de;border-radius:8px;padding:1rem;margin:1rem 0;background:#fbfcfd}
.panel h2{margin-top:0}
dl{display:grid;grid-template-columns:minmax(6rem,max-content) minmax(0,1fr);gap:.3rem 1rem;margin:0}dt{font-weight:600}dd{margin:0;min-width:0}
ul.people{list-style:none;padding:0;margin:0}ul.people li{padding:.3rem 0;border-bottom:1px solid #e3e5e8}
table{border-collapse:collapse;width:100%;table-layout:fixed}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e3e5e8;vertical-align:top}
@media (max-width:600px){table,thead,tbody,tr,th,td{display:block}thead{position:absolute;left:-9999px}tr{border-bottom:1px solid #d5d9de;padding:.4rem 0}td{border:0;padding:.15rem 0}}
label{font-weight:600;display:block;margin:.4rem 0 .2rem}
textarea{width:100%;font:inherit;padding:.4rem;border:1px solid #8a9099;border-radius:6px}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:.75rem;align-items:flex-start}
button,summary.button{font:inherit;font-weight:600;padding:.55rem 1.1rem;border:0;border-radius:6px;color:#fff;cursor:pointer;text-align:left}
button.approve,summary.approve{background:#1b6e2e}button.reject{background:#a8231b}button.plain{background:#3c4043}
button.link{background:none;color:#0b57d0;padding:0;text-decoration:underline;font-weight:400}
details.confirm>summary{list-style:none;display:inline-block}details.confirm>summary::-webkit-details-marker{display:none}
details.confirm[open]{flex-basis:100%;border:2px solid #1b6e2e;border-radius:8px;padding:.75rem}
details.confirm[open]>summary{margin-bottom:.5rem}
nav.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;margin-bottom:.75rem}
nav.top form{display:inline}
.filters a,.filters strong{margin-right:.75rem;display:inline-block}
.item{display:flex;gap:.6rem;padding:.6rem 0;border-bottom:1px solid #e3e5e8}.item input{margin-top:.35rem;width:1.2rem;height:1.2rem;flex:none}
.item .what{min-width:0}
.ok{color:#1e6b35;font-weight:600}.refused{color:#8c1d18;font-weight:600}
`;

export interface PageOptions {
  /** Shown above the page's content (the inbox's navigation). */
  header?: string;
}

/** The one page frame: a title, the stylesheet and the protective headers. No script, nothing from elsewhere. */
export function htmlResponse(statusCode: number, title: string, main: string, options: PageOptions = {}): HtmlResponse {
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Greenlight</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${options.header ?? ''}${main}
</main>
</body>
</html>
`;
  return { statusCode, headers: pageHeaders(), body };
}

export function definitionList(rows: Array<[string, string | undefined]>): string {
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

function renderFacts(approval: PublicApproval, now: Date | undefined, people: Directory): string {
  const expires =
    now === undefined
      ? formatUtc(approval.expiresAt)
      : `${formatUtc(approval.expiresAt)} (${timeLeft(approval.expiresAt, now)})`;
  return definitionList([
    ['Source', sourceLabel(approval.source)],
    ['Workflow', approval.workflowRef],
    ['Requested by', approval.requestedBy === undefined ? undefined : personLabel(approval.requestedBy, people)],
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

/** A person's display name: their name in the people map (capitalised), else the identity as it is. */
export function displayName(identity: string, people: Directory): string {
  const person = personOf(identity, people);
  if (!person.startsWith('person:')) return person;
  const name = person.slice('person:'.length);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** "Alice (email:alice@example.com)" for a mapped identity, the identity alone otherwise. */
export function personLabel(identity: string, people: Directory): string {
  const name = displayName(identity, people);
  return name === identity || identity.startsWith('person:') ? name : `${name} (${identity})`;
}

/** One line per person on the allow-list: their name, and their vote (with channel and comment) or that they wait. */
function renderPeople(approval: PublicApproval, people: Directory): string {
  const summary = `<p>${escapeHtml(approvalsSoFar(approval.votes))} of ${escapeHtml(
    plural(approval.requiredApprovals, 'required approval'),
  )} so far.</p>`;
  const requester = approval.requestedBy === undefined ? undefined : personOf(approval.requestedBy, people);
  const persons = new Map<string, string>();
  for (const entry of approval.approvers) {
    const person = personOf(entry, people);
    if (!persons.has(person)) persons.set(person, entry);
  }
  for (const vote of approval.votes) {
    const person = personOf(vote.approver, people);
    if (!persons.has(person)) persons.set(person, vote.approver);
  }
  if (persons.size === 0) {
    return `<h2>Approvers</h2>${summary}<p class="muted">No approver list: any authorised approver may decide.</p>`;
  }
  const lines = [...persons].map(([person, entry]) => {
    const vote = approval.votes.find((candidate) => personOf(candidate.approver, people) === person);
    const name = `<strong>${escapeHtml(displayName(entry, people))}</strong>`;
    if (vote !== undefined) {
      const verb = vote.decision === 'approve' ? 'approved' : 'rejected';
      const via = vote.via ? `, by ${vote.via}` : '';
      const comment = vote.comment ? ` — “${escapeHtml(vote.comment)}”` : '';
      return `<li>${name} ${verb} on ${escapeHtml(formatUtc(vote.at))} via ${escapeHtml(
        CHANNEL_LABELS[vote.channel] ?? vote.channel,
      )}${escapeHtml(via)} <span class="muted">(${escapeHtml(vote.approver)})</span>${comment}</li>`;
    }
    const waiting = person === requester ? 'requested this (may reject, not approve)' : 'has not voted';
    return `<li>${name} <span class="muted">${escapeHtml(waiting)}</span></li>`;
  });
  return `<h2>Approvers</h2>${summary}<ul class="people">${lines.join('')}</ul>`;
}

/** What the workflow was (or is being) told, in the source's own words. */
export function whatTheWorkflowWasTold(approval: PublicApproval): string | undefined {
  if (approval.status === 'cancelled') {
    return approval.refusal
      ? `refused at once (${approval.refusal.error}): ${approval.refusal.reason}`
      : `nothing: the workflow no longer waits${approval.closedReason ? ` (${approval.closedReason})` : ''}`;
  }
  const outcome = approval.outcome;
  if (outcome === undefined) return undefined;
  const told = answerDescription(approval.source, outcome);
  if (approval.status === 'failed') {
    return `${told} — refused: the workflow no longer waited${approval.closedReason ? ` (${approval.closedReason})` : ''}`;
  }
  return approval.status === 'resuming' ? `${told} (being delivered)` : told;
}

/** Who closed the approval and when, and what the workflow was told. */
function renderFinalState(approval: PublicApproval, people: Directory): string {
  const closing = approval.history.find((entry) => entry.status !== 'pending');
  const decidedWith =
    approval.outcome === 'approved' ? 'approve' : approval.outcome === 'rejected' ? 'reject' : undefined;
  const deciders = approval.votes.filter((vote) => vote.decision === decidedWith);
  const decidedBy =
    deciders.length > 0
      ? deciders.map((vote) => personLabel(vote.approver, people)).join(', ')
      : closing?.by === undefined
        ? approval.outcome === 'expired'
          ? 'nobody before the deadline'
          : undefined
        : personLabel(closing.by, people);
  const lastVote = deciders.at(-1);
  const channel = lastVote?.channel ?? closing?.channel;
  return `<h2>${escapeHtml(STATUS_LABELS[approval.status] ?? approval.status)}</h2>${definitionList([
    ['Outcome', approval.outcome],
    ['Decided by', decidedBy],
    ['Decided at', formatUtc(lastVote?.at ?? closing?.at ?? approval.updatedAt)],
    ['Channel', channel === undefined ? undefined : (CHANNEL_LABELS[channel] ?? channel)],
    ['Workflow told', whatTheWorkflowWasTold(approval)],
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

export function hiddenInputs(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

/** The button texts name their effect: whether this vote resumes the workflow, or adds to a quorum. */
function decisionEffects(approval: PublicApproval): { approve: string; reject: string } {
  const name = workflowName(approval);
  const approvedSoFar = approvalsSoFar(approval.votes);
  const rejectedSoFar = new Set(
    approval.votes.filter((vote) => vote.decision === 'reject').map((vote) => vote.person ?? vote.approver),
  ).size;
  const approve =
    approvedSoFar + 1 >= approval.requiredApprovals
      ? `Approve — resumes ${name}`
      : `Approve — ${approvedSoFar + 1} of ${approval.requiredApprovals} approvals; ${name} keeps waiting`;
  const reject =
    rejectedSoFar + 1 >= (approval.requiredRejections ?? 1)
      ? `Reject — stops ${name}`
      : `Reject — ${rejectedSoFar + 1} of ${approval.requiredRejections} rejections; ${name} keeps waiting`;
  return { approve, reject };
}

/**
 * The decision form. Approving takes two steps without any script: "Approve…" opens a confirmation (a `<details>`),
 * whose button names the effect and submits. Rejecting is one step (it is the safe side).
 */
function renderDecisionForm(
  approval: PublicApproval,
  formAction: string,
  hiddenFields: Record<string, string>,
  mayApprove: boolean,
): string {
  const effects = decisionEffects(approval);
  const approve = mayApprove
    ? `<details class="confirm">
<summary class="button approve">Approve…</summary>
<p>Confirm: ${escapeHtml(effects.approve.replace('Approve — ', ''))}.</p>
<button type="submit" name="decision" value="approve" class="approve">${escapeHtml(effects.approve)}</button>
</details>`
    : '<p class="muted">You requested this approval: you may reject it, not approve it.</p>';
  return `<form method="post" action="${escapeHtml(formAction)}">
${hiddenInputs(hiddenFields)}
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" maxlength="${COMMENT_MAX_LENGTH}" rows="3"></textarea>
<div class="actions">
${approve}
<button type="submit" name="decision" value="reject" class="reject">${escapeHtml(effects.reject)}</button>
</div>
</form>`;
}

export interface ApprovalPageInput {
  approval: PublicApproval;
  /** The identity looking (the review link's, or the signed-in person's). */
  viewer: string;
  now: Date;
  consoleLinks: PageLink[];
  /** Where the decision form posts, and the hidden fields it carries (`t`, or `csrf`). */
  formAction: string;
  hiddenFields: Record<string, string>;
  /** The people map, for names; absent: identities as they are. */
  people?: Directory;
  /** A message after a decision (shown first). */
  notice?: string;
  statusCode?: number;
  header?: string;
}

/**
 * The approval page, for review links and the inbox alike: the decision panel first (the form while this person may
 * decide, else their vote, the expiry or the final state: who decided what, when, and what the workflow was told),
 * then what waits, who asked, the people and their votes.
 */
export function renderApprovalPage(input: ApprovalPageInput): HtmlResponse {
  const { approval, viewer, now, consoleLinks, formAction } = input;
  const people: Directory = input.people ?? { people: {} };
  assertFormAction(formAction);
  const open = approval.status === 'pending' && !isPastDeadline(approval, now);
  const viewerPerson = personOf(viewer, people);
  const ownVote = approval.votes.find((vote) => personOf(vote.approver, people) === viewerPerson);
  const requester = approval.requestedBy !== undefined && personOf(approval.requestedBy, people) === viewerPerson;

  let panel: string;
  if (open && ownVote !== undefined) {
    panel = `<h2>Your decision</h2><p class="notice">You already voted: ${escapeHtml(ownVote.decision)} (${escapeHtml(
      formatUtc(ownVote.at),
    )}). The approval waits for other approvers.</p>`;
  } else if (open) {
    panel = `<h2>Your decision</h2>${renderDecisionForm(approval, formAction, input.hiddenFields, !requester)}`;
  } else if (approval.status === 'pending') {
    panel = `<h2>Expired</h2><p class="notice refused">This approval expired on ${escapeHtml(
      formatUtc(approval.expiresAt),
    )}: decisions are no longer accepted. The workflow is being told: rejected (expired).</p>`;
  } else {
    panel = renderFinalState(approval, people);
  }

  const main = [
    `<p class="kicker">Approval request · ${escapeHtml(sourceLabel(approval.source))}</p>`,
    `<h1>${escapeHtml(approval.title)}</h1>`,
    renderStatus(approval),
    input.notice ? `<p class="notice" role="status">${escapeHtml(input.notice)}</p>` : '',
    `<section class="panel" aria-label="Decision">${panel}</section>`,
    approval.description ? `<p class="description">${escapeHtml(approval.description)}</p>` : '',
    `<p>You are reviewing as <strong>${escapeHtml(personLabel(viewer, people))}</strong>.</p>`,
    renderFacts(approval, now, people),
    renderContextFields(approval),
    renderLinks('Links', approval.context.links),
    renderLinks('AWS console', consoleLinks),
    renderPeople(approval, people),
  ].join('\n');
  const title = `${TITLE_STATES[approval.status] ?? approval.status}: ${approval.title}`;
  return htmlResponse(input.statusCode ?? 200, title, main, input.header ? { header: input.header } : {});
}

/** What a person is told after their decision, by the approval's state. */
export function decisionMessage(approval: Pick<PublicApproval, 'status' | 'closedReason'>): string {
  const messages: Record<string, string> = {
    pending: 'Your vote is recorded. The approval waits for more approvers.',
    resuming: 'Decided. The answer to the workflow is on its way.',
    approved: 'Approved. The workflow continues.',
    rejected: 'Rejected. The workflow has been told.',
    failed: `Your decision was recorded, but the workflow no longer waits for it: ${approval.closedReason ?? ''}`,
  };
  return messages[approval.status] ?? `The approval is ${approval.status}.`;
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
  people?: Directory;
}

/** The page a review link opens: the approval page, deciding as the link's approver. */
export function renderReviewPage(input: ReviewPageInput): HtmlResponse {
  return renderApprovalPage({
    approval: input.approval,
    viewer: input.approver,
    now: input.now,
    consoleLinks: input.consoleLinks,
    formAction: input.formAction,
    hiddenFields: { t: input.token },
    ...(input.people ? { people: input.people } : {}),
  });
}

/** The page after a POST: what happened, then the approval as it stands now (no form: the vote is in). */
export function renderDecisionResultPage(input: {
  approval: PublicApproval;
  message: string;
  statusCode?: number;
  viewer?: string;
  now?: Date;
  consoleLinks?: PageLink[];
  people?: Directory;
}): HtmlResponse {
  const { approval } = input;
  const viewer = input.viewer ?? approval.votes.at(-1)?.approver ?? '';
  return renderApprovalPage({
    approval,
    viewer,
    now: input.now ?? new Date(approval.updatedAt),
    consoleLinks: input.consoleLinks ?? [],
    formAction: '/',
    hiddenFields: {},
    notice: input.message,
    ...(input.people ? { people: input.people } : {}),
    ...(input.statusCode ? { statusCode: input.statusCode } : {}),
  });
}

/**
 * A plain page for a link that cannot be used (expired, tampered, unknown approval, not authorised, already closed).
 * Shows only the given title and message: callers pass human text, never an error's message or stack.
 * A status outside 400–599 becomes 500.
 */
export function renderErrorPage(statusCode: number, title: string, message: string, header?: string): HtmlResponse {
  const status = Number.isInteger(statusCode) && statusCode >= 400 && statusCode <= 599 ? statusCode : 500;
  const main = `<p class="kicker">Greenlight</p>\n<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`;
  return htmlResponse(status, title, main, header ? { header } : {});
}
