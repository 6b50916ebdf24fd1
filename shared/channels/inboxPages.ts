/**
 * The inbox's pages: pending approvals the signed-in person may decide (deadline first, by source, with a batch
 * form), their history, a batch's per-item results, and the signed-out page. Same frame, headers and escaping as the
 * approval page (reviewPages.ts); no script. Every form carries the session's CSRF token.
 */
import type { Approval, PublicApproval, SourceKind } from '../domain/approval';
import type { Eligibility } from '../domain/eligibility';
import type { Directory } from '../domain/policy';
import { sourceLabel, workflowName } from '../sources/sourcePresentations';
import { formatUtc, plural } from './approvalFacts';
import {
  COMMENT_MAX_LENGTH,
  escapeHtml,
  type HtmlResponse,
  hiddenInputs,
  htmlResponse,
  personLabel,
  timeLeft,
  whatTheWorkflowWasTold,
} from './reviewPages';

export interface InboxViewer {
  identity: string;
  csrfToken: string;
  people: Directory;
}

export interface InboxEntry {
  approval: PublicApproval;
  eligibility: Eligibility;
}

/** The bar on every inbox page: where you are, who you are, and a sign-out button (a POST, with the CSRF token). */
export function inboxHeader(viewer: InboxViewer, pendingCount?: number): string {
  const inbox = pendingCount === undefined ? 'Inbox' : `Inbox (${pendingCount})`;
  return `<nav class="top" aria-label="Inbox">
<span><a href="/inbox">${escapeHtml(inbox)}</a> · <a href="/inbox/history">History</a></span>
<form method="post" action="/inbox/logout">${hiddenInputs({ csrf: viewer.csrfToken })}
<span class="muted">${escapeHtml(personLabel(viewer.identity, viewer.people))}</span>
<button type="submit" class="link">Sign out</button></form>
</nav>`;
}

function sourceFilters(bySource: Partial<Record<SourceKind, number>>, current: SourceKind | undefined): string {
  const total = Object.values(bySource).reduce((sum, count) => sum + (count ?? 0), 0);
  const link = (label: string, href: string, active: boolean) =>
    active
      ? `<strong aria-current="page">${escapeHtml(label)}</strong>`
      : `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
  const sources = (Object.entries(bySource) as Array<[SourceKind, number]>).map(([source, count]) =>
    link(`${sourceLabel(source)} (${count})`, `/inbox?source=${source}`, current === source),
  );
  return `<p class="filters" aria-label="Filter by source">${link(`All (${total})`, '/inbox', current === undefined)}${sources.join('')}</p>`;
}

export function renderInboxPage(input: {
  viewer: InboxViewer;
  items: InboxEntry[];
  bySource: Partial<Record<SourceKind, number>>;
  source?: SourceKind;
  now: Date;
  truncated: boolean;
}): HtmlResponse {
  const { viewer, items, now } = input;
  const total = Object.values(input.bySource).reduce((sum, count) => sum + (count ?? 0), 0);
  const rows = items.map(({ approval, eligibility }) => {
    const id = `select-${approval.id}`;
    const requester = eligibility.kind === 'may-reject' ? ' · <em>you requested this: reject only</em>' : '';
    return `<div class="item">
<input type="checkbox" name="id" value="${escapeHtml(approval.id)}" id="${escapeHtml(id)}" aria-label="Select ${escapeHtml(approval.title)}">
<div class="what"><a href="/inbox/approvals/${escapeHtml(approval.id)}">${escapeHtml(approval.title)}</a>
<div class="muted">${escapeHtml(sourceLabel(approval.source))} · ${escapeHtml(workflowName(approval))} · ${escapeHtml(
      timeLeft(approval.expiresAt, now),
    )} (${escapeHtml(formatUtc(approval.expiresAt))})${
      approval.requestedBy ? ` · asked by ${escapeHtml(personLabel(approval.requestedBy, viewer.people))}` : ''
    }${requester}</div></div>
</div>`;
  });
  const list =
    items.length === 0
      ? '<p class="notice">Nothing waits for you here.</p>'
      : `<form method="post" action="/inbox/decisions">
${hiddenInputs({ csrf: viewer.csrfToken })}
<fieldset style="border:0;padding:0;margin:0"><legend class="muted">Select approvals to decide together</legend>
${rows.join('\n')}
</fieldset>
<label for="batch-comment">Comment for the selected approvals (optional)</label>
<textarea id="batch-comment" name="comment" maxlength="${COMMENT_MAX_LENGTH}" rows="2"></textarea>
<div class="actions">
<details class="confirm"><summary class="button approve">Approve selected…</summary>
<p>Confirm: approve every selected approval. Each one that reaches its quorum resumes its workflow.</p>
<button type="submit" name="decision" value="approve" class="approve">Approve selected — resumes their workflows</button>
</details>
<button type="submit" name="decision" value="reject" class="reject">Reject selected — stops their workflows</button>
</div>
</form>`;
  const main = [
    '<p class="kicker">Greenlight inbox</p>',
    `<h1>Waiting for you: ${escapeHtml(plural(total, 'approval'))}</h1>`,
    sourceFilters(input.bySource, input.source),
    input.truncated ? '<p class="muted">Showing what the first 1000 open approvals hold for you.</p>' : '',
    list,
  ].join('\n');
  return htmlResponse(200, `Inbox (${total})`, main, { header: inboxHeader(viewer, total) });
}

function outcomeLine(approval: PublicApproval, people: Directory): string {
  if (approval.status === 'pending') return 'waiting for other approvers';
  const decided = approval.outcome === 'approved' ? 'approve' : approval.outcome === 'rejected' ? 'reject' : undefined;
  const deciders = approval.votes.filter((vote) => vote.decision === decided);
  const last = deciders.at(-1);
  const who = deciders.map((vote) => personLabel(vote.approver, people)).join(', ');
  const channel = last?.channel === 'sso' ? 'Greenlight inbox' : last?.channel;
  return [
    approval.status,
    who ? `by ${who}` : undefined,
    last ? `on ${formatUtc(last.at)}` : `on ${formatUtc(approval.updatedAt)}`,
    channel ? `via ${channel}` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

export function renderHistoryPage(input: { viewer: InboxViewer; items: InboxEntry[] }): HtmlResponse {
  const { viewer } = input;
  const rows = input.items.map(({ approval, eligibility }) => {
    const mine =
      eligibility.kind === 'voted' ? `you ${eligibility.vote.decision === 'approve' ? 'approved' : 'rejected'}` : '';
    return `<tr><td><a href="/inbox/approvals/${escapeHtml(approval.id)}">${escapeHtml(approval.title)}</a><br><span class="muted">${escapeHtml(
      sourceLabel(approval.source),
    )}</span></td><td>${escapeHtml(outcomeLine(approval, viewer.people))}</td><td>${escapeHtml(mine)}</td><td>${escapeHtml(
      whatTheWorkflowWasTold(approval) ?? '',
    )}</td></tr>`;
  });
  const table =
    rows.length === 0
      ? '<p class="notice">No decisions in the last 30 days.</p>'
      : `<table><thead><tr><th>Approval</th><th>Outcome</th><th>Your vote</th><th>Workflow told</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const main = [
    '<p class="kicker">Greenlight inbox</p>',
    '<h1>History</h1>',
    '<p class="muted">Approvals you could decide, closed in the last 30 days, and those you voted on that still wait.</p>',
    table,
  ].join('\n');
  return htmlResponse(200, 'History', main, { header: inboxHeader(viewer) });
}

export interface BatchResultLine {
  approvalId: string;
  approval?: Approval;
  /** What happened, in words: the vote recorded, the decision, or why it was refused. */
  message: string;
  ok: boolean;
}

export function renderBatchResultPage(input: {
  viewer: InboxViewer;
  decision: 'approve' | 'reject';
  lines: BatchResultLine[];
}): HtmlResponse {
  const done = input.lines.filter((line) => line.ok).length;
  const items = input.lines.map(
    (line) =>
      `<li><a href="/inbox/approvals/${escapeHtml(line.approvalId)}">${escapeHtml(line.approval?.title ?? line.approvalId)}</a>: <span class="${
        line.ok ? 'ok' : 'refused'
      }">${escapeHtml(line.message)}</span></li>`,
  );
  const verb = input.decision === 'approve' ? 'Approved' : 'Rejected';
  const main = [
    '<p class="kicker">Greenlight inbox</p>',
    `<h1>${escapeHtml(verb)} ${done} of ${escapeHtml(plural(input.lines.length, 'approval'))}</h1>`,
    `<div role="status"><ul>${items.join('')}</ul></div>`,
    '<p><a href="/inbox">Back to the inbox</a></p>',
  ].join('\n');
  return htmlResponse(200, `${verb} ${done} of ${input.lines.length}`, main, { header: inboxHeader(input.viewer) });
}

export function renderSignedOutPage(): HtmlResponse {
  return htmlResponse(
    200,
    'Signed out',
    '<p class="kicker">Greenlight inbox</p>\n<h1>You are signed out</h1>\n<p><a href="/inbox/login">Sign in again</a></p>',
  );
}
